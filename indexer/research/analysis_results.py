"""What the collection-wide analyses return — wordings (提法 discovery), collocates, keyness, dispersion —
serialised by :func:`indexer.search.results.to_json` for the JSON API (and described by its OpenAPI
components), rendered as they are by the pages and the CSV downloads.

Every count says what it counts: ``documents`` are documents (duplicates shown once), ``occurrences`` every
use (two in one section twice). ``analysed`` is how many documents an answer was computed from: fewer than
``documents`` when the text was too large to read within the time (an evenly spread sample; ``partial``).
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.search.results import Region


@dataclass
class Wording:
    """A wording (提法) of the analysed documents: documents and occurrences; in "new" mode also before."""

    text: str
    length: int
    documents: int
    occurrences: int
    share: float
    truncated: bool
    documents_before: int | None
    share_before: float | None


@dataclass
class Wordings:
    """The frequent wordings of a sub-collection (``view`` "frequent"), or those frequent in a period and
    absent or rare before it (``view`` "new")."""

    view: str
    query: str
    mode: str
    period: str | None
    min_documents: int
    min_length: int
    max_length: int
    documents: int
    analysed: int
    documents_before: int | None
    analysed_before: int | None
    total: int
    wordings: list[Wording]
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class Collocate:
    """A word or character near a wording: how often inside its windows (left, right), its frequency in the
    sub-collection, the frequency expected by chance, mutual information and log-likelihood."""

    text: str
    frequency: int
    left: int
    right: int
    corpus_frequency: int
    expected: float
    mi: float
    log_likelihood: float


@dataclass
class Collocates:
    """The collocates of a wording within ``span`` words (or characters) on each side of each occurrence."""

    query: str
    mode: str
    unit: str
    span: int
    sort: str
    min_frequency: int
    occurrences: int
    analysed_occurrences: int
    documents: int
    window_tokens: int
    corpus_tokens: int
    total: int
    collocates: list[Collocate]
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class Side:
    """One side of a keyness comparison: what it selects, its documents (matched, analysed) and its size
    (characters or word tokens)."""

    label: str
    documents: int
    analysed: int
    size: int


@dataclass
class KeyItem:
    """A wording or word over- or under-represented in the target: frequencies and per-million rates on both
    sides, log-likelihood and %DIFF (null when the reference never uses it)."""

    text: str
    frequency: int
    reference_frequency: int
    per_million: float
    reference_per_million: float
    log_likelihood: float
    percent_diff: float | None


@dataclass
class Keyness:
    """What sets the target apart from the reference: items over-represented (``over``) and
    under-represented (``under``), strongest first."""

    unit: str
    target: Side
    reference: Side
    min_frequency: int
    total_over: int
    total_under: int
    over: list[KeyItem]
    under: list[KeyItem]
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class DocumentDispersion:
    """Where a wording stands in one document: character offsets and relative positions (0 = start, 1 = end)."""

    doc_id: str
    title: str | None
    date: str | None
    date_precision: str | None
    year: int | None
    region: Region
    chars: int
    occurrences: int
    offsets: list[int]
    positions: list[float]
    url: str
    date_inferred: bool = False  # the date is implied by the text, not stated (shown in brackets)


@dataclass
class YearDispersion:
    """One year: documents and occurrences using the wording, all documents and characters, and the
    occurrences per 10,000 characters."""

    year: int
    documents: int
    occurrences: int
    all_documents: int
    chars: int
    per_10k: float


@dataclass
class Dispersion:
    """Where a wording occurs: in each document (positions), in tenths of documents (``deciles``), per year,
    and how evenly over the sub-collection (Gries's DP: 0 even, near 1 concentrated in a few documents)."""

    query: str
    mode: str
    total: int
    documents: int
    all_documents: int
    chars: int
    dp: float | None
    deciles: list[int]
    years: list[YearDispersion]
    undated: int
    page: int
    per_page: int
    items: list[DocumentDispersion]
    partial: bool = False
    notice: str | None = None
    ok: bool = True


#: The result classes the OpenAPI description covers.
COMPONENTS = (Wording, Wordings, Collocate, Collocates, Side, KeyItem, Keyness, DocumentDispersion, YearDispersion,
              Dispersion)
