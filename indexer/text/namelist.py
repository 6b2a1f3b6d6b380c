"""Find the names of a long list in a text: at each place the longest name that starts there, left to right,
never overlapping — what ``re.finditer("|".join(names sorted longest first))`` finds, at a fraction of its cost.

Python's ``re`` tries every alternative of an alternation at every position of the text: with the 3,500
division names of :mod:`indexer.extract.regions` that was 40 % of extracting a document. Here a position
costs one dictionary lookup of its first two characters (every name is at least two characters long; a
one-character name is looked up by itself), and only the lengths of the names that begin with those two
characters are tried, longest first. In a long text only the positions whose character can begin a name and whose
next character can follow that first one in some name (or that hold a one-character name) are looked at: two
array lookups over the text's code points find them, where a Python step per position cost half a millisecond
a document.

:func:`names_regex` is the same alternation as a pattern to embed in a larger one (with lookarounds): the
names factored by common prefixes into a trie, so a position costs one branch per character matched instead
of one per name. Its language and its order of preference are the alternation's: at each position the
longest name is tried first, and backtracking tries the shorter ones that end on the same path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

#: Texts shorter than this are scanned position by position (making the arrays costs more).
ARRAY_MIN = 64


class NameScanner:
    """The names of ``names`` (empty ones ignored) found in texts (see the module docstring)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if n)
        lengths: dict[str, set[int]] = {}
        for name in self.names:
            lengths.setdefault(name[:2], set()).add(len(name))
        #: first two characters (or the whole one-character name) → lengths of the names beginning so, longest first
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        self._singles = frozenset(n for n in self.names if len(n) == 1)
        # code point → whether it begins a name of two or more characters / is a one-character name / follows
        # the first character of such a name; one entry past the largest code point of any name stands for
        # every code point beyond (none of them is in a name)
        size = max((ord(c) for n in self.names for c in n[:2]), default=0) + 2
        self._first, self._second, self._single = (np.zeros(size, dtype=bool) for _ in range(3))
        for key in lengths:
            if len(key) == 2:
                self._first[ord(key[0])] = self._second[ord(key[1])] = True
        for name in self._singles:
            self._single[ord(name)] = True

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of every name found in ``text``, in text order."""
        if len(text) < ARRAY_MIN:
            return self._scan(text, range(len(text)))
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = np.minimum(codes, len(self._first) - 1)
        may = self._single[codes]
        may[:-1] |= self._first[codes[:-1]] & self._second[codes[1:]]
        return self._scan(text, np.flatnonzero(may).tolist())

    def _scan(self, text: str, starts: Iterable[int]) -> list[tuple[int, str]]:
        """The names found looking at ``starts`` only, in order (every position where one may begin)."""
        out: list[tuple[int, str]] = []
        names, get, singles = self.names, self._lengths.get, self._singles
        n, free = len(text), 0  # names found never overlap: the next may begin at ``free``
        for i in starts:
            if i < free:
                continue
            found = None
            for length in get(text[i:i + 2], ()):
                if i + length <= n and text[i:i + length] in names:
                    found = length
                    break
            if found is None and singles and text[i] in singles:
                found = 1
            if found is not None:
                out.append((i, text[i:i + found]))
                free = i + found
        return out


def names_regex(names: Iterable[str], not_after: str = "") -> str:
    """A non-capturing pattern (text) matching any of ``names`` (empty ones ignored), longest first;
    ``not_after``: a character class (``[省市]``) the character before a match must not be in.

    That condition is a lookbehind placed after each name's first character (looking back over two
    characters), not before the pattern: a pattern that begins with a lookbehind is tried at every position of
    a text, one whose every branch begins with a character only where one of those characters stands."""
    trie: dict[str, Any] = {}
    for name in names:
        if name:
            node = trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[""] = True
    after_first = rf"(?<!{not_after}[\s\S])" if not_after else ""
    return f"(?:{_branch(trie, after_first)})" if trie else "(?!)"


def _branch(node: dict[str, Any], after_first: str = "") -> str:
    alts = [re.escape(ch) + after_first + _branch(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body
