"""Who signs a document and when: its 落款, and a byline that signs it at its head.

* **names** — the issuing bodies standing over the date, one a line or several on one line (工业和信息化部
  国家标准化管理委员会), letter-spaced (科 技 部 → 科技部, :func:`bodies`), a long name wrapped over two lines
  (国务院应对新型冠状病毒肺炎 / 疫情联防联控机制综合组), with a stamp line under them (（国家卫生健康委代章）: the body
  that stamps for them, the signer only when no name stands above it);
* **the closing 落款** (:func:`closing_signature`): the last date line near the end, right-aligned ones first,
  with the names above it — or the name and date on one line (万载县发改委 2023.10.6, a table's last row);
* **the first 落款** (:func:`first_signature`): a notice that 印发s an attachment signs before the attachment
  (whose own 落款 is the attachment's): the first date line under names right after a finished sentence, or
  right after the attachment label (附件：…), where a date alone counts too;
* **a byline** (:func:`byline`): bodies under the title with their date (统计公报: 万载县统计局 国家统计局万载调查队 /
  （2023年5月）), before the text begins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.extract import rules
from indexer.extract.dates import parse_date, parse_month

#: What ends an issuing body's name (a name split by spaces is glued until it ends so).
_BODY_END = re.compile(r"(?:部|委|办公厅|办公室|政府|委员会|联合会|局|厅|院|署|办|社|中心|司|处|会|组|行|所|中央|"
                       + rules.BODY_KINDS + r")$")
#: Two names set on one line without a space: a name never starts with 办公厅/办公室, so one that goes on after
#: them is a second body (工业和信息化部办公厅国家标准化管理委员会办公室).
_JOINED = re.compile(r"(?<=办公厅|办公室)(?=[\u4e00-\u9fff]{4,}(?:办公厅|办公室|部|委员会|局)$)")
#: A 落款 line naming a body that stamps for another: （国家粮食局办公室代章）.
STAMP = re.compile(r"^[（(](?P<org>.+?)(?:代章|盖章)[)）]$")
#: A date alone on a line (二〇二三年三月十五日, 2023年3月15日, maybe in brackets), not an 印发 line.
DATE_LINE = re.compile(rf"^[\s（(]*(?P<date>{rules.DATE_DAY})[\s）)]*$")
#: A 落款 set on one line, the body's name before its date (万载县发改委 2023.10.6, as a table's last row).
_SIGNED_LINE = re.compile(rf"^(?P<org>[\u4e00-\u9fff（）()、“”\s]{{2,44}}?)\s+(?P<date>{rules.DATE_DAY})$")
#: A date line under a byline: a day, or a month in brackets (（2023年5月）).
_BYLINE_DATE = re.compile(rf"^[（(]?\s*(?P<date>{rules.DATE_ANY})\s*[)）]?$")
#: The first half of a body's name wrapped onto two lines: words only, no punctuation.
_FRAGMENT = re.compile(r"^[\u4e00-\u9fff“”]{2,24}$")
#: The shortest first half of a wrapped name.
_FRAGMENT_MIN = 4
#: How many lines a notice's list of attachments runs over at most.
_ATTACHMENTS_MAX = 12
#: How many lines of names a 落款 holds at most (joint issuers, one a line).
_NAMES_MAX = 16
#: How far from the end the closing 落款 stands.
_CLOSING = 12


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bodies(org: str) -> str:
    """Issuing bodies as one issuer: a letter-spaced name loses its spaces (科 技 部 → 科技部), names separated
    by spaces or commas are joined with 、 (工业和信息化部 国家标准化管理委员会)."""
    parts = [p for p in re.split(r"[\s、，,]+", org.strip()) if p]
    if all(len(p) == 1 for p in parts):
        return "".join(parts)
    out: list[str] = []
    current = ""
    for part in parts:
        current += part
        if len(current) >= 2 and _BODY_END.search(current):
            out.append(current)
            current = ""
    if current and out:
        out[-1] += current
    elif current:
        out.append(current)
    return "、".join(p for name in out for p in _JOINED.split(name) if p)


def is_office(text: str) -> bool:
    """A line naming issuing bodies (a stamp line too)."""
    s = text.strip()
    m = STAMP.match(s)
    s = m.group("org") if m else s
    return len(s) <= 60 and bool(rules.OFFICE_LINE.match(s)) and not rules.TITLE_DOC_END.search(_squeeze(s))


def names_above(texts: Sequence[str], at: int, limit: int = _NAMES_MAX) -> tuple[int, list[str]]:
    """(index of the line above them, the bodies' names) of the names standing over line ``at``: name lines
    (a stamp line's body only when no name stands with it), and the first half of a wrapped name."""
    names: list[str] = []
    stamps: list[str] = []
    k = at - 1
    while k >= 0 and at - k <= limit:
        s = texts[k].strip()
        if is_office(s) and not rules.DATELINE.match(s):
            stamp = STAMP.match(s)
            (stamps if stamp else names).insert(0, bodies(stamp.group("org") if stamp else s))
        elif names and _wrapped_head(s, names[0]):
            names[0] = s + names[0]  # 国务院应对新型冠状病毒肺炎 / 疫情联防联控机制综合组
        else:
            break
        k -= 1
    return k, names or stamps


def _wrapped_head(line: str, name: str) -> bool:
    """Whether ``line`` is the first half of ``name`` wrapped onto two lines. A wrapped name's first line fills
    the width, so it is never much shorter than its rest: a short word over a name (待定, 暂无 closing the text
    above the 落款) is the body's last line, not part of the name."""
    return (bool(_FRAGMENT.match(line)) and len(line) >= _FRAGMENT_MIN and 2 * len(line) >= len(name)
            and bool(rules.OFFICE_LINE.match(line + name)))


def _dated(text: str) -> str | None:
    s = text.strip()
    m = DATE_LINE.match(s)
    if m and parse_date(m.group("date")):
        return parse_date(m.group("date"))
    m = _SIGNED_LINE.match(s)
    return parse_date(m.group("date")) if m and is_office(m.group("org")) else None


Signature = tuple[int, list[int], list[str], str]


def closing_signature(texts: Sequence[str], aligns: Sequence[str | None]) -> Signature | None:
    """(index of the date line, indexes of the name lines, names, date) of the 落款 near the end."""
    start = max(0, len(texts) - _CLOSING)
    dated = [i for i in range(start, len(texts)) if _dated(texts[i])]
    if not dated:
        return None
    right = [i for i in dated if aligns[i] == "right"]
    at = (right or dated)[-1]
    k, names = names_above(texts, at)
    if one_line := _SIGNED_LINE.match(texts[at].strip()):
        names.append(bodies(one_line.group("org")))
    return at, list(range(k + 1, at)), names, _dated(texts[at]) or ""


def first_signature(texts: Sequence[str]) -> tuple[int, str | None, str] | None:
    """(index of the date line, issuing bodies or None, date) of the first 落款 in ``texts`` (see the module
    docstring)."""
    for i in range(1, len(texts)):
        s = texts[i].strip()
        m = rules.SIGNATURE_DATE.match(s) if len(s) <= 30 else None
        date = parse_date(m.group("date")) if m else None
        if not date:
            continue
        k, names = names_above(texts, i, 5)
        if k < 0:
            continue
        before = texts[k].strip()
        if (names and (before[-1:] in rules.DOCUMENT_END or rules.FIELD_LINE.match(before)
                       or _after_attachment_list(texts, k))) or rules.ATTACHMENT_LABEL.match(before):
            return i, "、".join(names) or None, date
    return None


#: An item of a notice's list of attachments under its label: 2.项目日程, 3、申请表.
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*\S")


def _after_attachment_list(texts: Sequence[str], k: int) -> bool:
    """Whether line ``k`` ends a list of attachments (附件：1.项目课程内容 / 2.项目日程 / …) that a notice sets
    between its text and its 落款."""
    for j in range(k, max(-1, k - _ATTACHMENTS_MAX), -1):
        s = texts[j].strip()
        if rules.ATTACHMENT_LABEL.match(s):
            return True
        if not _LIST_ITEM.match(s):
            return False
    return False


def byline(texts: Sequence[str], taken: set[int]) -> tuple[int, int, str, str] | None:
    """(first name line, date line, bodies, date: a day or a month) of bodies under the title with their date,
    before the text begins (lines in ``taken`` have a role already)."""
    for i in range(len(texts) - 1):
        if len(texts[i]) > 60 or texts[i][-1:] in rules.SENTENCE_END:
            return None  # the text has begun: bodies over a date from here on are a 落款, not a byline
        if i in taken or not is_office(texts[i]) or rules.TITLE_DOC_END.search(_squeeze(texts[i])):
            continue
        k = i
        while k + 1 < len(texts) and k - i < 3 and is_office(texts[k + 1]):
            k += 1
        m = _BYLINE_DATE.match(texts[k + 1]) if k + 1 < len(texts) else None
        date = m and (parse_date(m.group("date")) or parse_month(m.group("date")))
        if not date:
            return None
        return i, k + 1, "、".join(bodies(texts[j]) for j in range(i, k + 1)), date
    return None
