"""Synonyms and abbreviations for keyword search, from the reviewed dictionary ``data/synonyms.txt``.

A keyword term (``Words``) that is, after normalisation, one of a group's wordings also finds the group's
other wordings, each as exact wording (``Words.also``): 统战 finds 统一战线 too, 工商联 finds 工商业联合会.
Only whole keyword terms are looked up, never quoted phrases, ``title:`` values or anything in exact mode:
exact wording stays exact. :func:`expand` returns the rewritten query and what it added, which every
result shows (``SearchResult.also_searched``).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from indexer.search.query import And, Node, Not, Or, Words
from indexer.text.normalize import normalize

_VERSION = re.compile(r"version:\s*(\d+)")


def _lines() -> list[str]:
    return resources.files("indexer").joinpath("data/synonyms.txt").read_text(encoding="utf-8").splitlines()


@functools.lru_cache(maxsize=1)
def dictionary() -> dict[str, tuple[str, ...]]:
    """Normalised wording → the other wordings of its group (as written in the dictionary)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _lines():
        if not line.strip() or line.startswith("#"):
            continue
        wordings = [w.strip() for w in line.split("\t", 1)[0].split("|") if w.strip()]
        for w in wordings:
            key = normalize(w)
            others = tuple(o for o in wordings if normalize(o) != key)
            out[key] = tuple(dict.fromkeys(out.get(key, ()) + others))
    return out


def version() -> int:
    """The dictionary's version (its first line)."""
    for line in _lines():
        found = _VERSION.search(line)
        if found:
            return int(found.group(1))
    return 0


def expand(node: Node | None) -> tuple[Node | None, list[str]]:
    """The query with its keyword terms' equivalents added, and those equivalents in order (each once)."""
    added: list[str] = []
    table = dictionary()

    def walk(n: Node) -> Node:
        if isinstance(n, Words) and n.field == "words" and not n.also:
            others = table.get(normalize(n.text), ())
            added.extend(o for o in others if o not in added)
            return Words(n.text, n.field, others) if others else n
        if isinstance(n, And):
            return And(tuple(walk(i) for i in n.items), n.soft)
        if isinstance(n, Or):
            return Or(tuple(walk(i) for i in n.items))
        if isinstance(n, Not):
            return Not(walk(n.item))
        return n

    return (None if node is None else walk(node)), added
