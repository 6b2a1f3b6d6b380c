"""What each line of a document's opening and close is, decided once per document for every format.

A clerk reads a Chinese official document by its parts, and so does this module (:func:`read_structure`):

* **banner** — the 红头 (中共××市委统战部文件; a joint one names the other bodies on the lines above);
  an order's or announcement's head (中国证券监督管理委员会令, 国家能源局公告); a standard's cover
  (中华人民共和国国家标准, ICS 27.010, GB/T 1—2020, 代替…, the English title, 2020-03-31 发布 2020-10-01 实施,
  国家能源局 发布);
* **number** — the 发文字号 (国发〔2019〕5号; 第19号 under an order's head; [2013]26号 under an announcement's;
  a 令 number alone in brackets: （中华人民共和国主席令第 31 号）);
* **notes** — a law's or regulation's 题注 under its title (the acts that made the text: :mod:`.notes`), which
  states the version's date, the adopting or issuing body and the 令 number;
* **title** — with layout hints only: a paragraph styled Title, or the first run of large type at the top
  after the banner and number (Word font sizes, PDF/OFD glyph sizes); plain text leaves the title to
  :mod:`indexer.extract.titles`, which skips the banner lines found here;
* **signature / date** — the 落款: the issuing bodies standing right above a date line near the end, or
  right after an order's or announcement's promulgation paragraph (an order's text follows its 落款), or a
  byline under the title (a 统计公报's bodies over its date: the document signs at its head).

Formats pass what they know about each line (:class:`Line`); plain text and HTML pass the text alone and
the structure decides. From the roles come the issuer (banner, head, a standard's 发布 line, 落款), the
发文字号 and the dates the header states (发布/实施 on a standard's cover; the 落款).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.extract import rules
from indexer.extract.dates import parse_date
from indexer.extract.metadata import is_meta_line
from indexer.extract.notes import MAX_LINES, is_note_line, note_block, read_notes
from indexer.extract.signatures import DATE_LINE, bodies, byline, closing_signature, is_office

_OPENING = 14
_ORG = r"[\u4e00-\u9fff（）()、]{2,40}?"
#: 红头: 中共××市委统战部文件.
BANNER = re.compile(rf"^(?P<org>{_ORG})文件$")
#: An order's or announcement's head, maybe with its number: 中国证券监督管理委员会令 第19号, 国家能源局公告
#: 2023年第3号, 证监会公告[2013]26号.
_NUM = (r"(?:第\s*(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,6})\s*号|\d{4}\s*年\s*第\s*\d{1,4}\s*号"
        r"|[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*号)")
HEAD = re.compile(rf"^(?P<org>{_ORG})(?P<kind>令|公告|通告)\s*(?P<num>{_NUM})?$")
NUMBER_ALONE = re.compile(rf"^[（(]?\s*{_NUM}\s*[)）]?$")
#: A standard's cover lines. Its kind, sector kinds too (中华人民共和国国家环境保护标准, …国家职业卫生标准): the
#: sector's name only after 中华人民共和国, as those covers print it (a title such as 高校国家助学金资助标准 is no
#: cover line).
STANDARD_KIND = re.compile(r"^(?:中华人民共和国[\u4e00-\u9fff]{0,12}(?:国家|行业)"
                           r"(?:[\u4e00-\u9fff]{2,6}(?<!管理|办法|规定))?"
                           r"|(?:中华人民共和国)?[\u4e00-\u9fff]{0,12}(?:国家|行业|地方|团体|企业))标准(?:化指导性技术文件)?$")
#: ICS/CCS codes, the 备案号.
STANDARD_CODE = re.compile(r"^(?:ICS|CCS)\s*[A-Z0-9.]+|^[A-Z]\s*\d{2}$|^备案号")
#: The code a standard's cover prints alone in large type (HJ, GB, DB44, GB/T): a cover line only where the
#: opening lines show a standard (its kind or number) — elsewhere PPP, WTO or a page's Roman numeral is text.
STANDARD_CODE_ALONE = re.compile(r"^[A-Z]{1,4}(?:\s*\d{2})?(?:\s*/\s*[TZ])?$")
#: A standard's number: GB 39726—2020, NB/T 10001—2023, a local standard's DB44/ 2367—2022 or DB11/T 1234-2020.
STANDARD_NUMBER = re.compile(r"^(?P<num>(?:GB|[A-Z]{1,4}(?:\d{2}(?=\s*/))?)(?:\s*/\s*[TZ]?)?\s*\d+(?:\.\d+)*"
                             r"\s*[—\-–－]+\s*(?:19|20)\d{2})(?:\s*(?:代替|部分代替)\s*.*)?$")
STANDARD_REPLACES = re.compile(r"^(?:代替|部分代替)\s*[A-Z]")
#: 2020-03-31 发布 2020-10-01 实施 (either half may stand alone).
_COVER_DAY = r"(?:19|20)\d{2}\s*[-－–.]\s*\d{1,2}\s*[-－–.]\s*\d{1,2}"  # 2020-03-31, 2001 – 08 – 20
COVER_DATES = re.compile(rf"^(?:(?P<issued>{_COVER_DAY})\s*发\s*布)?\s*(?:(?P<effective>{_COVER_DAY})\s*实\s*施)?$")
#: 国家能源局 发布; 国家市场监督管理总局 国家标准化管理委员会 发布.
ISSUED_BY = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()、\s]{2,80}?)\s*发\s*布$")
#: A line in Latin letters only (a standard's English title under the Chinese one).
LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.;:'()\-—–/&]+$")
#: A person's name standing in a 落款 with the office they hold (部长 周小川, 主任 何立峰).
SIGNER = re.compile(r"^(?:[\u4e00-\u9fff]{0,20}(?:部长|主任|主席|总理|局长|署长|行长|院长|委员长|书记|秘书长|省长|市长|"
                    r"县长|厅长|会长|理事长))\s*[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}$")


@dataclass
class Line:
    """One paragraph, table row or visual line of a source, with what its layout says about it."""

    text: str
    size: float = 0.0  # font size in points; 0 when unknown
    align: str | None = None  # "center", "right", "left", "both" where known
    heading: bool = False  # a paragraph style marks it as a heading
    title: bool = False  # a paragraph style marks it as the document's title


@dataclass
class Structure:
    """The roles of a document's lines (index → role) and the fields they state."""

    roles: dict[int, str] = field(default_factory=dict)
    title: str | None = None  # only from layout hints (style, type size)
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # the date a header states (a standard's 发布, an order's promulgation)
    date_line: str | None = None
    written: str | None = None  # the 落款 date (成文日期)
    signers: str | None = None  # the bodies standing in the closing 落款
    promulgated: int | None = None  # the date line ending an order's or announcement's promulgation block
    effective: str | None = None  # 实施日期 on a standard's cover
    head_issuer: bool = False  # the issuer is the body whose order or announcement heads the text
    noted_issuer: str | None = None  # the body a 题注 names as adopting (or issuing) the text
    signed: str | None = None  # the date the bodies signing under the title give it (a byline's)

    def skipped(self) -> set[int]:
        """Lines that are header furniture, never a title."""
        return {i for i, role in self.roles.items() if role in ("banner", "number", "notes")}

    def title_from(self) -> int:
        """Where a title may start: after an order's promulgation block (the regulation it promulgates follows
        its 落款), after the banner and number lines at the top (a line above a banner is a running header), else
        at the top."""
        if self.promulgated is not None:
            return self.promulgated + 1
        top = sorted(i for i, role in self.roles.items() if role in ("banner", "number") and i < _OPENING)
        if not top:
            return 0
        end = top[0]
        for i in top[1:]:
            if i - end > 2:  # the cover's close (发布 lines) under the title is not part of the run
                break
            end = i
        banner = any(self.roles[i] == "banner" for i in top if i <= end)
        return end + 1 if banner else 0  # a 发文字号 alone may stand under the title (gov.cn pages)


