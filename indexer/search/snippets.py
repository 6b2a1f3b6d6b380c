"""Highlighting: find the matched wording in the *original* text and mark it, escaping everything else.

Matching happens in the normalised text (so 統一戰線 in the document is found by 统一战线 in the query);
:func:`indexer.text.normalize.normalize_with_offsets` maps every normalised character back to the original one,
so the marks land on the right characters even where normalisation removed spaces or changed widths.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from indexer.text.normalize import normalize, normalize_with_offsets

SNIPPET_CHARS = 160


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where any needle (normalised) occurs."""
    norm, origin = normalize_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for needle in {normalize(n) for n in needles if n}:
        if not needle:
            continue
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((origin[start], origin[end - 1] + 1))
            start = norm.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> Markup:
    """``text`` escaped, with ``<mark>`` around the spans (given in coordinates shifted by ``offset``)."""
    out: list[str] = []
    pos = 0
    for s, e in spans:
        s, e = s - offset, e - offset
        if e <= 0 or s >= len(text):
            continue
        s, e = max(s, 0), min(e, len(text))
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def snippet(text: str, needles: list[str], width: int = SNIPPET_CHARS) -> Markup:
    """A window of ``text`` around its first match, escaped, with the matches marked."""
    spans = match_spans(text, needles)
    if not spans:
        window = text[:width]
        return Markup(escape(window) + ("…" if len(text) > width else ""))
    first = spans[0][0]
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    body = mark(text[start:end], [sp for sp in spans if sp[0] < end and sp[1] > start], offset=start)
    return Markup(("…" if start else "") + body + ("…" if end < len(text) else ""))
