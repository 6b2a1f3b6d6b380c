"""How much a run of characters looks like real Chinese.

Used to choose between candidate decodings of the same bytes (GB18030 vs Big5 vs EUC-TW) and to spot and
repair mis-aligned GBK runs. The measure is the share of CJK characters that fall inside multi-character
words of jieba's dictionary (through rjieba, with the HMM for unknown words switched off, so every
multi-character token really is a dictionary word). Real text scores 0.6–0.95; text decoded with the wrong
codec scores below 0.1, because its characters are valid but form no words.
"""

from __future__ import annotations

import re

from indexer.text.normalize import normalize
from indexer.text.segment import dictionary_words

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_ODD = re.compile(r"[\ue000-\uf8ff\u3100-\u312f\u31a0-\u31bf\ufffd\x80-\x9f]")


def cjk_chars(text: str) -> str:
    """All CJK ideographs of ``text``, joined."""
    return "".join(_CJK_RUN.findall(text))


def word_coverage(text: str, limit: int = 4000) -> float:
    """Share (0–1) of the CJK characters of ``text`` covered by multi-character dictionary words.

    Runs are segmented separately, so punctuation never glues two runs into a false word."""
    covered = total = 0
    for run in _CJK_RUN.findall(normalize(text)):
        total += len(run)
        covered += sum(len(w) for w in dictionary_words(run) if len(w) > 1)
        if total >= limit:
            break
    return covered / total if total else 0.0


def odd_ratio(text: str) -> float:
    """Share of the non-ASCII characters that real documents almost never contain (private use,
    bopomofo, U+FFFD, C1 controls)."""
    nonascii = sum(1 for c in text if ord(c) > 0x7F)
    return len(_ODD.findall(text)) / nonascii if nonascii else 0.0


def score(text: str) -> float:
    """One number for comparing decodings of the same bytes: higher is more plausible."""
    sample = text[:50000]
    cjk = len(cjk_chars(sample))
    base = word_coverage(sample) if cjk >= 10 else 0.3
    return base - 2 * odd_ratio(sample)
