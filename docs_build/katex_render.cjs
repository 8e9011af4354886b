// Render TeX formulas to HTML with KaTeX, for docs_build/katex.py.
//
// A long-lived process: reads one JSON array of {"tex": string, "display": bool} per line on
// stdin, and answers each line with one JSON array of the same length on stdout:
// {"html": string} for a formula that rendered, {"error": string} (KaTeX's message) for one
// that did not. The build starts it once and sends it every page's new formulas.
"use strict";

const katex = require("katex");
const readline = require("readline");

function render({ tex, display }) {
  try {
    return {
      html: katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true,
        output: "htmlAndMathml", // MathML keeps formulas readable by screen readers
        strict: "error",
      }),
    };
  } catch (err) {
    return { error: err instanceof katex.ParseError ? err.message : String(err) };
  }
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  if (line.trim() === "") return;
  process.stdout.write(JSON.stringify(JSON.parse(line).map(render)) + "\n");
});