def _squeeze(text: str) -> str:
    """``text`` without white space (str.split's white space is the same as the ``\\s`` of a str pattern)."""
    return "".join(text.split())


def _issuing(org: str) -> bool:
    """Whether a banner's words name issuing bodies (中共××市委统战部, 中共中央, 国务院办公厅), not a section
    heading that ends in 文件 (引用文件, 规范性引用文件)."""
    return all(rules.OFFICE_NAME.match(n) or n.endswith(("中央", "党组", "委")) for n in bodies(org).split("、"))


def _heads(org: str) -> bool:
    """Whether the words before 令/公告/通告 name a body whose order or announcement heads the text, not a title
    that is itself an announcement (关于公布…名单的公告: a 关于 clause, a 的 before the kind; …人员公示公告: a
    公示, a kind of document, before it)."""
    return not rules.TITLE_DOC_END.search(org) and "关于" not in org and not org.endswith(("的", "公示"))


def _cover(lines: Sequence[Line], out: Structure) -> None:
    """Banner, head, number and standard cover among the opening lines."""
    head_at: int | None = None
    codes: list[int] = []  # lines that are a standard's code alone, if the opening is a standard's cover
    standard = False
    for i, ln in enumerate(lines[:_OPENING]):
        s = ln.text.strip()
        flat = _squeeze(s)
        bracketed = flat[:1] in "（(" and flat[-1:] in ")）" and bool(HEAD.match(flat[1:-1]))
        if bracketed:
            flat = flat[1:-1]  # an order's number in brackets on a line of its own (under a law's title)
        if (m := BANNER.match(flat)) and len(flat) <= 40 and _issuing(m.group("org")):
            out.roles[i] = "banner"
            joint = [m.group("org")]
            for j in range(i - 1, max(-1, i - 4), -1):  # a joint 红头: the other bodies stand above (…办公厅 / …文件)
                if out.roles.get(j) is not None or not is_office(lines[j].text):
                    break
                out.roles[j] = "banner"
                joint.insert(0, lines[j].text)
            out.issuer = out.issuer or bodies(" ".join(joint))
        elif (m := HEAD.match(flat)) and len(flat) <= 50 and _heads(m.group("org")):
            out.roles[i] = "number" if bracketed else "banner"
            head_at = i
            out.head_issuer = out.head_issuer or out.issuer is None
            out.issuer = out.issuer or m.group("org")
            if m.group("num"):
                out.doc_number = out.doc_number or (s[1:-1].strip() if bracketed else flat)
        elif NUMBER_ALONE.match(flat) and head_at is not None and i - head_at <= 2:
            out.roles[i] = "number"
            head = _squeeze(lines[head_at].text)
            out.doc_number = out.doc_number or head + flat
        elif (m := rules.doc_number_in(s)) and len(s) <= len(m.group(0)) + 16:
            out.roles[i] = "number"
            out.doc_number = out.doc_number or _squeeze(m.group(0))
        elif m := STANDARD_NUMBER.match(s):
            out.roles[i] = "banner"
            out.doc_number = out.doc_number or re.sub(r"\s*([—\-–－]+)\s*", r"\1", m.group("num"))
            standard = True
        elif STANDARD_KIND.match(flat) or STANDARD_CODE.match(s) or STANDARD_REPLACES.match(s):
            out.roles[i] = "banner"
            standard = standard or bool(STANDARD_KIND.match(flat))
        elif STANDARD_CODE_ALONE.match(s):
            codes.append(i)
    for i in codes if standard else []:
        out.roles[i] = "banner"
    if head_at is not None:
        _promulgation(lines, head_at, out)


