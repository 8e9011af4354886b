// Render a batch of TeX formulas to HTML with KaTeX.
//
// Reads a JSON array of {"tex": string, "display": bool} on stdin and writes a
// JSON array of the same length on stdout: {"html": string} for a formula that
// rendered, {"error": string} (KaTeX's message) for one that did not.
// hooks/katex.py starts this script once per page, never once per formula.
"use strict";

const katex = require("katex");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const formulas = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = formulas.map(({ tex, display }) => {
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
  });
  process.stdout.write(JSON.stringify(results));
});
