"""Every occurrence of a query's wordings in the sections it matches, on PostgreSQL: concordance lines with
the semantics of :mod:`indexer.search.occurrences` (the embedded index's).

1. **positions** — for each wording, the matching sections where it starts (the request's condition and the
   wording's exact condition, :mod:`.matching`), each with its piece and the document's text around it (the
   ``width`` characters before, the rest of the wording and ``width`` after, from the neighbouring pieces);
   every occurrence starting in the piece is found in Python, overlapping ones included;
2. **lines** — ordered as the embedded index lists them (section, then position, then wording), at most
   :data:`indexer.search.occurrences.MAX_LISTED` listed, every one counted; context is the normalised text,
   metadata the document's;
3. **order** and **window** — the caller's key sorts the listed lines (stably); only the window is resolved
   to section ids and context in the original text (:func:`resolve`, as the embedded index does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from indexer.index.doctext import SEP
from indexer.pg.matching import Compiler
from indexer.search import occurrences as embedded
from indexer.search.results import Occurrence, Occurrences, Region

Order = Callable[[Occurrence], Any]
Link = Callable[[str, str], str]
#: (section, document, character offset in the document's text, wording index, the line, offset in the piece)
Found = tuple[int, int, int, int, Occurrence, int]


def _positions(conn: Any, c: Compiler, cond: str, wording: str, w: int, width: int,
               metas: dict[int, Any]) -> list[Found]:
    """Every occurrence of one wording starting in the matching sections, with its normalised context."""
    n = len(wording)
    rows = conn.execute(
        f"SELECT s.sec, s.doc, s.start_char, s.piece, "
        f"(SELECT right(string_agg(x.piece, '' ORDER BY x.ordinal), {width}) FROM tz_sections x "
        f" WHERE x.doc = s.doc AND x.ordinal < s.ordinal AND x.start_char + x.piece_len > s.start_char - {width}), "
        f"(SELECT string_agg(x.piece, '' ORDER BY x.ordinal) FROM tz_sections x WHERE x.doc = s.doc "
        f" AND x.ordinal > s.ordinal AND x.start_char < s.start_char + s.piece_len + {n - 1 + width}) "
        f"FROM tz_sections s WHERE {cond} AND {c.exact(wording).sql()} ORDER BY s.sec", c.params).fetchall()
    out: list[Found] = []
    for sec, doc, start_char, piece, before, after in rows:
        before = before or ""
        text = before + piece + (after or "")
        base = len(before)
        pos = text.find(wording, base)
        while pos != -1 and pos < base + len(piece):
            left, right = text[max(0, pos - width):pos], text[pos + n:pos + n + width]
            if SEP in left or SEP in right:
                left, right = left.replace(SEP, " "), right.replace(SEP, " ")
            line = Occurrence("", "", None, False, None, None, None, Region(None, None), left, wording, right, "")
            out.append((sec, doc, start_char + pos - base, w, line, pos - base))
            metas.setdefault(doc, None)
            pos = text.find(wording, pos + 1)
    return out


def _with_meta(conn: Any, found: list[Found], metas: dict[int, Any]) -> None:
    """Fill in each listed line's document metadata (one read per document)."""
    docs = sorted({f[1] for f in found})
    for doc, doc_id, meta in conn.execute("SELECT doc, doc_id, meta FROM tz_documents WHERE doc = ANY(%s)", (docs,)):
        metas[doc] = (doc_id, meta)
    for i, (sec, doc, at, w, line, offset) in enumerate(found):
        doc_id, meta = metas[doc]
        found[i] = (sec, doc, at, w, replace(
            line, doc_id=doc_id, title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
            date=meta.get("date"), date_precision=meta.get("date_precision"), year=meta.get("year"),
            region=Region(meta.get("province"), meta.get("city")),
            date_inferred=bool(meta.get("date_inferred"))), offset)


def resolve(conn: Any, f: Found, width: int, link: Link) -> Occurrence:
    """The occurrence with its section id and its context in the original text (the stored sections around
    the match, mapped back through normalisation); a match in a title or heading line keeps its normalised
    context."""
    sec, doc, _, _, line, offset = f
    ordinal, piece = conn.execute("SELECT ordinal, piece FROM tz_sections WHERE sec = %s", (sec,)).fetchone()
    offset -= piece.rfind(SEP) + 1  # title and heading lines that prefix the section's own text
    texts = dict((o, (sid, body)) for o, sid, body in conn.execute(
        "SELECT ordinal, section_id, body FROM tz_section_texts WHERE doc = %s AND ordinal BETWEEN %s AND %s",
        (doc, ordinal - 1, ordinal + 3)))
    section_id = texts[ordinal][0]
    line = replace(line, section_id=section_id, url=link(line.doc_id, section_id))
    if offset < 0:
        return line
    before = (texts[ordinal - 1][1] or "") if ordinal - 1 in texts and offset < 2 * width else ""
    own = [texts[ordinal][1] or ""]
    nxt = ordinal + 1
    while nxt in texts and nxt <= ordinal + 3 and sum(map(len, own)) < offset + len(line.match) + 2 * width:
        own.append(texts[nxt][1] or "")
        nxt += 1
    return embedded.in_context(line, before, own, offset, width)


def find(conn: Any, c: Compiler, cond: str, wordings: list[str], width: int, order: Order | None,
         window: tuple[int, int], link: Link) -> Occurrences:
    """Occurrences of the normalised ``wordings`` in the sections of ``cond`` (module docstring)."""
    wordings = [w for w in dict.fromkeys(wordings) if w and SEP not in w]
    metas: dict[int, Any] = {}
    found: list[Found] = []
    for w, wording in enumerate(wordings):
        found += _positions(conn, c, cond, wording, w, width, metas)
    found.sort(key=lambda f: (f[0], f[2], f[3]))
    total, documents = len(found), len(metas)
    listed = found[:embedded.MAX_LISTED]
    _with_meta(conn, listed, metas)
    if order is not None:
        listed.sort(key=lambda f: order(f[4]))
    start, count = max(0, window[0]), max(0, window[1])
    items = [resolve(conn, f, width, link) for f in listed[start:start + count]]
    return Occurrences(total=total, documents=documents, items=items, partial=len(listed) < total)