def _promulgation(lines: Sequence[Line], head_at: int, out: Structure) -> None:
    """An order's or announcement's 落款: signer or body, then a date, within a few lines of its head."""
    for i in range(head_at + 1, min(len(lines), head_at + 12)):
        s = lines[i].text.strip()
        m = DATE_LINE.match(s)
        if m and parse_date(m.group("date")):
            out.roles[i] = "date"
            out.date = out.date or parse_date(m.group("date"))
            out.date_line = out.date_line or s
            out.written = out.written or out.date
            out.promulgated = i
            if i > 0 and (SIGNER.match(lines[i - 1].text.strip()) or is_office(lines[i - 1].text)):
                out.roles[i - 1] = "signature"
            return


def _byline(lines: Sequence[Line], out: Structure) -> None:
    """Bodies signing under the title with their date (:func:`.signatures.byline`): issuer and own date."""
    found = byline([ln.text.strip() for ln in lines[:_OPENING]], set(out.roles))
    if found:
        first, at, names, date = found
        for j in range(first, at + 1):
            out.roles[j] = "signature" if j < at else "date"
        out.issuer = out.issuer or names
        out.signed = date
        out.written = out.written or date


def _notes(lines: Sequence[Line], out: Structure) -> None:
    """A 题注 among the opening lines: its acts give the version date, the issuer and the 令 number."""
    texts = [ln.text.strip() for ln in lines[:_OPENING + MAX_LINES]]
    at = next((i for i, t in enumerate(texts[:_OPENING]) if out.roles.get(i) is None and is_note_line(t)), None)
    if at is None:
        return
    end = note_block(texts, at)
    found = read_notes("\n".join(texts[at:end]))
    if found is None:
        return
    for i in range(at, end):
        out.roles[i] = "notes"
    if found.adopted and out.head_issuer:
        out.issuer = None  # the body that adopted the text, not the one whose order promulgated it (主席令)
    out.noted_issuer = found.issuer
    out.doc_number = out.doc_number or found.doc_number
    if out.date is None:
        out.date, out.date_line = found.date, texts[at]


