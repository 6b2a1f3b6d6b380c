"""Ranking in SQL, with the scores :mod:`indexer.search.ranking` gives — to the bit.

Why not ``ts_rank``: it is not BM25 (no inverse document frequency, no length saturation: it weighs a
section by how often and how close the query's lexemes occur in it), it reads ``tsvector`` positions, which
stop at 16,383 and whose lexemes come from PostgreSQL's own parser, and its figures could not be compared
with the embedded index's. Here every input is ours.

First stage, every match, in SQL (BM25F over the section's text and its document's title):

* N and the average section length: the visible sections and their bytes, summed over ``tz_stats`` (kept
  exact by every writer, :mod:`.writer`);
* per ranking term (:class:`~indexer.search.rankquery.RankQuery`; a synonym group is one term): df, the
  visible sections holding it — each wording's sections are a CTE of their own, counted (a group: their
  union of intersections) and probed for presence; idf = ln(1 + (N − df + ½) / (df + ½)) in double precision,
  PostgreSQL's ``ln`` being the C library's ``log`` that Python's ``math.log`` calls;
* tf: the jieba word frequency stored per section (``tf`` holds those ≥ 2), at least 1 where the wording is
  present (a group: the greatest over its alternatives of the least over an alternative's words); the
  title field: the wording in the document's normalised title;
* tt = tf / (1 − b + b · bytes / avgdl) + [in title], score = Σ idf · tt · (k1 + 1) / (tt + k1).

The Whoosh side computes in 32-bit floats (numpy); here the same operations run in ``real`` arithmetic in
the same order, so the scores are equal to the bit. Second stage: the head — the
:data:`~indexer.search.passages.HEAD` best by the first stage (ties: newer date, then section order) — comes
back with what :func:`indexer.search.passages.head_scores` needs (the phrase test, the text of long
sections, the title flags, the idfs), and that one function, which the embedded index calls too, gives
the final scores. Results are the head in its final order, then every other match in first-stage order
(:mod:`.search` assembles the page).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.pg.matching import Compiler
from indexer.search import passages
from indexer.search.passages import K1, PASSAGE, B, Head, head_scores
from indexer.search.rankquery import RankQuery


def _real(x: float) -> str:
    return f"{float(x)!r}::float8::real"


def _any(parts: list[str], op: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + f" {op} ".join(parts) + ")"


def _call(func: str, args: list[str]) -> str:
    return args[0] if len(args) == 1 else f"{func}({', '.join(args)})"


def matches_sql(c: Compiler, cond: str, columns: str, rq: RankQuery | None, required: set[str],
                sole: str | None = None) -> str:
    """CTEs ending with ``m``: the sections matching ``cond`` with ``columns`` and ``rank`` — the first-stage
    score for ``rq`` (NULL without terms) — and, when ranking, ``w``: one row of the terms' idfs
    (``idf0`` …) and ``avgdl``. Terms in ``required`` are in every match; the ``sole`` term (the whole query, no
    filter) is counted from the matches themselves. Per-row inputs are computed once (``m0``), scores once
    the idfs are known (``m``)."""
    if not rq:
        return f"m AS MATERIALIZED (SELECT {columns}, NULL::float8 AS rank FROM tz_sections s WHERE {cond})"
    terms = rq.terms
    ctes = [f"t{i} AS MATERIALIZED (SELECT s.sec FROM tz_sections s WHERE s.visible AND {c.exact(t).sql()})"
            for i, t in enumerate(terms) if t != sole]
    ctes.append("st AS MATERIALIZED (SELECT greatest(coalesce(sum(sections), 0), 1)::float8 AS n, "
                "CASE WHEN coalesce(sum(sections), 0) > 0 THEN sum(bytes)::float8 / sum(sections)::float8 "
                "ELSE 1.0::float8 END AS avgdl FROM tz_stats)")
    inputs = [f"({_real(1 - B)} + ({_real(B)} * s.bytes::real) / greatest(st.avgdl, 1.0)::real) AS norm"]
    for i, term in enumerate(terms):
        present = "TRUE" if term in required else f"s.sec IN (SELECT sec FROM t{i})"
        inputs.append(f"CASE WHEN {present} THEN coalesce((s.tf ->> {c.param(term)})::real, 1::real) "
                      f"ELSE 0::real END AS tf{i}")
        inputs.append(f"({c.title(term).test}) AS title{i}")
    index = {t: i for i, t in enumerate(terms)}
    score = "0::real"
    counts = []
    for j, group in enumerate(rq.groups):
        alts = [_call("least", [f"m0.tf{index[t]}" for t in alt]) for alt in group]
        tf = _call("greatest", alts)
        title = _any([_any([f"m0.title{index[t]}" for t in alt], "AND") for alt in group], "OR")
        tt = f"(({tf}) / m0.norm + (CASE WHEN {title} THEN 1::real ELSE 0::real END))"
        score = f"({score} + ((w.idf{j}::real * {tt}) * {_real(K1 + 1)}) / ({tt} + {_real(K1)}))"
        if len(group) == 1 and len(group[0]) == 1:
            t = group[0][0]
            counts.append(f"(SELECT count(*) FROM {'m0' if t == sole else f't{index[t]}'}) AS df{j}")
        else:
            union = " UNION ".join(" INTERSECT ".join(f"SELECT sec FROM t{index[t]}" for t in alt) for alt in group)
            counts.append(f"(SELECT count(*) FROM ({union}) u) AS df{j}")
    ctes.append(f"m0 AS MATERIALIZED (SELECT {columns}, {', '.join(inputs)} FROM tz_sections s, st WHERE {cond})")
    idfs = ", ".join(f"ln(1::float8 + (st.n - c.df{j}::float8 + 0.5::float8) / (c.df{j}::float8 + 0.5::float8)) "
                     f"AS idf{j}" for j in range(len(rq.groups)))
    ctes.append(f"w AS MATERIALIZED (SELECT {idfs}, st.avgdl FROM st, (SELECT {', '.join(counts)} OFFSET 0) c)")
    ctes.append(f"m AS MATERIALIZED (SELECT m0.*, ({score})::float8 AS rank FROM m0, w)")
    return ", ".join(ctes)


def head_sql(c: Compiler, rq: RankQuery) -> str:
    """A CTE ``h``: the head of ``m`` (first-stage order) with, per row, whether the whole query starts there,
    each term's title flag, and the text of long sections (NULL for the others)."""
    titles = "".join(f", m.title{i}::int" for i in range(len(rq.terms)))
    whole = c.exact(rq.whole).full if rq.whole else "FALSE"
    return (f"h AS MATERIALIZED (SELECT m.sec, m.doc, m.rank, ARRAY[m.date_lo, ({whole})::int{titles}]::float8[] "
            f"AS info, CASE WHEN s.bytes::float8 > {float(PASSAGE)!r}::float8 * greatest(w.avgdl, 1.0::float8) "
            f"THEN s.piece END AS piece FROM (SELECT * FROM m ORDER BY rank DESC, date_lo DESC, sec "
            f"LIMIT {passages.HEAD}) m JOIN tz_sections s ON s.sec = m.sec, w)")


