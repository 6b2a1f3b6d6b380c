"""Shared passages on PostgreSQL: the detection of :mod:`indexer.reuse` run after each commit, its data in tables,
and the read side of :mod:`indexer.reuse.view` over them.

* :func:`update` — what :func:`indexer.reuse.update.update_reuse` does beside a Whoosh index: the visible
  documents (one per distinct text, keyed by ``text_hash``), the stored version, the same
  :class:`~indexer.reuse.update.Updater`; the result is written as differences (texts and pairs that
  appeared or went) in one transaction, under an advisory lock that serialises updaters.
* ``tz_reuse_docs`` (per text: reuse-text length, fingerprints), ``tz_reuse_pairs`` (per pair of texts: spans),
  and in ``tz_meta`` the parameters and the order in which the texts were numbered (pairs are listed in
  that order when they share as much wording, as the embedded index lists them).
* :mod:`.reuse_view` reads them for the search backend.

Texts are keyed by ``text_hash`` (signed here, unsigned in :class:`~indexer.reuse.store.ReuseData`).
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from indexer.index.doctext import SEP
from indexer.reuse import store
from indexer.reuse.fingerprints import Params
from indexer.reuse.update import Updater, UpdateSummary

_LOCK = 0x747A7275  # "tzru": the advisory lock of reuse updates
_MASK = (1 << 64) - 1


def _unsigned(key: int) -> int:
    return key & _MASK


def _signed(key: int) -> int:
    return key - (1 << 64) if key >= 1 << 63 else key


def _array(data: bytes, dtype: Any) -> np.ndarray:
    return np.frombuffer(data, dtype=dtype) if data else np.zeros(0, dtype)


# ---------------------------------------------------------------------------------------------- store
def load(conn: Any) -> store.ReuseData | None:
    """The stored version as :class:`~indexer.reuse.store.ReuseData` (None: never computed)."""
    meta = dict(conn.execute("SELECT key, value FROM tz_meta WHERE key IN ('reuse_params', 'reuse_order')"))
    if "reuse_params" not in meta:
        return None
    order = [int(k) for k in json.loads(meta.get("reuse_order", "[]"))]
    docs = {_unsigned(int(k)): (n, bytes(f)) for k, n, f in conn.execute(
        "SELECT text_hash, length, fingerprints FROM tz_reuse_docs")}
    keys = np.array(order, dtype=np.uint64)
    index = {k: i for i, k in enumerate(order)}
    prints = [_array(docs[k][1], np.uint32) for k in order]
    sizes = np.array([len(p) for p in prints], dtype=np.int64)
    pairs = sorted((index[_unsigned(a)], index[_unsigned(b)], _array(bytes(s), np.int32).reshape(-1, 4))
                   for a, b, s in conn.execute("SELECT a, b, spans FROM tz_reuse_pairs"))
    span_sizes = np.array([len(p[2]) for p in pairs], dtype=np.int64)
    return store.ReuseData(
        keys=keys, lengths=np.array([docs[k][0] for k in order], dtype=np.int32),
        fp_offs=np.concatenate(([0], np.cumsum(sizes))).astype(np.int64),
        fp_hash=np.concatenate(prints).astype(np.uint32) if prints else np.zeros(0, np.uint32),
        pair_a=np.array([p[0] for p in pairs], dtype=np.int32), pair_b=np.array([p[1] for p in pairs], dtype=np.int32),
        span_offs=np.concatenate(([0], np.cumsum(span_sizes))).astype(np.int64),
        spans=np.concatenate([p[2] for p in pairs]) if pairs else np.zeros((0, 4), np.int32),
        params=json.loads(meta["reuse_params"]))


def _pairs_by_key(data: store.ReuseData) -> dict[tuple[int, int], bytes]:
    keys = [int(k) for k in np.asarray(data.keys).tolist()]
    return {(keys[int(a)], keys[int(b)]): np.ascontiguousarray(data.pair_spans(i), dtype=np.int32).tobytes()
            for i, (a, b) in enumerate(zip(np.asarray(data.pair_a).tolist(), np.asarray(data.pair_b).tolist(),
                                           strict=True))}


def save(conn: Any, old: store.ReuseData | None, new: store.ReuseData) -> None:
    """Write ``new`` where ``old`` is stored: the texts and pairs that changed, the order and the parameters."""
    if old is not None and old.params != new.params:  # other parameters: other fingerprints, all written anew
        old = None
    old_keys = set() if old is None else {int(k) for k in np.asarray(old.keys).tolist()}
    new_keys = [int(k) for k in np.asarray(new.keys).tolist()]
    if old is None:
        conn.execute("DELETE FROM tz_reuse_docs")
        conn.execute("DELETE FROM tz_reuse_pairs")
    gone = [_signed(k) for k in old_keys - set(new_keys)]
    conn.execute("DELETE FROM tz_reuse_docs WHERE text_hash = ANY(%s)", (gone,))
    with conn.cursor().copy("COPY tz_reuse_docs (text_hash, length, fingerprints) FROM STDIN") as copy:
        for i, k in enumerate(new_keys):
            if k not in old_keys:
                fp = np.asarray(new.fp_hash)[int(new.fp_offs[i]):int(new.fp_offs[i + 1])]
                copy.write_row((_signed(k), int(new.lengths[i]), np.ascontiguousarray(fp, np.uint32).tobytes()))
    before = {} if old is None else _pairs_by_key(old)
    after = _pairs_by_key(new)
    stale = [(a, b) for (a, b), spans in before.items() if after.get((a, b)) != spans]
    if stale:
        conn.execute("DELETE FROM tz_reuse_pairs p USING unnest(%s::bigint[], %s::bigint[]) AS x(a, b) "
                     "WHERE p.a = x.a AND p.b = x.b", ([_signed(a) for a, _ in stale], [_signed(b) for _, b in stale]))
    with conn.cursor().copy("COPY tz_reuse_pairs (a, b, spans) FROM STDIN") as copy:
        for (a, b), spans in after.items():
            if before.get((a, b)) != spans:
                copy.write_row((_signed(a), _signed(b), spans))
    for key, value in (("reuse_params", json.dumps(new.params)), ("reuse_order", json.dumps(new_keys))):
        conn.execute("INSERT INTO tz_meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET "
                     "value = EXCLUDED.value", (key, value))


def _reuse_text(conn: Any, doc: int) -> str:
    """A document's reuse text: its sections' normalised text, without the title and headings search adds."""
    return "".join(piece.rsplit(SEP, 1)[-1] for (piece,) in conn.execute(
        "SELECT piece FROM tz_sections WHERE doc = %s ORDER BY ordinal", (doc,)))


def update(conn: Any, params: Params | None = None, full: bool = False) -> UpdateSummary:
    """Bring the reuse data up to date with the visible documents (``conn`` in autocommit mode)."""
    started = time.monotonic()
    params = params or Params()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        rows = conn.execute("SELECT doc, text_hash FROM tz_documents WHERE visible ORDER BY doc").fetchall()
        docs = np.array([r[0] for r in rows], dtype=np.int64)
        keys = np.array([_unsigned(int(r[1])) for r in rows], dtype=np.uint64)
        old = None if full else load(conn)
        summary = Updater(docs, keys, old, params, lambda doc: _reuse_text(conn, doc),
                          lambda data: save(conn, old, data)).run()
    summary.seconds = time.monotonic() - started
    return summary

