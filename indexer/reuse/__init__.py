"""Wording reuse: passages two documents share, found at import the way passim finds text reuse.

How the parts fit:

* :mod:`.fingerprints` — a document's *reuse text* (its sections' normalised text, in order, without the
  title and headings the search text adds) and its fingerprints: winnowed character n-grams with positions.
* :mod:`.align` — candidate seeds from shared *rare* fingerprints (in 2 to ``max_df`` documents), grouped
  into runs along a diagonal, then aligned locally over the texts: exact runs merged across small edits (a
  changed place name or number) and chained across small shifts, kept when at least ``min_chars`` long.
* :mod:`.store` — the derived data beside the index (``<index>/reuse/``): every processed document's
  fingerprints and the pairs found, with their spans; versions appear by an atomic switch.
* :mod:`.update` — after each commit: compares only the new documents with what is indexed, re-checks the
  few old pairs whose fingerprints changed rarity, drops removed documents (incremental == full rebuild).
* :mod:`.view` — the read side for the search backend: a document's shared passages in displayed-text
  offsets, which one is earlier, and the corpus-wide list of pairs.

Documents are identified by the hash of their normalised text (the generation's ``doc_hash``), so copies
with identical text are one document and a re-imported changed file is a new one.
"""