def idf_sql(rq: RankQuery) -> str:
    """The idfs of ``w`` and the average section length, as one ``float8[]``."""
    return "ARRAY[" + "".join(f"w.idf{j}, " for j in range(len(rq.groups))) + "w.avgdl]::float8[]"


@dataclass(frozen=True)
class HeadRow:
    """One section of the head, as :func:`head_sql` returns it."""

    sec: int
    doc: int
    rank: float
    date_lo: int
    titles: list[bool]
    whole: bool
    piece: str | None

    @classmethod
    def of(cls, sec: int, doc: int, rank: float, info: list[float], piece: str | None) -> HeadRow:
        return cls(int(sec), int(doc), float(rank), int(info[0]), [bool(x) for x in info[2:]], bool(info[1]), piece)


def rerank(rows: list[HeadRow], rq: RankQuery, idfs: list[float], avgdl: float) -> list[tuple[HeadRow, float]]:
    """The head in its final order with the final scores (see :mod:`indexer.search.passages`)."""
    rows = sorted(rows, key=lambda r: (-r.rank, -r.date_lo, r.sec))
    index = {t: i for i, t in enumerate(rq.terms)}
    titles = []
    for group in rq.groups:  # a group is in the title when every word of one alternative is
        titles.append(np.array([any(all(r.titles[index[t]] for t in alt) for alt in group) for r in rows], bool))
    head = Head(np.array([r.rank for r in rows], dtype=np.float32), np.array([r.whole for r in rows], bool),
                [None if r.piece is None else r.piece.encode("utf-8") for r in rows], titles)
    final = head_scores(head, rq, idfs, avgdl)
    order = sorted(range(len(rows)), key=lambda i: (-final[i], -rows[i].date_lo, rows[i].sec))
    return [(rows[i], float(final[i])) for i in order]


def order_sql(sort: str, ranked: bool) -> str:
    """ORDER BY of the rows of ``m`` (rank, date_lo, date_hi, added, sec): relevance (first stage), the time
    documents entered the index, or dates with undated last; a document dated only by year sorts after the
    dated ones of its year in both directions."""
    if sort == "added":
        return "added DESC, sec"
    if ranked:
        return "rank DESC, date_lo DESC, sec"
    if sort == "oldest":
        return "(date_lo = 0), date_hi, sec"
    return "(date_lo = 0), date_lo DESC, sec"


def key_sql(sort: str, ranked: bool) -> str:
    """The same order as one ascending ``float8[]`` (for ``min`` over a document's sections: its best one)."""
    if sort == "added":
        return "ARRAY[-added, sec]::float8[]"
    if ranked:
        return "ARRAY[-rank, -date_lo, sec]::float8[]"
    if sort == "oldest":
        return "ARRAY[(date_lo = 0)::int, date_hi, sec]::float8[]"
    return "ARRAY[(date_lo = 0)::int, -date_lo, sec]::float8[]"