def _cover_day(text: str) -> str | None:
    """A cover's date (2020-03-31, 2001 – 08 – 20)."""
    return parse_date(re.sub(r"\s*[–－]\s*", "-", text))


def _standard_close(lines: Sequence[Line], out: Structure) -> None:
    """A standard cover's 发布/实施 dates and its 发布 line (issuing bodies), wherever the cover ends."""
    alone: list[int] = []
    named: list[int] = []
    for i, ln in enumerate(lines[:_OPENING + 10]):
        s = ln.text.strip()
        m = COVER_DATES.match(s)
        if m and (m.group("issued") or m.group("effective")):
            out.roles[i] = "banner"
            if m.group("issued"):
                out.date = out.date or _cover_day(m.group("issued"))
                out.date_line = out.date_line or s
            if m.group("effective"):
                out.effective = out.effective or _cover_day(m.group("effective"))
            continue
        if _squeeze(s) == "发布":
            alone.append(i)
            continue
        m = ISSUED_BY.match(s)
        if m and all(rules.OFFICE_NAME.match(p) for p in bodies(m.group("org")).split("、")):
            out.roles[i] = "banner"
            named.append(i)
    standard = bool(out.date or out.effective or _is_standard(out.doc_number))
    if named:
        _issued_by(lines, named[0], out, standard)
    if alone and standard:
        _issued_alone(lines, alone[0], out)


def _is_standard(number: str | None) -> bool:
    return bool(number and STANDARD_NUMBER.match(number))


def _name_rows(lines: Sequence[Line], rng: range, out: Structure, most: int = 4) -> list[int]:
    """The lines of ``rng`` (walked from the 发布 line outwards) that each name issuing bodies, up to the first
    that does not (a 发布/实施 date line between the names and their 发布 is passed over)."""
    found: list[int] = []
    for j in rng:  # within the lines
        if out.roles.get(j) == "banner" and COVER_DATES.match(lines[j].text.strip()):
            continue  # 2022-06-01 发布 2022-09-01 实施 between the names and their 发布
        if len(found) >= most or out.roles.get(j) is not None:
            break
        s = lines[j].text.strip()
        if not all(rules.OFFICE_NAME.match(p) for p in bodies(s).split("、")):
            break
        found.append(j)
    return found


def _issued_by(lines: Sequence[Line], at: int, out: Structure, standard: bool) -> None:
    """A 发布 line naming its bodies (国家能源局 发布; two side by side). On a standard's cover the other body of
    a joint standard may stand on the line right above or below it, its 发布 set beside one of the two stacked
    names (国家质量监督检验检疫总局 发布 / 国家标准化管理委员会): the issuer is every name."""
    m = ISSUED_BY.match(lines[at].text.strip())
    assert m is not None
    rows = [at]
    if standard:
        rows = sorted(_name_rows(lines, range(at - 1, max(-1, at - 3), -1), out, 1)) + rows
        rows += _name_rows(lines, range(at + 1, min(len(lines), at + 3)), out, 1)
    for j in rows:
        out.roles[j] = "banner"
    own = bodies(m.group("org"))
    out.issuer = out.issuer or "、".join(own if j == at else bodies(lines[j].text) for j in rows)


def _issued_alone(lines: Sequence[Line], at: int, out: Structure) -> None:
    """A standard cover's 发布 set on a line of its own (a PDF lays it out beside the names): the issuing bodies
    are the name lines right above it (a 发布/实施 date line may stand between) and right below it (two names
    stacked around one centred 发 布)."""
    above = sorted(_name_rows(lines, range(at - 1, max(-1, at - 7), -1), out))
    below = _name_rows(lines, range(at + 1, min(len(lines), at + 5)), out, 4 - len(above) if above else 4)
    if above and below and not (len(above) == 1 and len(below) == 1):
        below = []  # names over their 发布, then a cover's other lines: only the stacked pair is read both ways
    rows = above + below
    out.roles[at] = "banner"
    if not rows:
        return
    for j in rows:
        out.roles[j] = "banner"
    out.issuer = out.issuer or "、".join(bodies(lines[j].text) for j in rows)


