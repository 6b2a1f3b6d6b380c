"""Two texts side by side: aligned unit by unit, with insertions, deletions and changed wordings marked at
character level, and a summary — what ``/compare`` and ``/api/compare`` show.

Three levels, each bounded, so two 50,000-character texts take well under a second:

1. the texts are cut into *units* — paragraphs (lines), long ones cut after sentence ends and at most
   :data:`MAX_UNIT` characters — and the units are aligned on their text without white space by a patience
   diff (:func:`_matches`: units found once on each side anchor the alignment, so a text of many repeated
   lines costs no more than any other);
2. within each stretch that differs, units are paired by similarity (character bigrams, Dice ≥ :data:`PAIRED`)
   with a monotone alignment (dynamic programming over at most :data:`MAX_CELLS` pairs; a larger stretch is
   cut into pieces along its diagonal, each aligned alone);
3. each pair is compared character by character: what only the first has is deleted, what only the second has
   is inserted, a stretch replaced by another is a changed wording.

Texts are compared up to :data:`MAX_CHARS` characters each (the result says when one was cut). Counts are
characters without white space: ``kept`` of the first text is in the second unchanged, ``removed``
is only in the first, ``added`` only in the second.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.relations.results import DocRef

MAX_UNIT = 400
PAIRED = 0.35
MAX_CELLS = 10_000
#: Characters of each text compared (a longer one is compared up to there, and the comparison says so).
MAX_CHARS = 200_000
#: Pairs of units one comparison may weigh in all; past it the rest of a long, different text is shown as
#: removed and added (what keeps two very long texts from taking seconds).
MAX_WORK = 300_000
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_SPACE = re.compile(r"\s+")


@dataclass
class Mark:
    """[start, end) in a row's text: ``kind`` del (only in the first text), ins (only in the second), chg (a
    wording replaced by another)."""

    start: int
    end: int
    kind: str


@dataclass
class CompareRow:
    """One aligned row: ``op`` equal, changed, deleted (only the first text has it) or inserted (only the
    second); ``left``/``right`` the unit of each text (null where it has none) and their marks."""

    op: str
    left: str | None
    right: str | None
    left_marks: list[Mark] = field(default_factory=list)
    right_marks: list[Mark] = field(default_factory=list)


@dataclass
class CompareSummary:
    """Characters (white space not counted) of each text, kept, removed and added, and how many rows differ."""

    a_chars: int
    b_chars: int
    kept: int
    kept_share: float
    removed: int
    added: int
    changes: int


@dataclass
class Comparison:
    """Two documents compared (``changes``: the indices of the rows that differ, in order: what navigation
    steps through; ``truncated``: a text was longer than MAX_CHARS and only its beginning is compared)."""

    a: DocRef
    b: DocRef
    summary: CompareSummary
    rows: list[CompareRow]
    changes: list[int]
    truncated: bool = False
    ok: bool = True


def _chars(text: str | None) -> int:
    return len(_SPACE.sub("", text or ""))


def units(text: str) -> list[str]:
    """The units a text is compared in (see the module docstring); blank lines are dropped."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if len(line) <= MAX_UNIT:
            out.append(line)
            continue
        piece = ""
        for sentence in _SENTENCE_END.split(line):
            while len(sentence) > MAX_UNIT:
                if piece:
                    out.append(piece)
                    piece = ""
                out.append(sentence[:MAX_UNIT])
                sentence = sentence[MAX_UNIT:]
            if piece and len(piece) + len(sentence) > MAX_UNIT:
                out.append(piece)
                piece = ""
            piece += sentence
        if piece:
            out.append(piece)
    return out


def _bigrams(text: str) -> set[str]:
    flat = _SPACE.sub("", text)
    return {flat[i:i + 2] for i in range(len(flat) - 1)} or {flat}


