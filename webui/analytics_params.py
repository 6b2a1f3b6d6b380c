"""Request parameters of the analyses (``/wordings``, ``/collocates``, ``/keyness``, ``/dispersion`` and their
``/api/`` twins), on top of :mod:`webui.research_params` (the wording, mode and the search's filters, with the
search's checks and messages). Bad values raise :class:`~webui.errors.ApiError` (400) naming the parameter.

Keyness compares two sub-collections: the target takes the usual filter names (``province=上海``), the
reference the same names prefixed with ``ref_`` (``ref_province=全国``); without any ``ref_`` filter the
reference is every other document.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from indexer.research import collocates, dispersion, keyness, ngrams, wordings
from indexer.search.service import SearchParams
from webui.errors import ApiError
from webui.research_params import FILTER_ARGS, base_params, int_arg, one_wording

#: The reference's filters in a keyness request.
REF_ARGS = tuple(f"ref_{k}" for k in FILTER_ARGS)


def choice(args: MultiDict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = args.get(name, allowed[0])
    if value not in allowed:
        raise ApiError(f"{name} must be one of {', '.join(allowed)}, got {value[:40]!r}")
    return value


def _query(args: MultiDict[str, str]) -> str:
    return next((q.strip() for q in args.getlist("q") if q.strip()), "")


@dataclass
class WordingsArgs:
    params: SearchParams
    view: str
    min_documents: int | None
    min_length: int
    max_length: int
    n: int


def wordings_args(args: MultiDict[str, str]) -> WordingsArgs:
    """The sub-collection (filters, and an optional query), view and limits of a wordings request."""
    min_length = int_arg(args, "min_length", ngrams.MIN_LEN, ngrams.MIN_LEN, ngrams.MAX_LEN, cap=False)
    max_length = int_arg(args, "max_length", ngrams.MAX_LEN, ngrams.MIN_LEN, ngrams.MAX_LEN, cap=False)
    if min_length > max_length:
        raise ApiError("min_length must not be above max_length")
    view = choice(args, "view", wordings.VIEWS)
    params = base_params(args, _query(args))
    if view == "new" and not (params.year or params.date_from):
        raise ApiError("view=new needs the period: from (and to) or year")
    return WordingsArgs(params, view, int_arg(args, "min_documents", 0, 1, 1_000_000, cap=False) or None, min_length,
                        max_length, int_arg(args, "n", 100, 1, wordings.MAX_LISTED))


@dataclass
class CollocatesArgs:
    params: SearchParams
    unit: str
    span: int
    min_frequency: int
    sort: str
    n: int


def collocates_args(args: MultiDict[str, str], required: bool = True) -> CollocatesArgs:
    return CollocatesArgs(one_wording(args, required), choice(args, "unit", collocates.UNITS),
                          int_arg(args, "span", 5, 1, collocates.MAX_SPAN),
                          int_arg(args, "min_frequency", 3, 1, 1_000_000, cap=False),
                          choice(args, "sort", collocates.SORTS),
                          int_arg(args, "n", 100, 1, 1000))


@dataclass
class KeynessArgs:
    target: SearchParams
    reference: SearchParams | None
    unit: str
    min_frequency: int
    n: int


def keyness_args(args: MultiDict[str, str]) -> KeynessArgs:
    target = base_params(args, _query(args))
    # a blank reference filter is no filter, as in a search — but for the year, which a search refuses blank
    given = {k[4:]: args.get(k) or "" for k in REF_ARGS
             if (args.get(k) or "").strip() or (k == "ref_year" and k in args)}
    reference = base_params({**given, "mode": args.get("mode", "exact")}, (args.get("ref_q") or "").strip()) \
        if given or (args.get("ref_q") or "").strip() else None
    return KeynessArgs(target, reference, choice(args, "unit", keyness.UNITS),
                       int_arg(args, "min_frequency", 5, 1, 1_000_000, cap=False),
                       int_arg(args, "n", 50, 1, keyness.MAX_LISTED))


@dataclass
class DispersionArgs:
    params: SearchParams
    sort: str
    page: int
    per_page: int


def dispersion_args(args: MultiDict[str, str], required: bool = True) -> DispersionArgs:
    return DispersionArgs(one_wording(args, required), choice(args, "sort", dispersion.SORTS),
                          int_arg(args, "page", 1, 1, 100_000, cap=False),
                          int_arg(args, "per_page", 50, 1, 100_000))  # capped by dispersion(), with a notice
