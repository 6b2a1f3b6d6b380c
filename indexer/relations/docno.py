"""发文字号 (document numbers) as keys: 国发〔2014〕45号 = 国发[2014]45号 = 国发（2014）45 号.

A number is an issuer's abbreviation, a year in brackets and a serial number followed by 号, or an order's
国令第N号. Whatever brackets (〔〕 [] ［］ () （） 【】) or spaces it was written with, :func:`docno_key` gives
the same key (``国发[2014]45号``; leading zeros of the serial dropped), which is what filters, the query
language and reference resolution compare. :func:`find_docnos` finds numbers in running text: the
abbreviation is the run of CJK characters before the bracket, cut after the last word that cannot belong to
one (根据, 参见, 的, 和…), so ``建设任务参见鲁教高函〔2023〕36号`` gives 鲁教高函〔2023〕36号.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from indexer.text.normalize import ascii_digits, normalize

_OPEN, _CLOSE = "〔\\[［(（【", "〕\\]］)）】"
#: A number in running text (spaces allowed where people put them).
DOCNO = re.compile(rf"(?P<prefix>[\u4e00-\u9fff]{{1,16}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]"
                   r"\s*第?\s*(?P<serial>\d{1,5})\s*号|(?P<order>国令)\s*第\s*(?P<oserial>\d{1,5})\s*号")
#: Words that end the text before an abbreviation: what precedes them is not part of the number.
_CUT = re.compile(r".*(?:根据|按照|依据|依照|遵照|对照|参见|参照|参考|详见|执行|贯彻|"
                  r"落实|做好|抓好|做到|实施|结合|印发|转发|文件|以及|号文|精神|关于|"
                  r"通知|意见|办法|规定|要求|部署|有关|相关|见|即|和|及|与|或|的|是|"
                  r"为|在|以|按|据|对|由|将|把|等)")
_KEY = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]{1,16})\[(?P<year>(?:19|20)\d{2})\]第?0*(?P<serial>\d{1,5})号$"
                  r"|^国令第0*(\d{1,5})号$")
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "(": "[", ")": "]"})
MAX_PREFIX = 10


def docno_key(text: str | None) -> str | None:
    """The key of a number as written (None when ``text`` is not one number)."""
    flat = normalize(text or "").translate(_BRACKETS)
    m = _KEY.match(flat)
    if not m:
        return None
    if m.group("prefix") is None:
        return f"国令第{int(m.group(4))}号"
    return f"{m.group('prefix')}[{m.group('year')}]{int(m.group('serial'))}号"


def is_docno(text: str) -> bool:
    """Whether a query is a bare number (what the search box recognises)."""
    stripped = text.strip()
    head = re.split(f"[{_OPEN}]", stripped, maxsplit=1)[0]
    return 0 < len(stripped) <= 40 and not re.search(r"\S\s+\S", head) and docno_key(stripped) is not None


def spellings(text: str) -> list[str]:
    """The number as each bracket style writes it (国发〔2014〕45号, 国发[2014]45号, …), with and without 第 before
    its serial (国发〔2014〕第45号): what a text may contain."""
    key = docno_key(text)
    if key is None or key.startswith("国令"):
        return [key] if key else []
    head, rest = key.split("[", 1)
    year, tail = rest.split("]", 1)
    return [f"{head}{a}{year}{b}{serial}" for serial in (tail, "第" + tail)
            for a, b in (("〔", "〕"), ("[", "]"), ("(", ")"), ("【", "】"))]


def trim_prefix(prefix: str) -> str:
    """An abbreviation found in running text, without the words before it."""
    m = _CUT.match(prefix)
    out = prefix[m.end():] if m else prefix
    return out[-MAX_PREFIX:]


#: What follows an abbreviation (found first: scanning for it is fast, the abbreviation is read backwards).
_TAIL = re.compile(rf"[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*第?\s*(?P<serial>\d{{1,5}})\s*号"
                   r"|国令\s*第\s*(?P<oserial>\d{1,5})\s*号")
_PREFIX_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,16}\s*$")


def find_docnos(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each number in ``text``; the span covers the number as written (full-width digits
    too), abbreviation trimmed (see the module docstring)."""
    text = ascii_digits(text)  # one character for one: spans stay those of the text as written
    for m in _TAIL.finditer(text):
        if m.group("oserial"):
            yield m.start(), m.end(), f"国令第{int(m.group('oserial'))}号"
            continue
        before = _PREFIX_BEFORE.search(text, max(0, m.start() - 24), m.start())
        if not before:
            continue
        written = before.group().rstrip()
        prefix = trim_prefix(written)
        if not prefix:
            continue
        start = before.start() + len(written) - len(prefix)
        yield start, m.end(), f"{prefix}[{m.group('year')}]{int(m.group('serial'))}号"


def year_of(key: str | None) -> int:
    """The year a number's key states (0: none, as for 国令)."""
    m = re.search(r"\[(\d{4})\]", key or "")
    return int(m.group(1)) if m else 0


def hash_key(key: str | None) -> int:
    """A key as an unsigned 64-bit integer (0 for None): what the derived columns and the database store."""
    if not key:
        return 0
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") or 1
