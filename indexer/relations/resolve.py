"""References resolved to documents, and what that makes of each document's status — one function for both
backends, over arrays of one generation (or one database state).

A reference is resolved to a live document (one per distinct text) other than the citing one:

1. by number: the documents whose 发文字号 has the reference's key;
2. else by exact title (:func:`indexer.relations.titles.title_key`);

among the candidates, those dated after the citing document are dropped (a text cannot cite what did not yet
exist), and when the reference states a year (its number's, （2015年）, 2015年印发的《…》) those of another year;
the latest of the rest is the one meant (the version in force when the citing text was written; equal dates: the
larger doc_id hash, the same on every backend). None left:
the reference stays unresolved and is shown as written.

Status: a resolved target of a validity statement (:mod:`.extract`) is abolished (废止, 停止执行, 不再执行,
代替 — the earliest such statement decides) or else amended (修订, 以本…为准 — the latest decides). Because
a reference never resolves to a later document, a document is never marked by a text older than itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.relations.extract import ABOLISH, AMEND, CITE, REPLACE

NONE, ABOLISHED, AMENDED = 0, 1, 2
STATUS_LABELS = ("未见废止或修订", "已废止", "已修订")


@dataclass
class Documents:
    """The documents references may come from and go to (index ``i`` is a document; ``live``: one per distinct
    text, visible — only those cite and are cited)."""

    live: np.ndarray
    docno: np.ndarray
    title: np.ndarray
    date_lo: np.ndarray
    date_hi: np.ndarray
    ident: np.ndarray
    version: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    series: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    flags: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))

    def __len__(self) -> int:
        return len(self.live)


@dataclass
class References:
    """Every reference: its document (``src``, an index of :class:`Documents`) and place in it (``ordinal``),
    kind, keys, stated year and effective date (YYYYMMDD, 0: the citing document's date)."""

    src: np.ndarray
    ordinal: np.ndarray
    kind: np.ndarray
    docno: np.ndarray
    title: np.ndarray
    year: np.ndarray
    date: np.ndarray

    def __len__(self) -> int:
        return len(self.src)


@dataclass
class Resolution:
    """Per reference its target (-1: unresolved); per document its status and the statement deciding it (-1)."""

    target: np.ndarray
    status: np.ndarray
    status_ref: np.ndarray


def _ranges(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.searchsorted(sorted_keys, keys, side="left")
    hi = np.searchsorted(sorted_keys, keys, side="right")
    hi = np.where(keys == 0, lo, hi)
    return lo, hi


def _match(docs: Documents, refs: References, doc_keys: np.ndarray, ref_keys: np.ndarray,
           wanted: np.ndarray) -> np.ndarray:
    """Target of each wanted reference by one kind of key (-1 where none qualifies)."""
    out = np.full(len(refs), -1, dtype=np.int64)
    pool = np.flatnonzero(docs.live & (doc_keys != 0))
    # by key, and within a key the latest last (date, then ident, then document): a reference's candidates are one
    # run of the pool in that order, and its target the last of them that qualifies
    pool = pool[np.lexsort((pool, docs.ident[pool], docs.date_hi[pool], doc_keys[pool]))]
    keys = np.where(wanted, ref_keys, 0).astype(np.uint64)
    lo, hi = _ranges(doc_keys[pool], keys)
    counts = (hi - lo).astype(np.int64)
    total = int(counts.sum())
    if not total:
        return out
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))  # where each reference's candidates start
    ref_of = np.repeat(np.arange(len(refs)), counts)
    cand = pool[np.arange(total) + np.repeat(lo - firsts, counts)]
    src = refs.src[ref_of]
    later = (docs.date_lo[cand] > 0) & (docs.date_hi[src] > 0) & (docs.date_lo[cand] > docs.date_hi[src])
    year = refs.year[ref_of].astype(np.int64)
    other_year = (year > 0) & (docs.date_lo[cand] > 0) & (docs.date_lo[cand] // 10000 != year) & \
        (docs.date_hi[cand] // 10000 != year)
    ok = (cand != src) & ~later & ~other_year
    found = np.flatnonzero(counts)  # the references with candidates; a run per reference, in reference order
    last = np.maximum.reduceat(np.where(ok, np.arange(total), -1), firsts[found])
    out[found[last >= 0]] = cand[last[last >= 0]]
    return out


def resolve(docs: Documents, refs: References) -> Resolution:
    """Targets and statuses (see the module docstring)."""
    live_src = docs.live[refs.src] if len(refs) else np.zeros(0, dtype=bool)
    target = _match(docs, refs, docs.docno, refs.docno, live_src & (refs.docno != 0))
    by_title = _match(docs, refs, docs.title, refs.title, live_src & (target < 0) & (refs.title != 0))
    target = np.where(target < 0, by_title, target)
    status = np.zeros(len(docs), dtype=np.uint8)
    status_ref = np.full(len(docs), -1, dtype=np.int64)
    decided: dict[int, tuple[int, tuple[int, ...]]] = {}
    for i in np.flatnonzero((target >= 0) & (refs.kind != CITE)).tolist():
        t, kind = int(target[i]), int(refs.kind[i])
        when = int(refs.date[i]) or int(docs.date_lo[refs.src[i]]) or 99999999
        src, ordinal = int(refs.src[i]), int(refs.ordinal[i])
        if kind in (ABOLISH, REPLACE):  # the earliest abolition decides
            rank: tuple[int, ...] = (0, when, int(docs.ident[src]), ordinal)
        else:
            assert kind == AMEND  # the latest amendment decides, after any abolition
            rank = (1, -when, -int(docs.ident[src]), -ordinal)
        if t not in decided or rank < decided[t][1]:
            decided[t] = (i, rank)
    for t, (i, rank) in decided.items():
        status[t] = ABOLISHED if rank[0] == 0 else AMENDED
        status_ref[t] = i
    return Resolution(target, status, status_ref)


def cited_by(docs: Documents, refs: References, resolution: Resolution) -> tuple[np.ndarray, np.ndarray]:
    """(order, offsets): the references to document ``d`` are ``order[offsets[d]:offsets[d + 1]]``, the citing
    documents oldest first (undated last), each one's references in text order."""
    target = resolution.target
    n = len(resolution.status)
    resolved = np.flatnonzero(target >= 0)
    src = refs.src[resolved]
    lo = docs.date_lo[src]
    order = resolved[np.lexsort((refs.ordinal[resolved], docs.ident[src], np.where(lo > 0, lo, 99999999),
                                 target[resolved]))]
    offsets = np.searchsorted(target[order], np.arange(n + 1), side="left").astype(np.int64)
    return order, offsets


def versions(docs: Documents, doc: int) -> list[tuple[str, int]]:
    """(relation, document) of a document's other versions: its final text or drafts (same title but for a
    draft's marker; by date), and the previous and next document of its series (same title but for years and
    numbers, same issuer; by date, dated documents only, drafts left out)."""
    out: list[tuple[str, int]] = []
    key = docs.version[doc]
    if key:
        same = np.flatnonzero(docs.live & (docs.version == key))
        same = same[np.lexsort((docs.ident[same], docs.date_lo[same]))]
        draft = bool(docs.flags[doc] & 1)
        for other in same.tolist():
            if other != doc and bool(docs.flags[other] & 1) != draft:
                out.append(("final" if draft else "draft", other))
    key = docs.series[doc]
    if key and docs.date_lo[doc] > 0:
        same = np.flatnonzero(docs.live & (docs.series == key) & (docs.date_lo > 0) & ((docs.flags & 1) == 0))
        same = same[np.lexsort((docs.ident[same], docs.date_lo[same]))].tolist()
        if doc in same:
            at = same.index(doc)
            if at > 0:
                out.append(("previous", same[at - 1]))
            if at + 1 < len(same):
                out.append(("next", same[at + 1]))
    return out