def _closing(lines: Sequence[Line], out: Structure) -> None:
    """The 落款 near the end (:func:`.signatures.closing_signature`)."""
    found = closing_signature([ln.text for ln in lines], [ln.align for ln in lines])
    if found is None:
        return
    at, name_lines, names, date = found
    out.roles[at] = "date"
    for k in name_lines:
        out.roles[k] = "signature"
    if date and out.written is None:
        out.written, out.date_line = date, out.date_line or lines[at].text.strip()
    if names:
        out.signers = "、".join(names)
        out.issuer = out.issuer or out.signers


def read_structure(lines: Sequence[Line]) -> Structure:
    """The roles of ``lines`` and what they state (see the module docstring)."""
    out = Structure()
    _cover(lines, out)
    _notes(lines, out)
    _byline(lines, out)
    _standard_close(lines, out)
    _closing(lines, out)
    out.title = hinted_title(lines, out)
    return out


def _body_size(lines: Sequence[Line]) -> float:
    sized = [ln.size for ln in lines if ln.size > 0 for _ in range(min(len(ln.text), 200))]
    return statistics.median(sized) if sized else 0.0


#: Spaces a layout engine puts between Chinese and Latin letters or digits (关于做好 2023 年…).
_HAN = "\u4e00-\u9fff〔〕（）"
_AUTOSPACE = re.compile(rf"(?<=[{_HAN}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])\s+(?=[{_HAN}])")


def _own_title_below(lines: Sequence[Line], styled: int, found: Structure) -> str | None:
    """The title the header under a styled title states (see :func:`hinted_title`), else the styled one."""
    if found.promulgated is not None and styled < found.promulgated:
        return None
    numbers = [i for i, role in found.roles.items() if role == "number" and styled + 1 < i <= styled + 6]
    if numbers:
        # a page's labelled lines (2020-06-24来源: 会计司) between the title and its number are the page's, not title
        between = [i for i in range(styled + 1, numbers[0]) if not is_meta_line(lines[i].text)]
        block = [lines[i].text.strip() for i in between]
        joined = _AUTOSPACE.sub("", "".join(block))
        if (1 <= len(block) <= 3 and all(found.roles.get(i) is None for i in between)
                and 4 <= len(joined) <= 100 and rules.TITLE_DOC_END.search(joined)):
            return joined
    return lines[styled].text.strip()


def hinted_title(lines: Sequence[Line], found: Structure | None = None) -> str | None:
    """A title a style names, else the first run of large type at the top (banner and number left out,
    a remark in brackets and a 编制说明-like line under it joined); None without layout hints.

    A styled title (a Markdown ``#`` line, an HTML page's ``<h1>``, a Word Title paragraph) that stands above the
    document's own header is the publisher's name for the file, and yields to the title that header states:
    the title line standing over its 发文字号 (财政部关于印发…的通知 / 财会〔2010〕15号 under ``# 企业会计准则解释
    第4号``), or the name under an order's promulgation block (None here: the text rules find it there)."""
    for i, ln in enumerate(lines[:_OPENING]):
        if ln.title:
            return _own_title_below(lines, i, found) if found else ln.text.strip()
    body = _body_size(lines)
    if body <= 0:
        return None
    skip = found.skipped() if found else set()
    run: list[Line] = []
    for i, ln in enumerate(lines[:_OPENING]):
        text = ln.text.strip()
        if i in skip or BANNER.match(_squeeze(text)) or rules.doc_number_in(text) or rules.NOT_TITLE.match(text):
            if run:
                break
            continue  # an attachment's label over its title (附件 1, 附表一), a 目 录 under it: never the title
        large = ln.size >= body * 1.2 and len(text) <= 60 and not LATIN.match(text)
        if large and (not run or abs(ln.size - run[0].size) <= 0.3 * run[0].size) and len(run) < 3:
            run.append(ln)
            continue
        if run and (rules.TITLE_REMARK.match(text) or rules.TITLE_PART.match(_squeeze(text))):
            run.append(ln)
            continue
        if run:
            break
    title = _AUTOSPACE.sub("", "".join(ln.text.strip() for ln in run))
    return title if 4 <= len(title) <= 100 and any("\u4e00" <= c <= "\u9fff" for c in title) else None
