"""A law's or regulation's 题注: the acts its header note lists, and what a clerk cites from them.

Under the title of a law, regulation, judicial interpretation or local regulation stands a note — in brackets
(（1990年6月28日第七届全国人民代表大会常务委员会第十四次会议通过 根据…《关于修改…的决定》第一次修正…）), or in
database exports one act per line (2014年11月24日 中华人民共和国国务院令第656号公布 / 2015年3月1日 施行) — naming
each act that made the text: who adopted it in which meeting and when, who approved, promulgated or issued it
(under which 令 number), each amendment and revision. The text is the version the last act made, so a clerk
cites:

* the **date** of the last act (the latest date the note states; an act that only says when the text takes
  effect makes no version, unless the note states nothing else);
* the **issuer**: the body that adopted the text (its meeting named: 第七届全国人民代表大会常务委员会第十四次会议 →
  全国人民代表大会常务委员会; 最高人民法院审判委员会第1841次会议 → 最高人民法院; 人力资源和社会保障部第6次部务会议 →
  人力资源和社会保障部), or where nobody adopted it in a meeting the body that issued it (中共中央政治局会议审议批准,
  中共中央、国务院发布 → 中共中央、国务院; 国务院令第656号公布 → 国务院);
* the **令 number** of the last promulgation or revision (…令第425号公布 … 令第805号修订 → 令第805号).

Titles quoted inside the note (《关于修改〈…法〉的决定》) are never read for acts. Nothing here guesses: a line
is a note only when it states an act with its date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.extract import rules
from indexer.extract.dates import parse_date

_CN = "一二三四五六七八九十百零〇两"
_VERB = (rf"审议通过|通过|审议批准|批准|(?:修正|修订)?公布(?:施行)?|发布(?:施行)?|颁布(?:施行)?|第?[{_CN}]*次修正|修正"
         rf"|第?[{_CN}]*次修订|修订|修改|施行")
#: One act: its date, who acted (a meeting or a body), and what it did.
_ACT = re.compile(rf"(?P<date>{rules.DATE_DAY})(?P<body>(?:(?!{rules.DATE_DAY})[^。；;：:])*?)(?:起)?(?P<verb>{_VERB})")
#: A note's line: in brackets from a date, or from a date or 根据 + date, ending with an act (or the bracket).
_LINE_START = re.compile(rf"^[（(]?\s*(?:根据\s*)?(?:{rules.DATE_DAY})")
_ENDS_ACT = re.compile(rf"(?:{_VERB})\s*[)）]?$")
_QUOTED = re.compile(r"[《〈<＜][^《》〈〉<>＜＞]*[》〉>＞]")
#: A 令 number: 中华人民共和国国务院令第656号, 主席令第73号, 国务院、中央军事委员会令第805号, 主席令第二十八号.
_ORDER = re.compile(rf"令\s*(?:[（(]\s*第\s*[\d{_CN}]+\s*号\s*[)）]|第\s*[\d{_CN}]+\s*号)")
_ORDER_STOP = re.compile(r".*(?:日|通过|修正|修订|公布|发布|批准|[（(）)，,；;\s])", re.S)
_MEETING = re.compile(rf"第[\d{_CN}]+届|第[\d{_CN}]+次(?:全体|常务|部务|局务|委务|署务|厅务|办公|主任|院务|行务)?会议"
                      r"|(?:全体|常务|部务|局务|委务|署务|厅务|办公|主任|院务|行务)?会议$")
_ORGAN = re.compile(r"(?<=法院|察院)(?:审判委员会|检察委员会)$")
_LEAD = re.compile(r"^(?:经|由|根据|在|并经)+")
_TRAIL = re.compile(r"(?:公告|令第.*|以)$")
_BODY_CHARS = re.compile(r"^[\u4e00-\u9fff、]{2,60}$")
_ADOPT = ("通过", "审议通过")
#: The longest note (the 刑法's lists a dozen amendments, wrapped over many lines of a printed page).
MAX_LINES = 30
_ISSUE = ("公布", "发布", "颁布")


@dataclass
class Act:
    """One act a note states."""

    date: str
    body: str | None  # the acting body, its meeting reduced to the body
    verb: str


@dataclass
class Notes:
    """What a 题注 states: its acts, and the version date, issuer and 令 number a clerk cites from them."""

    acts: list[Act]
    date: str | None
    issuer: str | None
    doc_number: str | None
    adopted: bool  # the issuer is the body that adopted the text in a meeting (通过)


def _flat(text: str) -> str:
    """The note as matched: NFKC (fullwidth digits), no whitespace, quoted titles emptied."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for _ in range(6):  # innermost first: 《关于修改〈…法〉的决定》
        flat, n = _QUOTED.subn("", flat)
        if not n:
            break
    return flat


