"""Snippets: find the matched wording in the *original* text and say where it is.

Matching happens in the normalised text (so 統一戰線 in the document is found by 统一战线 in the query);
:func:`indexer.text.normalize.normalize_with_offsets` maps every normalised character back to the original
one, so the spans land on the right characters even where normalisation removed spaces or changed widths.
No HTML here: a snippet is plain text and ``[start, end)`` spans; renderers mark them.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.text.normalize import normalize, normalize_with_offsets

SNIPPET_CHARS = 160


@dataclass
class Snippet:
    """A window of a section's text and the spans of the matches inside it."""

    text: str
    spans: list[list[int]]


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


def without_heading_line(text: str, heading: str | None) -> str:
    """``text`` without its first line when that line only repeats the heading (a list marker allowed)."""
    if not heading or "\n" not in text:
        return text
    first, rest = text.split("\n", 1)
    nf, nh = normalize(first), normalize(heading)
    if nh and nf.endswith(nh) and len(nf) - len(nh) <= 6:
        return rest
    return text


def snippet(text: str, needles: list[str], width: int = SNIPPET_CHARS) -> Snippet:
    """A window of ``text`` around its first match, with the matches' spans (relative to the window).
    Line breaks become spaces; a match longer than ``width`` is shown whole."""
    flat = text.replace("\n", " ")
    spans = match_spans(flat, needles)
    if not spans:
        return Snippet(flat[:width] + ("…" if len(flat) > width else ""), [])
    first_s, first_e = spans[0]
    start = max(0, first_s - width // 4)
    end = min(len(flat), max(start + width, first_e))
    start = max(0, min(start, end - width))
    cut = [e for s, e in spans if s < end < e]
    if cut:  # never cut a match in two at the window's end
        end = min(len(flat), cut[0])
    prefix = "…" if start else ""
    shift = len(prefix) - start
    body = flat[start:end]
    inside = [[max(s, start) + shift, min(e, end) + shift] for s, e in spans if s < end and e > start]
    return Snippet(prefix + body + ("…" if end < len(flat) else ""), inside)
