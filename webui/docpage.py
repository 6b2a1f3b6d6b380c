"""The document page (``/doc/<id>?q=…``): the whole text, the query's matches marked, in time linear in the
document's size and within a time budget.

The matches are those of :func:`indexer.search.snippets.match_spans` over the document's text as a whole
(sections joined by line breaks, so a match may cross a break), found chunk by chunk: a chunk of sections is
searched together with the sections after it that hold at least as many normalised characters as the longest
needle (so every match that *starts* in the chunk is found whole), and only the matches that start in it are
kept. Normalisation works line by line, so a chunk gives the spans the whole text would. Spans are assigned
to sections and lines by one sweep with binary search, never sections × matches.

Between chunks the clock is read: past the budget, the rest of the document is shown without highlights and
the page says so (the text is always there in full; escaping it is cheap). ``marks`` (offsets in the joined
text, e.g. passages shared with another document) are marked everywhere.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from indexer.search.results import DocumentView, SectionView, region_label
from indexer.search.service import highlight_terms
from indexer.search.snippets import match_spans
from indexer.text.normalize import normalize
from webui.matchnav import number_matches
from webui.presenters import citations, mark

Span = tuple[int, int]
#: Characters of text searched at once between two looks at the clock.
CHUNK_CHARS = 32_768


def clip(spans: Sequence[Span], starts: Sequence[int], lengths: Sequence[int]) -> list[list[Span]]:
    """``spans`` (sorted by start, in the coordinates of the pieces laid end to end with ``starts``) cut into
    each piece's own coordinates. Each span costs a binary search and one step per piece it touches."""
    out: list[list[Span]] = [[] for _ in starts]
    for a, b in spans:
        i = max(0, bisect_right(starts, a) - 1)
        while i < len(starts) and starts[i] < b:
            s, e = starts[i], starts[i] + lengths[i]
            if a < e and b > s:
                out[i].append(((a if a > s else s) - s, (b if b < e else e) - s))
            i += 1
    return out


class _Matcher:
    """The merged match spans of the joined sections, produced chunk by chunk in document order."""

    def __init__(self, texts: list[str], starts: list[int], needles: list[str]) -> None:
        self.texts, self.starts, self.needles = texts, starts, needles
        self.longest = max((len(normalize(n)) for n in needles), default=0)
        self.merged: list[Span] = []  # every merged span found so far (its length is the match count)

    def chunk(self, i: int) -> int:
        """Find the matches that start in the chunk of sections from ``i``; returns the first section after it."""
        texts, n = self.texts, len(self.texts)
        j, size = i, 0
        while j < n and (j == i or size < CHUNK_CHARS):
            size += len(texts[j]) + 1
            j += 1
        k, ahead = j, 0
        while k < n and ahead < self.longest - 1:
            ahead += len(normalize(texts[k]))
            k += 1
        base = self.starts[i]
        end = self.starts[j] if j < n else base + size
        for a, b in match_spans("\n".join(texts[i:k]), self.needles):
            a, b = a + base, b + base
            if a >= end:
                break
            if self.merged and a <= self.merged[-1][1]:
                self.merged[-1] = (self.merged[-1][0], max(b, self.merged[-1][1]))
            else:
                self.merged.append((a, b))
        return j


def _paragraphs(text: str, spans: list[Span]) -> list[Markup]:
    """The section's non-empty lines, escaped, with ``spans`` (section coordinates, sorted) marked."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    per_line = clip(spans, starts, [len(x) for x in lines]) if spans else [[] for _ in lines]
    return [mark(line, sp) if sp else Markup(escape(line)) for line, sp in zip(lines, per_line) if line.strip()]


def _merge(a: list[Span], b: list[Span]) -> list[Span]:
    return sorted(a + b) if a and b else a or b


def _sections(sections: list[SectionView], needles: list[str], marks: list[Span], deadline: float
              ) -> tuple[list[dict[str, Any]], int, int]:
    """(the sections as the template shows them, merged matches found, sections searched before the deadline)."""
    texts = [s.text for s in sections]
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    lengths = [len(t) for t in texts]
    marked = clip(sorted(marks), starts, lengths) if marks else [[] for _ in texts]
    matcher = _Matcher(texts, starts, needles)
    out: list[dict[str, Any]] = []
    i, searched, first = 0, 0, 0  # first: the earliest merged span that may reach section i
    while i < len(texts):
        if needles and time.monotonic() < deadline:
            j = searched = matcher.chunk(i)
            while first < len(matcher.merged) and matcher.merged[first][1] <= starts[i]:
                first += 1
            spans = clip(matcher.merged[first:], starts[i:j], lengths[i:j])
        else:  # no query, or out of time: the rest without the query's highlights
            j = len(texts)
            spans = [[] for _ in range(i, j)]
        for n in range(i, j):
            s, sp = sections[n], _merge(spans[n - i], marked[n])
            highlight = bool(needles) and n < searched
            out.append({"section": s, "paragraphs": _paragraphs(s.text, sp), "hit": bool(sp),
                        "heading_html": mark(s.heading or "", match_spans(s.heading or "", needles))
                        if highlight and s.heading else Markup(escape(s.heading or ""))})
        i = j
    return out, len(matcher.merged), searched if needles else len(texts)


def document_page(doc: DocumentView, q: str, mode: str, base_url: str = "", marks: list[Span] | None = None,
                  budget_seconds: float = 2.0, synonyms: bool = True) -> dict[str, Any]:
    """Everything the document page shows: sections with highlights (the query's matches and ``marks``), a
    table of contents, citations, and a notice when the budget ran out before the last section."""
    deadline = time.monotonic() + budget_seconds
    needles = highlight_terms(q, mode, synonyms) if q else []
    built, count, searched = _sections(doc.sections, needles, list(marks or []), deadline)
    sections: list[dict[str, Any]] = []
    toc: list[dict[str, Any]] = []
    for b in built:
        s = b["section"]
        anchor = "s" + s.section_id.rsplit("#", 1)[-1]
        continued = bool(toc) and toc[-1]["heading"] == s.heading
        if s.heading and not continued:
            toc.append({"heading": s.heading, "anchor": anchor, "hit": b["hit"]})
        elif continued and b["hit"]:
            toc[-1]["hit"] = True
        sections.append({"anchor": anchor, "heading": None if continued else s.heading,
                         "heading_html": b["heading_html"], "paragraphs": b["paragraphs"], "hit": b["hit"]})
    if needles:
        number_matches(sections)  # #m1 … #mN, each with links to the previous and the next
    partial = searched < len(sections)
    safe_url = doc.url if (doc.url or "").startswith(("http://", "https://")) else None
    return {"doc": doc, "sections": sections, "toc": toc, "cite": citations(doc),
            "source_url": safe_url, "q": q, "mode": mode, "matches": count, "partial": partial,
            "searched": searched, "hits": sum(1 for s in sections if s["hit"]),
            "region_label": region_label(doc.region)}
