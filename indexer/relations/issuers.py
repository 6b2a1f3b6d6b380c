"""Issuers as a facet: a document's ``issuer`` (as extraction gives it: joint issuers joined with 、,
letter-spacing already closed by :func:`indexer.extract.structure.bodies`) is stored normalised by
:func:`issuer_value` — white space removed, empty names dropped, each name once — and every facet count and
filter reads the names one by one (:func:`names`): a joint notice of 教育部、科技部 counts for 教育部 and for
科技部, and ``issuer:科技部`` finds it. The same function serves both backends (the database keeps the value
in a column of each section, the embedded index as a facet code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = "、"
_SPACE = re.compile(r"[\s\u3000]+")
_SPLIT = re.compile(r"[、，,;；/]+")


def names(value: str | None) -> list[str]:
    """The issuers of a stored or stated value, each once, in order."""
    out: list[str] = []
    for part in _SPLIT.split(_SPACE.sub("", value or "")):
        if part and part not in out:
            out.append(part)
    return out


def issuer_value(value: str | None) -> str:
    """The stored form of an issuer value ('' when unknown)."""
    return SEPARATOR.join(names(value))


def expand(counts: Iterable[tuple[str | None, int]]) -> list[tuple[str | None, int]]:
    """Counts per stored value → counts per issuer (a joint value counts for each of its names; None, the
    unknown issuer, stays one value), ordered like every facet: by count, then name, None last."""
    totals: dict[str | None, int] = {}
    for value, count in counts:
        found: list[str | None] = list(names(value)) or [None]
        for name in found:
            totals[name] = totals.get(name, 0) + count
    return sorted(totals.items(), key=lambda vc: (vc[0] is None, -vc[1], str(vc[0])))


def holds(value: str | None, name: str) -> bool:
    """Whether a stored value names the issuer ``name`` (given as a user types it)."""
    wanted, held = names(name), names(value)
    return bool(wanted) and all(n in held for n in wanted)
