"""References resolved as the rule of ``indexer.relations.resolve`` states, against a brute force over random
documents and references with many shared keys and ties: by number, else by title; among the live documents
holding the key, other than the citing one, neither dated after it nor of another year than the reference
states, the latest (date, then the larger ident, then the later document)."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.relations.extract import CITE
from indexer.relations.resolve import Documents, References, resolve


def _random(seed: int, ndocs: int, nrefs: int) -> tuple[Documents, References]:
    rng = np.random.default_rng(seed)
    years = rng.integers(2015, 2019, ndocs)
    dated = rng.random(ndocs) < 0.8
    date_lo = np.where(dated, years * 10000 + rng.choice([101, 601, 1201], ndocs), 0)
    date_hi = np.where(dated & (rng.random(ndocs) < 0.3), years * 10000 + 1231, date_lo)
    docs = Documents(live=rng.random(ndocs) < 0.85,
                     docno=np.where(rng.random(ndocs) < 0.4, rng.integers(1, 6, ndocs), 0).astype(np.uint64),
                     title=np.where(rng.random(ndocs) < 0.7, rng.integers(1, 6, ndocs), 0).astype(np.uint64),
                     date_lo=date_lo.astype(np.int64), date_hi=date_hi.astype(np.int64),
                     ident=rng.integers(1, 4, ndocs).astype(np.uint64))  # few idents: ties reach the document
    src = np.sort(rng.integers(0, ndocs, nrefs))
    refs = References(src=src, ordinal=np.zeros(nrefs, np.int64), kind=np.full(nrefs, CITE, np.uint8),
                      docno=np.where(rng.random(nrefs) < 0.5, rng.integers(1, 6, nrefs), 0).astype(np.uint64),
                      title=np.where(rng.random(nrefs) < 0.8, rng.integers(1, 6, nrefs), 0).astype(np.uint64),
                      year=np.where(rng.random(nrefs) < 0.3, rng.integers(2015, 2019, nrefs), 0).astype(np.int16),
                      date=np.zeros(nrefs, np.int32))
    return docs, refs


def _brute(docs: Documents, refs: References) -> list[int]:
    out = []
    for i in range(len(refs)):
        s = int(refs.src[i])
        target = -1
        if docs.live[s]:
            for doc_keys, key in ((docs.docno, int(refs.docno[i])), (docs.title, int(refs.title[i]))):
                if not key:
                    continue
                year = int(refs.year[i])
                ok = [d for d in range(len(docs)) if docs.live[d] and d != s and int(doc_keys[d]) == key
                      and not (docs.date_lo[d] > 0 and docs.date_hi[s] > 0 and docs.date_lo[d] > docs.date_hi[s])
                      and not (year and docs.date_lo[d] > 0 and docs.date_lo[d] // 10000 != year
                               and docs.date_hi[d] // 10000 != year)]
                if ok:
                    target = max(ok, key=lambda d: (int(docs.date_hi[d]), int(docs.ident[d]), d))
                    break
        out.append(target)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_each_reference_resolves_to_the_latest_qualifying_document(seed: int) -> None:
    docs, refs = _random(seed, ndocs=60, nrefs=150)
    assert resolve(docs, refs).target.tolist() == _brute(docs, refs)