def _pairs(left: list[str], right: list[str], work: list[int]) -> list[tuple[int | None, int | None]]:
    """A monotone pairing of two stretches of units by similarity (unpaired units with None); a stretch too
    large for one alignment is cut into proportional pieces along its diagonal, each aligned alone. ``work``
    holds the pairs of units left to weigh (MAX_WORK): when it runs out, units stay unpaired."""
    m, n = len(left), len(right)
    if not m or not n or m * n > work[0] and m * n <= MAX_CELLS:
        return [(i, None) for i in range(m)] + [(None, j) for j in range(n)]
    pieces = 1
    while (m // pieces + 1) * (n // pieces + 1) > MAX_CELLS:
        pieces += 1
    out: list[tuple[int | None, int | None]] = []
    if pieces > 1:
        for k in range(pieces):
            a0, a1, b0, b1 = m * k // pieces, m * (k + 1) // pieces, n * k // pieces, n * (k + 1) // pieces
            out += [(None if i is None else i + a0, None if j is None else j + b0)
                    for i, j in _pairs(left[a0:a1], right[b0:b1], work)]
        return out
    work[0] -= m * n
    lb, rb = [_bigrams(u) for u in left], [_bigrams(u) for u in right]

    def dice(a: set[str], b: set[str]) -> float:  # too different in size to reach PAIRED: not compared
        la, lb_ = len(a), len(b)
        return 2 * len(a & b) / (la + lb_) if 2 * min(la, lb_) >= PAIRED * (la + lb_) else 0.0

    sim = [[dice(a, b) for b in rb] for a in lb]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= PAIRED else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    i = j = 0
    while i < m and j < n:
        if sim[i][j] >= PAIRED and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    return out + [(k, None) for k in range(i, m)] + [(None, k) for k in range(j, n)]


def _changed(a: str, b: str) -> CompareRow:
    row = CompareRow("changed", a, b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        kind = "chg" if tag == "replace" else "del" if tag == "delete" else "ins"
        if i2 > i1:
            row.left_marks.append(Mark(i1, i2, kind))
        if j2 > j1:
            row.right_marks.append(Mark(j1, j2, kind))
    if not row.left_marks and not row.right_marks:
        row.op = "equal"
    return row


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by their first) increasing in their second (patience sorting)."""
    tails: list[int] = []
    tops: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tops.append(k)
        else:
            tails[at], tops[at] = j, k
        back[k] = tops[at - 1] if at else -1
    out, k = [], tops[-1] if tops else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _matches(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Units equal in both, in order (patience diff: common ends, then units that occur once in each side of a
    stretch as anchors, the stretches between them alike; a stretch without such a unit falls back to
    :class:`difflib.SequenceMatcher` when small, and is cut along its diagonal when not). Bounded however
    often a unit repeats."""
    found: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            found.append((ahi, bhi))
        if alo >= ahi or blo >= bhi:
            continue
        count_a, count_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
        at_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
        anchors = _lis([(i, at_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in at_b])
        if anchors:
            found.extend(anchors)
            edges = [(alo - 1, blo - 1), *anchors, (ahi, bhi)]
            stack.extend((i0 + 1, i1, j0 + 1, j1) for (i0, j0), (i1, j1) in zip(edges, edges[1:], strict=False))
        elif (ahi - alo) * (bhi - blo) <= MAX_CELLS * 25:
            for blk in difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False).get_matching_blocks():
                found.extend((alo + blk.a + k, blo + blk.b + k) for k in range(blk.size))
        else:  # large and nothing unique (a text of repeated lines): pieces along the diagonal, each alike
            m, n = ahi - alo, bhi - blo
            pieces = math.ceil(math.sqrt(m * n / (MAX_CELLS * 25))) + 1
            stack.extend((alo + m * k // pieces, alo + m * (k + 1) // pieces, blo + n * k // pieces,
                          blo + n * (k + 1) // pieces) for k in range(pieces))
    return sorted(found)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """(tag, i1, i2, j1, j2) as :meth:`difflib.SequenceMatcher.get_opcodes` gives them, from :func:`_matches`."""
    out: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for mi, mj in [*_matches(a, b), (len(a), len(b))]:
        if mi > i or mj > j:
            out.append(("replace" if mi > i and mj > j else "delete" if mi > i else "insert", i, mi, j, mj))
        if mi < len(a) and mj < len(b):
            if out and out[-1][0] == "equal" and out[-1][2] == mi and out[-1][4] == mj:
                out[-1] = ("equal", out[-1][1], mi + 1, out[-1][3], mj + 1)
            else:
                out.append(("equal", mi, mi + 1, mj, mj + 1))
        i, j = mi + 1, mj + 1
    return out


def compare_texts(a_text: str, b_text: str) -> tuple[list[CompareRow], CompareSummary]:
    """The aligned rows of two texts and their summary."""
    left, right = units(a_text), units(b_text)
    keys_a = [_SPACE.sub("", u) for u in left]
    keys_b = [_SPACE.sub("", u) for u in right]
    rows: list[CompareRow] = []
    work = [MAX_WORK]
    for tag, i1, i2, j1, j2 in _opcodes(keys_a, keys_b):
        if tag == "equal":
            rows.extend(CompareRow("equal", left[i], right[j]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                               strict=True))
            continue
        for i, j in _pairs(left[i1:i2], right[j1:j2], work):
            if i is not None and j is not None:
                rows.append(_changed(left[i1 + i], right[j1 + j]))
            elif i is not None:
                unit = left[i1 + i]
                rows.append(CompareRow("deleted", unit, None, [Mark(0, len(unit), "del")]))
            elif j is not None:
                unit = right[j1 + j]
                rows.append(CompareRow("inserted", None, unit, [], [Mark(0, len(unit), "ins")]))
    return rows, _summary(rows)


def _marked(text: str | None, marks: list[Mark], kinds: tuple[str, ...]) -> int:
    return sum(_chars((text or "")[m.start:m.end]) for m in marks if m.kind in kinds)


def _summary(rows: list[CompareRow]) -> CompareSummary:
    a_chars = sum(_chars(r.left) for r in rows)
    b_chars = sum(_chars(r.right) for r in rows)
    removed = sum(_marked(r.left, r.left_marks, ("del", "chg")) for r in rows)
    added = sum(_marked(r.right, r.right_marks, ("ins", "chg")) for r in rows)
    kept = a_chars - removed
    return CompareSummary(a_chars=a_chars, b_chars=b_chars, kept=kept,
                          kept_share=round(kept / a_chars, 4) if a_chars else 1.0, removed=removed, added=added,
                          changes=sum(1 for r in rows if r.op != "equal"))


def compare(a: DocRef, a_text: str, b: DocRef, b_text: str) -> Comparison:
    """Two documents compared (see the module docstring)."""
    rows, summary = compare_texts(a_text[:MAX_CHARS], b_text[:MAX_CHARS])
    return Comparison(a=a, b=b, summary=summary, rows=rows, changes=[i for i, r in enumerate(rows) if r.op != "equal"],
                      truncated=max(len(a_text), len(b_text)) > MAX_CHARS)
