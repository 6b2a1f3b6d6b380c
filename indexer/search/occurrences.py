"""Every occurrence of a query's wordings in the sections it matches: what concordance lines are made of.

:meth:`SearchService.occurrences <indexer.search.service.SearchService.occurrences>` runs in four steps, all
on one generation:

1. **positions** — every occurrence of each normalised wording in the documents' continuous text
   (:func:`indexer.search.exact.occurrences`, any length from one character), kept where the section
   holding its first character is a match of the query (live, filtered). Overlapping occurrences all count,
   and two in one section count twice.
2. **cheap lines** — each becomes an :class:`~indexer.search.results.Occurrence` whose context is the
   *normalised* continuous text (two slices of the mapped text) and whose metadata is its document's (one
   stored read per document, not per occurrence); its ``section_id`` is still empty.
3. **order** — the caller's key sorts them (stably: ties keep text order, documents in the order they
   entered the index).
4. **window** — only the requested window is resolved: section ids, and context in the *original* text as
   the document page shows it (the stored sections around the match, mapped back with
   :func:`~indexer.text.normalize.normalize_with_offsets`; line breaks become spaces). A match inside a
   title or heading line keeps its normalised context.

At most :data:`MAX_LISTED` occurrences are listed and sorted; ``total`` still counts every one, and the
answer is marked partial when more were found (or the time budget ran out).
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from indexer.arrays import distinct
from indexer.index.doctext import SEP
from indexer.search.exact import Budget, occurrences
from indexer.search.generation import Generation, PartView
from indexer.search.results import Occurrence, Occurrences, Region
from indexer.text.normalize import normalize_with_offsets

#: The most occurrences one request lists (sorts and pages through); ``total`` counts beyond it.
MAX_LISTED = 50_000
_SPACE = re.compile(r"\s+")

Order = Callable[[Occurrence], Any]
Link = Callable[[str, str], str]


@dataclass(slots=True)
class _Found:
    """A listed occurrence and where it is: its part, section (within the part) and byte offset."""

    line: Occurrence
    part: PartView
    local: int
    pos: int


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


#: Per generation: document number → what an occurrence shows of its document (read once, then kept while
#: the generation is served; at most one small tuple per document).
_DOC_CACHE: weakref.WeakKeyDictionary[Generation, dict[int, tuple[Any, ...]]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


class _Docs:
    """Metadata of documents, read once per document and generation (its first section's stored record)."""

    def __init__(self, gen: Generation) -> None:
        self.gen = gen
        with _CACHE_LOCK:
            self.cache = _DOC_CACHE.setdefault(gen, {})

    def line(self, doc: int, left: str, match: str, right: str) -> Occurrence:
        """An occurrence in document ``doc`` (global number), its section not yet resolved."""
        m = self.cache.get(doc)
        if m is None:
            st = self.gen.stored(int(self.gen.doc_first[doc]))
            meta: dict[str, Any] = st.get("meta") or {}
            m = self.cache[doc] = (st["doc_id"], meta.get("title"), bool(meta.get("title_derived")),
                                   meta.get("date"), meta.get("date_precision"), meta.get("year"),
                                   Region(meta.get("province"), meta.get("city")), bool(meta.get("date_inferred")))
        return Occurrence(m[0], "", m[1], m[2], m[3], m[4], m[5], m[6], left, match, right, "", m[7])


def _positions(gen: Generation, wordings: list[str], mask: np.ndarray, budget: Budget
               ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Part index → (byte offsets, wording indices) of the occurrences whose section is in ``mask``, in text
    order."""
    raw: dict[int, tuple[list[int], list[int]]] = {}
    index = {id(p): i for i, p in enumerate(gen.parts)}
    for w, wording in enumerate(wordings):
        for part, at in occurrences(gen, wording, budget):
            found = raw.setdefault(index[id(part)], ([], []))
            found[0].append(at)
            found[1].append(w)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for i, (at_list, w_list) in raw.items():
        p = gen.parts[i]
        pos, ws = np.array(at_list, dtype=np.int64), np.array(w_list, dtype=np.int64)
        if len(wordings) > 1:
            order = np.lexsort((ws, pos))
            pos, ws = pos[order], ws[order]
        keep = mask[p.base + np.searchsorted(p.part.starts, pos, side="right") - 1]
        out[i] = (pos[keep], ws[keep])
    return out


def _lines(gen: Generation, wordings: list[str], found: dict[int, tuple[np.ndarray, np.ndarray]], width: int,
           budget: Budget) -> tuple[list[_Found], int, int]:
    """(listed occurrences with normalised context, total, documents). Listed in text order: documents in the
    order they entered the index (the time added, then their place; merges of segments do not change it, and it
    is the order the database backend lists them in), then by position — the first :data:`MAX_LISTED`."""
    docs = _Docs(gen)
    lengths = np.array([len(w.encode("utf-8")) for w in wordings], dtype=np.int64)  # bytes
    columns: list[tuple[np.ndarray, ...]] = []
    for i in sorted(found):
        p = gen.parts[i]
        starts, doc_start = np.asarray(p.part.starts), np.asarray(p.part.doc_start)
        pos, ws = found[i]
        local = np.searchsorted(starts, pos, side="right") - 1
        doc = np.searchsorted(doc_start, local, side="right") - 1
        lo = np.maximum(starts[doc_start[doc]], pos - 4 * width)
        ends = pos + lengths[ws]
        hi = np.minimum(starts[doc_start[doc + 1]], ends + 4 * width)
        columns.append((np.full(len(pos), i), pos, ends, ws, local, p.doc_base + doc, lo, hi))
    if not columns:
        return [], 0, 0
    part, pos, ends, ws, local, doc, lo, hi = (np.concatenate(c) for c in zip(*columns, strict=True))
    total, documents = len(pos), len(distinct(doc))
    # stable: a section's occurrences keep their (position, wording) order from _positions
    take = np.lexsort((part, gen.added[doc]))[:MAX_LISTED]
    listed: list[_Found] = []
    for k, (i, at, end, w, sec, d, a, b) in enumerate(zip(
            part[take].tolist(), pos[take].tolist(), ends[take].tolist(), ws[take].tolist(), local[take].tolist(),
            doc[take].tolist(), lo[take].tolist(), hi[take].tolist(), strict=True)):
        if k % 1024 == 1023 and budget.over():
            break
        p = gen.parts[i]
        left = p.part.text[a:at].decode("utf-8", "ignore")[-width:]
        right = p.part.text[end:b].decode("utf-8", "ignore")[:width]
        if SEP in left or SEP in right:
            left, right = left.replace(SEP, " "), right.replace(SEP, " ")
        listed.append(_Found(docs.line(d, left, wordings[w], right), p, sec, at))
    return listed, total, documents


def _resolve(gen: Generation, f: _Found, width: int, link: Link) -> Occurrence:
    """The occurrence with its section id and its context in the original text."""
    part, local = f.part.part, f.local
    sec = f.part.base + local
    first, last = int(gen.doc_first[gen.doc_of[sec]]), int(gen.doc_first[gen.doc_of[sec] + 1])
    piece_start = int(part.starts[local])
    offset = len(part.text[piece_start:f.pos].decode("utf-8", "ignore"))
    piece = part.text[piece_start:int(part.starts[local + 1])].decode("utf-8", "ignore")
    offset -= piece.rfind(SEP) + 1  # title and heading lines that prefix the section's own text
    record = gen.stored(sec)
    line = replace(f.line, section_id=record["section_id"], url=link(f.line.doc_id, record["section_id"]))
    if offset < 0:  # the match starts in a title or heading line: keep the normalised context
        return line
    before = (gen.stored(sec - 1).get("text") or "") if sec > first and offset < 2 * width else ""
    texts = [record.get("text") or ""]
    nxt = sec + 1
    while nxt < last and nxt <= sec + 3 and sum(map(len, texts)) < offset + len(line.match) + 2 * width:
        texts.append(gen.stored(nxt).get("text") or "")
        nxt += 1
    return in_context(line, before, texts, offset, width)


def in_context(line: Occurrence, before: str, texts: list[str], offset: int, width: int) -> Occurrence:
    """``line`` with its context from the original text: ``texts`` are the section holding the match (which
    starts ``offset`` normalised characters into it) and the ones after it, ``before`` the one before it
    (or ""); the match is found through the normalisation's offsets. Unchanged when the stored text and the
    index disagree."""
    joined = "\n".join(([before] if before else []) + texts)
    norm, origin = normalize_with_offsets(joined)
    start = (bisect.bisect_left(origin, len(before) + 1) if before else 0) + offset
    end = start + len(line.match)
    if end > len(norm) or norm[start:end] != line.match:  # the stored text and the index disagree
        return line
    o_start, o_end = origin[start], origin[end - 1] + 1
    return replace(line, left=_flat(joined[:o_start])[-width:], match=_flat(joined[o_start:o_end]),
                   right=_flat(joined[o_end:])[:width])


def find_occurrences(gen: Generation, matches: np.ndarray, wordings: list[str], width: int, order: Order | None,
                     window: tuple[int, int], budget: Budget, link: Link) -> Occurrences:
    """Occurrences of the normalised ``wordings`` in the sections ``matches`` (global numbers), ordered by
    ``order`` (text order when None); the ``window`` (start, count) of them resolved (module docstring)."""
    mask = np.zeros(gen.n, dtype=bool)
    mask[matches] = True
    wordings = [w for w in dict.fromkeys(wordings) if w and SEP not in w]
    found = _positions(gen, wordings, mask, budget)
    listed, total, documents = _lines(gen, wordings, found, width, budget)
    if order is not None:
        listed.sort(key=lambda f: order(f.line))
    start, count = max(0, window[0]), max(0, window[1])
    items = [_resolve(gen, f, width, link) for f in listed[start:start + count]]
    return Occurrences(total=total, documents=documents, items=items,
                       partial=budget.exhausted or len(listed) < total)
