"""A formula as plain text, from KaTeX's MathML: what a search result shows instead of TeX.

KaTeX renders each formula twice, as HTML glyphs for the eye and as MathML for screen readers.
Neither reads well as a search snippet (the glyph spans spell `∂f∂x`, the annotation is raw
TeX), so the site's search index gets a linear reading of the MathML instead:
`∂f/∂x = 3x² − 2y`, `J = diag(s) − s sᵀ`, `∑_(i=1)^n`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SUPERSCRIPTS = dict(zip("0123456789+−=()n⊤T", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀᵀ"))
SUBSCRIPTS = dict(zip("0123456789+−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))
SPACED = set("=+−<>≤≥≈≠→←↦×·∈∉⊂⊆∝∼≡⇒⟹⇔∣") | {"≪", "≫", ":=", "∘"}
MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _tag(element) -> str:
    return element.tag.removeprefix(MATHML)


def _atomic(text: str) -> bool:
    return len(text) <= 1 or bool(re.fullmatch(r"[A-Za-z0-9.′″]+", text))


def _group(text: str) -> str:
    return text if _atomic(text) else f"({text})"


def _script(base: str, script: str, table: dict[str, str], mark: str) -> str:
    """`base` with a super- or subscript: Unicode script digits where they exist, else `^(...)`."""
    if script in ("′", "″", "‴", "∗", "*", ""):
        return base + script
    if all(ch in table for ch in script):
        return base + "".join(table[ch] for ch in script)
    return f"{base}{mark}{_group(script)}"


def _text(element) -> str:
    tag = _tag(element)
    children = list(element)
    if tag == "annotation" or tag == "mphantom":
        return ""
    if tag in ("mi", "mn", "mtext", "ms"):
        return element.text or ""
    if tag == "mo":
        text = (element.text or "").strip()
        if text and text in "\u2061\u2062\u2063\u2064":  # invisible function application, times
            return " "
        if text in SPACED:
            return f" {text} "
        return text + " " if text in (",", ";") else text
    if tag == "mspace":
        return " "
    if tag == "mfrac":
        top, bottom = (_text(c).strip() for c in children[:2])
        return f"{_group(top)}/{_group(bottom)}"
    if tag == "msqrt":
        return "√" + _group(_row(children).strip())
    if tag == "mroot":
        return f"{_text(children[1])}√{_group(_text(children[0]).strip())}"
    if tag == "msup":
        return _script(_text(children[0]), _text(children[1]).strip(), SUPERSCRIPTS, "^")
    if tag == "msub":
        return _script(_text(children[0]), _text(children[1]).strip(), SUBSCRIPTS, "_")
    if tag == "msubsup":
        base = _script(_text(children[0]), _text(children[1]).strip(), SUBSCRIPTS, "_")
        return _script(base, _text(children[2]).strip(), SUPERSCRIPTS, "^")
    if tag in ("mover", "munder", "munderover"):
        base = _text(children[0])
        if element.get("accent") == "true" and len(base) == 1 and tag == "mover":
            accent = _text(children[1]).strip()
            combining = {
                "^": "\u0302",
                "ˆ": "\u0302",
                "~": "\u0303",
                "˜": "\u0303",
                "ˉ": "\u0304",
                "‾": "\u0305",
                "→": "\u20d7",
                "˙": "\u0307",
                "¨": "\u0308",
            }.get(accent)
            if combining:
                return base + combining
        if tag == "munder":
            return _script(base, _text(children[1]).strip(), SUBSCRIPTS, "_") + " "
        if tag == "mover":
            return (
                base
                if element.get("accent") == "true"
                else _script(base, _text(children[1]).strip(), SUPERSCRIPTS, "^")
            )
        base = _script(base, _text(children[1]).strip(), SUBSCRIPTS, "_")
        return _script(base, _text(children[2]).strip(), SUPERSCRIPTS, "^") + " "
    if tag == "mtable":
        rows = []
        for row in children:
            cells = [_text(cell).strip() for cell in row]
            rows.append(" ".join(c for c in cells if c))
        return "[" + "; ".join(rows) + "]"
    return _row(children)


BIG_OPERATORS = ("∑", "∏", "∫", "⋃", "⋂")
SCRIPTED = ("msub", "msup", "msubsup", "munder", "mover", "munderover")


def _row(children) -> str:
    pieces: list[str] = []
    previous = None
    for child in children:
        text = _text(child)
        if pieces and text[:1].isalpha():
            word = (
                re.fullmatch(r"[A-Za-z]{2,}", pieces[-1] or "") and _tag(previous) == "mi"
            )  # an operator name: log x, diag s
            scripted = _tag(previous) in SCRIPTED  # s_i s_j, not s_is_j
            if word or scripted or pieces[-1].startswith(BIG_OPERATORS):
                pieces.append(" ")
        pieces.append(text)
        previous = child
    return "".join(pieces)


def math_text(mathml: str) -> str:
    """The plain-text reading of one `<math>...</math>` element."""
    root = ET.fromstring(mathml)
    text = re.sub(r"\s+", " ", _text(root)).replace("( ", "(").replace(" )", ")").strip()
    text = re.sub(r"\b([A-Za-z]{2,}) \(", r"\1(", text)  # diag(s), max(0, r)
    return re.sub(r"(^|[(\[;,=] ?)− ", r"\1−", text)  # a unary minus is not spaced like a binary one
