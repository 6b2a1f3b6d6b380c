"""BM25 in SQL, computed from stored statistics, with the scores :mod:`indexer.search.ranking` gives — to the bit.

Why not ``ts_rank``: it is not BM25 (no inverse document frequency, no length saturation: it weighs a
section by how often and how close the query's lexemes occur in it), it reads ``tsvector`` positions, which
stop at 16,383 and whose lexemes come from PostgreSQL's own parser, and its figures could not be compared
with the embedded index's. Here every input is ours:

* N and the average section length: the visible sections and their bytes, summed over ``tz_stats`` (kept
  exact by every writer, :mod:`.writer`);
* df: the visible sections where the term starts as exact wording — the same test as matching, counted
  per request in the same statement (the set also answers whether a row holds the term); idf =
  ln(1 + (N − df + ½) / (df + ½)) in double precision, PostgreSQL's ``ln`` being the C library's ``log``
  that Python's ``math.log`` calls;
* tf: the jieba word frequency stored per section (``tf`` holds those ≥ 2), at least 1 where the term is
  present; k1 = 1.2, b = 0.75 over the section's length in bytes;
* the title boost (term in the document's normalised title, ``TITLE_BOOST`` × idf) and the phrase boost (the
  whole query as exact wording in the section, ``PHRASE_BOOST``).

The Whoosh side accumulates in 32-bit floats (numpy); here the same operations run in ``real`` arithmetic in
the same order, with the title boost added in double precision and rounded back. The phrase boost is added in
double precision to the 32-bit score and the sum orders the results, as :func:`indexer.search.ranking.rank`
does; the score shown is that sum rounded to 32 bits (Whoosh shows the unrounded sum when it boosts every
candidate at once, past ``LAZY_LIMIT`` candidates: the shown score may then differ in its last decimal).
Both backends give identical orders (ties: newer date, then section order).
"""

from __future__ import annotations

from indexer.pg.matching import Compiler
from indexer.search.ranking import K1, PHRASE_BOOST, TITLE_BOOST, B


def _real(x: float) -> str:
    return f"{float(x)!r}::float8::real"


def matches_sql(c: Compiler, cond: str, columns: str, terms: list[str], required: set[str], whole: str | None,
                sole: str | None = None) -> str:
    """CTEs ending with ``m``: the sections matching ``cond`` with ``columns`` and ``rank`` — BM25 for the
    distinct normalised ``terms`` (NULL without terms). Each term's sections are a CTE of their own, counted for
    its df and probed for its presence; the ``sole`` term (the whole query, no filter) is counted from the
    matches themselves. Per-row inputs are computed once (``m0``), scores once the idfs are known (``m``)."""
    if not terms:
        return f"m AS MATERIALIZED (SELECT {columns}, NULL::float8 AS rank FROM tz_sections s WHERE {cond})"
    ctes = [f"t{i} AS MATERIALIZED (SELECT s.sec FROM tz_sections s WHERE s.visible AND {c.exact(t).sql()})"
            for i, t in enumerate(terms) if t != sole]
    ctes.append("st AS MATERIALIZED (SELECT greatest(coalesce(sum(sections), 0), 1)::float8 AS n, "
                "CASE WHEN coalesce(sum(sections), 0) > 0 THEN sum(bytes)::float8 / sum(sections)::float8 "
                "ELSE 1.0::float8 END AS avgdl FROM tz_stats)")
    inputs = [f"({_real(K1)} * ({_real(1 - B)} + ({_real(B)} * s.bytes::real) / greatest(st.avgdl, 1.0)::real)) "
              "AS norm"]
    score = "0::real"
    for i, term in enumerate(terms):
        present = "TRUE" if term in required else f"s.sec IN (SELECT sec FROM t{i})"
        inputs.append(f"CASE WHEN {present} THEN coalesce((s.tf ->> {c.param(term)})::real, 1::real) "
                      f"ELSE 0::real END AS tf{i}")
        inputs.append(f"({c.title(term).test}) AS title{i}")
        score = f"({score} + ((w.idf{i}::real * m0.tf{i}) * {_real(K1 + 1)}) / (m0.tf{i} + m0.norm))"
        boost = f"{float(TITLE_BOOST)!r}::float8 * w.idf{i}"
        score = f"(({score})::float8 + CASE WHEN m0.title{i} THEN {boost} ELSE 0 END)::real"
    rank = f"({score})::float8"
    if whole:
        ctes.append(f"tw AS MATERIALIZED (SELECT s.sec FROM tz_sections s WHERE s.visible AND {c.exact(whole).sql()})")
        inputs.append("s.sec IN (SELECT sec FROM tw) AS whole")
        rank = f"({rank} + CASE WHEN m0.whole THEN {float(PHRASE_BOOST)!r}::float8 ELSE 0 END)"
    ctes.append(f"m0 AS MATERIALIZED (SELECT {columns}, {', '.join(inputs)} FROM tz_sections s, st WHERE {cond})")
    counts = ", ".join(f"(SELECT count(*) FROM {'m0' if t == sole else f't{i}'}) AS df{i}"
                       for i, t in enumerate(terms))
    idfs = ", ".join(f"ln(1::float8 + (st.n - c.df{i}::float8 + 0.5::float8) / (c.df{i}::float8 + 0.5::float8)) "
                     f"AS idf{i}" for i in range(len(terms)))
    ctes.append(f"w AS MATERIALIZED (SELECT {idfs} FROM st, (SELECT {counts} OFFSET 0) c)")
    ctes.append(f"m AS MATERIALIZED (SELECT m0.*, {rank} AS rank FROM m0, w)")
    return ", ".join(ctes)


def order_sql(sort: str, ranked: bool) -> str:
    """ORDER BY of the rows of ``m`` (rank, date_lo, date_hi, added, sec): relevance, the time documents entered
    the index, or dates with undated last; a document dated only by year sorts after the dated ones of its
    year in both directions."""
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
