"""Repair GBK text that was decoded one byte off.

When one byte of a GBK stream is lost, a decoder pairs every following byte with the wrong partner until an
ASCII byte puts it back in step. The result is a run of valid but meaningless characters right after a
``?`` or U+FFFD (seed 001: ``上?!逼放平ㄔO`` for ``上海”品牌建設``). The bytes are all still there, shifted:
re-encode the run as GBK, drop its first byte and decode again. The character whose lead byte was lost is
guessed from its surviving trail byte and the document's own text (which pair of neighbours it forms most
often); when nothing supports a guess it is dropped and reported. A repair is kept only when it reads as
real Chinese and the garbled run did not (see :mod:`indexer.extract.plausibility`).
"""

from __future__ import annotations

import re

from indexer.document import Removal
from indexer.extract.plausibility import word_coverage
from indexer.text.normalize import normalize
from indexer.text.segment import dictionary_words

_SUSPECT = re.compile(r"(?<=[\u4e00-\u9fff“”‘’，。、：；！）])[?\ufffd](?=[^\x00-\x7f]|[!,:;])")
_FULLWIDTH = {"!": "！", ",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
_MAX_RUN = 40


def _encode_run(text: str, start: int) -> tuple[bytes, int, bool]:
    """GBK bytes of the garbled run starting at ``start``; returns (bytes, end, lost_tail)."""
    out = bytearray()
    j = start
    while j < len(text) and j - start < _MAX_RUN:
        ch = _FULLWIDTH.get(text[j], text[j])
        if ch in "?\ufffd":
            return bytes(out), j + 1, True
        if ord(ch) < 0x80:
            if len(out) % 2 == 0 and ch.isalnum():  # the ASCII trail byte of the last shifted pair
                out += ch.encode("ascii")
                j += 1
            return bytes(out), j, False
        try:
            out += ch.encode("gbk")
        except UnicodeEncodeError:
            break
        j += 1
    return bytes(out), j, False


def _candidates(lead: int | None, trail: int | None) -> list[str]:
    """Characters whose GBK code has the known byte (lead or trail) and any other byte."""
    found = []
    for other in range(0x40, 0xFF):
        pair = bytes([other, trail or 0]) if lead is None else bytes([lead, other])
        try:
            ch = pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(ch) == 1 and "\u4e00" <= ch <= "\u9fff":
            found.append(ch)
    return found


def _best(cands: list[str], before: str, after: str, context: str) -> str | None:
    """The candidate best supported by the document's own bigrams and the dictionary, or None."""
    scored = []
    for c in cands:
        support = context.count(before[-1:] + c) + context.count(c + after[:1])
        window = normalize(before[-2:] + c + after[:2])
        words = sum(1 for w in dictionary_words(window) if len(w) > 1 and normalize(c) in w)
        scored.append((support * 2 + words, c))
    scored.sort(reverse=True)
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _repair_at(text: str, i: int, context: str) -> tuple[str, int] | None:
    """Try to repair the run after the suspect character at ``i``; return (replacement, end)."""
    raw, end, lost_tail = _encode_run(text, i + 1)
    if len(raw) < 4:
        return None
    shifted = raw[1:]
    tail_lead = None
    if len(shifted) % 2 == 1:
        if not lost_tail:
            return None
        tail_lead, shifted = shifted[-1], shifted[:-1]
    try:
        middle = shifted.decode("gb18030")
    except UnicodeDecodeError:
        return None
    before, after = text[max(0, i - 4):i], text[end:end + 4]
    head = _best(_candidates(None, raw[0]), before, middle, context) or ""
    tail = _best(_candidates(tail_lead, None), middle, after, context) or "" if tail_lead is not None else ""
    repaired = head + middle + tail
    if word_coverage(before + repaired + after) < word_coverage(text[max(0, i - 4):end + 4]) + 0.25:
        return None
    return repaired, end


def repair_line(line: str, context: str) -> tuple[str, list[Removal]]:
    """Repair every mis-aligned GBK run of ``line``; ``context`` is the document's text (for guesses)."""
    removed: list[Removal] = []
    pos = 0
    while True:
        m = _SUSPECT.search(line, pos)
        if not m:
            return line, removed
        got = _repair_at(line, m.start(), context)
        if got is None:
            pos = m.end()
            continue
        repaired, end = got
        garbled = line[m.start():end]
        removed.append(Removal(garbled, f"GBK text decoded one byte off, repaired as “{repaired}”"))
        line = line[:m.start()] + repaired + line[end:]
        pos = m.start() + len(repaired)
