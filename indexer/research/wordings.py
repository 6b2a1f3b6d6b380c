"""提法 discovery: the frequent wordings of a sub-collection, and the wordings new in a period.

The sub-collection is what a search selects (its filters, and its query when there is one: the documents
holding a match). Its documents' normalised text is read from the backend (:meth:`SearchBackend.texts`) and
its wordings counted by :mod:`indexer.research.ngrams`: runs of 4–12 Chinese characters (punctuation,
digits and Latin letters break them), by the number of documents using them, maximal only (a wording is left
out when a longer one stands for nearly all its uses).

* ``frequent`` — every wording used in at least ``min_documents`` documents (default: 1 % of the documents,
  at least 3), most documents first.
* ``new`` — of those, the ones absent or rare *before* the period: the period is the search's date range
  (``from``/``to``) or ``year``; "before" is the same filters with the period replaced by everything dated
  earlier. A wording is new when the share of earlier documents using it is at most :data:`RARE` of its share
  in the period (0 earlier documents: new). A document whose date is too imprecise to tell (a year-only date
  in the year the period starts mid-way) counts on both sides.

Too much text to read within the time: an evenly spread sample of the documents is analysed instead, and the
answer says so (``partial``, ``analysed`` < ``documents``); a time that runs out while counting leaves the
longer lengths out and says which.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np

from indexer.research import ngrams
from indexer.research.analysis_results import Wording, Wordings
from indexer.search.backend import SearchBackend
from indexer.search.collection import MAX_TEXT_BYTES
from indexer.search.exact import Budget
from indexer.search.service import SearchParams

VIEWS = ("frequent", "new")
#: A wording is new in a period when its document share before it is at most this part of its share in it.
RARE = 0.1
#: Time one analysis may take (seconds), reading included.
ANALYSIS_SECONDS = 4.0
MAX_LISTED = 1000
SAMPLE_NOTICE = ("the documents hold more text than one answer can read in time: an evenly spread sample of "
                 "{analysed} of {documents} documents was analysed")


class PeriodMissing(ValueError):
    """"new" needs a period: a date range or a year."""


def default_min_documents(documents: int) -> int:
    """1 % of the documents, at least 3."""
    return max(3, math.ceil(documents * 0.01))


def period_of(p: SearchParams) -> tuple[str, SearchParams]:
    """(the period's label, the search for the documents before it)."""
    if p.year:
        label, start = str(p.year), dt.date(p.year, 1, 1)
    elif p.date_from:
        whole = p.date_from.endswith("-01-01") and (p.date_to or "-12-31").endswith("-12-31")
        first, last = (p.date_from[:4], (p.date_to or "")[:4]) if whole else (p.date_from, p.date_to or "")
        label = first if first == last else f"{first}–{last}"
        start = dt.date.fromisoformat(p.date_from)
    else:
        raise PeriodMissing("the new wordings of a period need the period: from (and to) or year")
    # nothing is dated before the year 1: a last day no date reaches (YYYYMMDD 00001231) selects no document
    before = (start - dt.timedelta(days=1)).isoformat() if start.toordinal() > 1 else "0000-12-31"
    return label, replace(p, year=None, date_from=None, date_to=before)


def sample_notice(documents: int, analysed: int) -> str:
    return SAMPLE_NOTICE.format(analysed=analysed, documents=documents)


def wordings(backend: SearchBackend, p: SearchParams, view: str = "frequent", min_documents: int | None = None,
             min_length: int = ngrams.MIN_LEN, max_length: int = ngrams.MAX_LEN, n: int = 100,
             seconds: float = ANALYSIS_SECONDS, max_bytes: int = MAX_TEXT_BYTES) -> Wordings:
    """The wordings of the documents ``p`` selects (module docstring); the first ``n`` of them."""
    budget = Budget(seconds)
    min_length = max(ngrams.MIN_LEN, min(min_length, ngrams.MAX_LEN))
    max_length = max(min_length, min(max_length, ngrams.MAX_LEN))
    period, groups = None, [replace(p, group="document")]
    if view == "new":
        period, before = period_of(p)
        groups.append(replace(before, group="document"))
    found = backend.texts(groups, max_bytes=max_bytes, seconds=seconds * 0.6)
    analysed = found.analysed[0]
    m = min_documents or default_min_documents(analysed)
    enc = ngrams.encode(found.texts, found.groups)
    target = np.array([True] + [False] * (len(groups) - 1))
    grams = ngrams.count(enc, lambda df: df[:, 0] >= m, min_length, max_length, target, budget.over)
    df, occ = grams.df, grams.occ
    rows = np.flatnonzero(df[:, 0] >= m)
    share = df[:, 0] / max(1, analysed)
    before_share = None
    if view == "new":
        before_share = df[:, 1] / max(1, found.analysed[1])
        rows = rows[before_share[rows] <= RARE * share[rows]]
    rows = rows[np.lexsort((-grams.length[rows], -occ[rows, 0], -df[rows, 0]))]
    listed = [Wording(text=grams.text(r), length=int(grams.length[r]), documents=int(df[r, 0]),
                      occurrences=int(occ[r, 0]), share=round(float(share[r]), 6), truncated=bool(grams.truncated[r]),
                      documents_before=int(df[r, 1]) if before_share is not None else None,
                      share_before=round(float(before_share[r]), 6) if before_share is not None else None)
              for r in rows[:max(1, min(n, MAX_LISTED))].tolist()]
    notes = []
    if found.analysed[0] < found.matched[0] or (view == "new" and found.analysed[1] < found.matched[1]):
        notes.append(sample_notice(sum(found.matched), sum(found.analysed)))
    if grams.stopped:
        notes.append(f"the time ran out: wordings of {grams.complete_to + 1}–{max_length} characters were not "
                     "counted")
    if view == "new" and not found.matched[1]:
        notes.append("no documents under these filters are dated before the period: every frequent wording "
                     "counts as new")
    return Wordings(view=view, query=p.q, mode=p.mode, period=period, min_documents=m, min_length=min_length,
                    max_length=max_length, documents=found.matched[0], analysed=analysed,
                    documents_before=found.matched[1] if view == "new" else None,
                    analysed_before=found.analysed[1] if view == "new" else None, total=len(rows), wordings=listed,
                    partial=found.partial or budget.exhausted, notice="; ".join(notes) or None)