def is_note_line(line: str) -> bool:
    """Whether ``line`` opens (or is) a 题注: a bracket opened before a date (the note may go on over the next
    lines), or a line from a date (or 根据 + date) that ends with an act (one act per line)."""
    if "。" in line:  # NFKC keeps 。 (no need to normalise a sentence to know it is not a note)
        return False
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
    if not _LINE_START.match(flat) or any(c in flat for c in "。，"):
        return False
    if flat[:1] == "(":
        return flat.count("(") > flat.count(")") or bool(_ACT.search(_flat(flat)))
    return bool(_ENDS_ACT.search(flat)) and bool(_ACT.search(_flat(flat)))


def note_block(lines: list[str], start: int) -> int:
    """The index after the 题注 that starts at ``lines[start]`` (a bracket is followed to its close, over at
    most :data:`MAX_LINES` lines; without one, each further line that is an act of its own belongs to it)."""
    depth = 0
    end = start
    while end < len(lines) and end - start < MAX_LINES:
        s = unicodedata.normalize("NFKC", lines[end].strip())
        if end > start and depth <= 0 and not is_note_line(s):
            break
        depth += s.count("(") - s.count(")")
        end += 1
    return end


def body_name(text: str) -> str | None:
    """The body that acted, from the words before an act (a meeting reduced to its body), or None."""
    s = _LEAD.sub("", text.strip())
    s = _TRAIL.sub("", s)
    for _ in range(3):
        s = _MEETING.sub("", s)
    s = _ORGAN.sub("", s).strip("、")
    return s if _BODY_CHARS.match(s) else None


def _order_numbers(text: str) -> list[str]:
    """The 令 numbers a note states, each with its body as written (spaces kept)."""
    out = []
    for m in _ORDER.finditer(text):
        before = text[:m.start()]
        cut = _ORDER_STOP.match(before)
        org = before[cut.end():] if cut else before
        if org and _BODY_CHARS.match(org.replace(" ", "")):
            out.append(org + m.group(0).strip())
    return out


def read_notes(text: str) -> Notes | None:
    """The acts of a 题注 (the note's text, its lines joined) and what a clerk cites from them; None when it
    states no act with a date."""
    acts = []
    for m in _ACT.finditer(_flat(text)):
        date = parse_date(m.group("date"))
        if date:
            acts.append(Act(date, body_name(m.group("body")), m.group("verb")))
    if not acts:
        return None
    versions = [a for a in acts if not a.verb == "施行"] or acts
    adopted = [a.body for a in acts if a.verb in _ADOPT and a.body]
    issued = [a.body for a in acts if a.body and (a.verb.startswith(_ISSUE) or a.verb.endswith(_ISSUE))]
    issuer = next(iter(adopted or issued or [a.body for a in acts if a.body]), None)
    numbers = _order_numbers(unicodedata.normalize("NFKC", text))
    return Notes(acts, max(a.date for a in versions), issuer, numbers[-1] if numbers else None, bool(adopted))
