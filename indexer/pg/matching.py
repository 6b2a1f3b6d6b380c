"""A query tree (:mod:`indexer.search.query`) and a request's filters as one SQL condition over ``tz_sections s``.

Exact wording ``W`` (normalised, ``n`` characters) *starts* in section ``s`` when (see :mod:`.tokens`):

* ``n`` = 1 or 2: ``s.grams`` holds its code — the character, or the bigram (a bigram across a section break
  is stored with the section where it starts), so the GIN index answers alone;
* 3 ≤ ``n`` ≤ EXT + 1: candidates are the sections whose ``grams`` hold all of W's bigrams, or the bigrams
  before a break and the tail codes of those after it (W runs on into the following text,
  :meth:`Compiler.candidates`); each candidate is verified
  (:meth:`Compiler.starts`): W lies in the piece (``LIKE``, which stops at the first occurrence), or in the
  piece's last n − 1 characters joined to the tail's first n − 1 (it crosses the break). Verification is
  what makes precision 1.0 (punctuation, folded characters, bigrams of the tail); the candidate conditions
  hold for every occurrence, which makes recall 1.0;
* longer: the candidates and verification of its first EXT + 1 characters, then the document's pieces from
  the section on, joined (``string_agg``), where the first occurrence must start inside the piece.

Keyword terms, ``title:``, field filters, NOT/OR/parentheses follow :mod:`indexer.search.evaluate` exactly.
Literal values are passed as query parameters; gram codes are integers we computed and are written inline
(the planner sees them and estimates each one's frequency from the GIN index statistics).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from indexer.pg.connect import storable
from indexer.pg.relations_view import RELATION_FIELDS, relation_condition
from indexer.pg.tokens import EXT, folded, gram, tail_gram
from indexer.search.query import And, Filter, Node, Not, Or, Phrase, Words
from indexer.search.results import UNKNOWN_VALUE
from indexer.text.normalize import FIELD_SEP, normalize
from indexer.text.terms import query_words

_SUFFIX = re.compile(r"(省|市|自治区|特别行政区|壮族|回族|维吾尔)+$")
FACET_COLUMNS = ("province", "city", "doctype", "source", "collection")


def _array(codes: list[int]) -> str:
    return "'{" + ",".join(str(c) for c in codes) + "}'::int4[]"


@dataclass(frozen=True)
class Cond:
    """A condition in parts: ``index`` — necessary, answered by the gram index (bitmap scans) — and ``test`` —
    what a row must pass besides, over its piece, tail and facet columns, never its gram array (which lives out
    of line: a test on it would fetch it for every candidate); ``full`` tests the row without the index (what
    NOT, OR and terms side by side combine). Empty: TRUE."""

    index: str = ""
    test: str = ""
    full: str = ""

    def sql(self) -> str:
        return " AND ".join(f"({x})" for x in (self.index, self.test) if x) or "TRUE"

    @property
    def exact(self) -> bool:
        """The index part alone is the condition (one- and two-character wordings, and what they make)."""
        return bool(self.index) and not self.test


def _and(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    return "" if not parts else parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


class Compiler:
    """Builds SQL conditions; values go into :attr:`params` (named placeholders)."""

    def __init__(self, known_value: Callable[[str, str], bool] | None = None) -> None:
        self.params: dict[str, Any] = {}
        self.known_value = known_value or (lambda _field, _value: True)

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"

    # ------------------------------------------------------------------------------------------ wording
    def exact(self, wording: str, s: str = "s") -> Cond:
        """``s`` is a section where the normalised ``wording`` starts (in its document's continuous text)."""
        n = len(wording)
        if not n or FIELD_SEP in wording:
            return Cond(test="FALSE", full="FALSE")
        if n <= 2:
            index = f"{s}.grams @> {_array([gram(wording[0], wording[1] if n == 2 else None)])}"
            full = self.starts(wording, s)
            return Cond(index, full if folded(wording) else "", full)
        head = wording[:EXT + 1]
        if n == len(head):
            full = self.starts(wording, s)
            return Cond(self.candidates(head, s), full, full)
        joined = (f"(SELECT string_agg(x.piece, '' ORDER BY x.ordinal) FROM tz_sections x "
                  f"WHERE x.doc = {s}.doc AND x.start_char >= {s}.start_char "
                  f"AND x.start_char < {s}.start_char + {s}.piece_len + {n - 1})")
        full = f"{self.starts(head, s)} AND strpos({joined}, {self.param(wording)}) BETWEEN 1 AND {s}.piece_len"
        return Cond(self.candidates(head, s), full, full)

    @staticmethod
    def candidates(wording: str, s: str = "s", branches: int = 8) -> str:
        """Sections that may hold ``wording`` (3 to EXT + 1 characters) from their piece on. Inside the piece (or
        crossing it only with its last character) all its bigrams are in ``grams``; crossing after ``k``
        characters, ``grams`` holds the codes of bigrams 0…k−1 and the tail codes of k…n−2. The breaks k = 1…n−2
        are grouped into at most ``branches`` ranges [a, b], each asking for the codes of bigrams 0…a−1 and the
        tail codes of b…n−2 — true of every break in the range, and selective (one multi-key GIN scan each)."""
        bigrams = [gram(wording[i], wording[i + 1]) for i in range(len(wording) - 1)]
        out = [f"{s}.grams @> {_array(sorted(set(bigrams)))}"]
        breaks = list(range(1, len(wording) - 1))
        size = -(-len(breaks) // branches)
        for i in range(0, len(breaks), size):
            a, b = breaks[i], breaks[min(i + size, len(breaks)) - 1]
            codes = set(bigrams[:a]) | {tail_gram(g) for g in bigrams[b:]}
            out.append(f"{s}.grams @> {_array(sorted(codes))}")
        return "(" + " OR ".join(out) + ")"

    def starts(self, wording: str, s: str = "s") -> str:
        """Verification: the wording (at most EXT + 1 characters) lies in the piece, or crosses its end — then it
        lies in the piece's last n − 1 characters followed by the tail's first n − 1, a string too short to
        hold an occurrence that starts in the tail."""
        n = len(wording)
        pattern = "%" + wording.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cross = f"strpos(right({s}.piece, {n - 1}) || left({s}.tail, {n - 1}), {self.param(wording)}) > 0"
        inside = f"{s}.piece LIKE {self.param(pattern)}"
        return f"({inside} OR {cross})" if n > 1 else inside

    def words(self, text: str) -> Cond:
        """Every jieba word of a keyword term, each as exact wording (a term without words: its text)."""
        words = query_words(text)
        if not words:
            return self.exact(normalize(text))
        return _all([self.exact(w) for w in sorted(set(words), key=len, reverse=True)])

    def title(self, text: str) -> Cond:
        needle = normalize(text)
        if not needle:
            return Cond(test="FALSE", full="FALSE")
        test = f"s.doc IN (SELECT d.doc FROM tz_documents d WHERE strpos(d.title_norm, {self.param(needle)}) > 0)"
        return Cond(test=test, full=test)

    # ------------------------------------------------------------------------------------------ filters
    def field(self, name: str, value: str) -> str:
        if name not in FACET_COLUMNS or not storable(value):
            return "FALSE"
        if value == UNKNOWN_VALUE:
            return f"s.{name} = ''"
        if name in ("province", "city") and not self.known_value(name, value):
            value = _SUFFIX.sub("", value)
        return f"s.{name} = {self.param(value)}"

    def filter(self, f: Filter) -> str:
        if f.field in RELATION_FIELDS:
            return relation_condition(self, f.field, f.value)
        if f.field == "year":
            low = f.low if f.low is not None else -1
            high = f.high if f.high is not None else 32767
            return f"(s.year >= {int(low)} AND s.year <= {int(high)} AND s.year > 0)"
        return self.field(f.field, f.value)

    def node(self, node: Node) -> Cond:
        if isinstance(node, Phrase):
            return self.exact(normalize(node.text))
        if isinstance(node, Words):
            if node.field == "title":
                return self.title(node.text)
            found = self.words(node.text)  # equivalents from the synonym dictionary match as exact wording
            return _any([found, *(self.exact(normalize(o)) for o in node.also)]) if node.also else found
        if isinstance(node, Filter):
            test = self.filter(node)
            return Cond(test=test, full=test)
        if isinstance(node, Not):
            test = f"NOT ({self.node(node.item).full})"
            return Cond(test=test, full=test)
        parts = [self.node(i) for i in node.items]
        if isinstance(node, Or):
            return _any(parts)
        assert isinstance(node, And)
        return soft(parts) if node.soft and len(parts) > 1 else _all(parts)

    def request(self, tree: Node | None, p: Any) -> str:
        """Visible sections matching ``tree`` and the request's filters (``p``: SearchParams)."""
        conds = ["s.visible"]
        if tree is not None:
            conds.append(self.node(tree).sql())
        for name in FACET_COLUMNS:
            value = getattr(p, name)
            if value:
                conds.append(self.field(name, value))
        for name in RELATION_FIELDS:
            value = getattr(p, name, None)
            if value:
                conds.append(relation_condition(self, name, value))
        if p.year is not None:
            conds.append(f"s.year = {int(p.year)}")
        if p.date_from or p.date_to:  # a document dated by year or month counts when it overlaps the range
            lo = int(p.date_from.replace("-", "")) if p.date_from else 0
            hi = int(p.date_to.replace("-", "")) if p.date_to else 99999999
            conds.append(f"(s.date_lo > 0 AND s.date_hi >= {lo} AND s.date_lo <= {hi})")
        return " AND ".join(conds)


def _all(parts: list[Cond]) -> Cond:
    return Cond(_and([p.index for p in parts]), _and([p.test for p in parts]), _and([p.full for p in parts]))


def _any(parts: list[Cond]) -> Cond:
    """Either: the index parts' union when every part has one; exact when every part is."""
    full = "(" + " OR ".join(p.full for p in parts) + ")"
    if any(not p.index for p in parts):
        return Cond(test=full, full=full)
    index = "(" + " OR ".join(p.index for p in parts) + ")"
    return Cond(index, "" if all(p.exact for p in parts) else full, full)


def soft(parts: list[Cond], arms: int = 5) -> Cond:
    """All the parts but at most one (keyword terms side by side). Of exact parts (the usual two-character
    words), an OR of the ways to leave one out, answered by the index alone; otherwise the index parts'
    union, and a count of the parts that hold."""
    k = len(parts)
    if k == 2:  # either: the exact part (a common two-character word, as a rule) tested first, OR stops there
        full = "(" + " OR ".join(p.full for p in sorted(parts, key=lambda p: not p.exact)) + ")"
    else:
        full = "((" + ")::int + (".join(p.full for p in parts) + f")::int >= {k - 1})"
    if all(p.exact for p in parts) and k <= arms:
        index = "(" + " OR ".join(_and([p.index for j, p in enumerate(parts) if j != skip]) for skip in range(k)) + ")"
        return Cond(index, "", full)
    if any(not p.index for p in parts):
        return Cond(test=full, full=full)
    return Cond("(" + " OR ".join(p.index for p in parts) + ")", full, full)


def required_terms(tree: Node | None) -> set[str]:
    """Ranking terms every match contains (the items of a top-level AND; keyword terms side by side are not
    all required): their presence needs no test per row."""
    items = tree.items if isinstance(tree, And) and not tree.soft else (tree,) if tree is not None else ()
    out: set[str] = set()
    for item in items:
        if isinstance(item, Phrase):
            out.add(normalize(item.text))
        elif isinstance(item, Words) and item.field == "words" and not item.also:
            out.update(query_words(item.text))
    return out


def sole_term(tree: Node | None, p: Any) -> str | None:
    """The one ranking term that is the whole request (no filter, no other condition): its df is the number of
    matches, counted without a second pass."""
    if any(getattr(p, f) for f in FACET_COLUMNS) or p.year is not None or p.date_from or p.date_to:
        return None
    if isinstance(tree, Phrase):
        return normalize(tree.text) or None
    if isinstance(tree, Words) and tree.field == "words" and not tree.also:
        words = set(query_words(tree.text))
        return words.pop() if len(words) == 1 else None
    return None
