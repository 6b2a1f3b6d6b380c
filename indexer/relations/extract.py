"""A document's references and validity statements, found in its displayed text (its sections' text joined by
newlines, as ``/api/doc`` gives them), each with its span.

References, in the order they stand:

* ``《title》`` naming a document (:func:`indexer.relations.titles.is_document_title`: 通知, 办法, 条例…, not a
  newspaper or a book), with its number when one follows in brackets: 《国务院关于…的通知》（国发〔2014〕45号）
  (or ends the title in brackets inside the marks: 《…发展规划（国发〔2017〕35号）》);
  a short name introduced for it (以下简称《办法》) is no reference itself, but every later 《办法》 names the
  same document;
* a bare number: 按照国办发〔2019〕5号文件要求 (:func:`indexer.relations.docno.find_docnos`);
* a document named without marks as the basis of the text: 根据省委办公厅关于…的通知精神.

Validity statements: a sentence that ends or changes the force of the documents it names — 废止 (…同时废止,
予以废止, 失效), 停止执行, 不再执行, 代替/取代, 修订 (修订后的《…》, 对《…》进行了修订), 以本…为准 — makes the
references of that sentence (not those it names as its basis: 根据《…》) *targets* of that kind. A plan is not a
statement (将, 拟, 抓紧 before the verb: 抓紧修订《…》). The date a statement takes effect is read from 自…起 in
its sentence or the one before (本办法自2020年1月1日起施行，《…》同时废止); otherwise the stating document's own
date is the date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.relations.docno import find_docnos, hash_key, year_of
from indexer.relations.titles import clean_title, is_document_title, title_key
from indexer.text.normalize import ascii_digits

KINDS = ("cite", "abolish", "replace", "amend")
CITE, ABOLISH, REPLACE, AMEND = range(4)

_TITLE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_AFTER_NUMBER = re.compile(r"\s*[（(]\s*")
_AFTER_YEAR = re.compile(r"\s*[（(]\s*(?P<year>(?:19|20)\d{2})\s*年[^（）()\n]{0,10}[）)]")
#: A year written before the title: 2015年印发的《…》, or the year alone qualifying it (2018年《政府工作报告》,
#: 2018年度的《…》: that year's document, not the latest of its title).
_BEFORE_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年(?:度?\s*的?|(?:\d{1,2}\s*月(?:\d{1,2}\s*日)?)?\s*"
                          r"(?:印发|发布|出台|制定|颁布|"
                          r"修订|公布|下发)的)\s*$")
_ALIAS = re.compile(r"(?:简称|称|称为|下称)\s*$")
#: A short name given right after a title: 《…》（以下简称《办法》）; later mentions of 《办法》 name the same document.
_CLOSE = re.compile(r"\s*(?:文件?)?(?:印发|发布|下发|公布)?\s*"
                    r"(?:[，,；;]\s*(?:以下)?(?:简称|称|下称)\s*《(?P<alias>[^《》\n]{1,40})》\s*)?[）)]")
#: A number standing alone on one of a document's first lines, or in brackets ending one, is its own (its header),
#: not a reference.
_OWN_LINES = 10
_TRAILING_NUMBER = re.compile(r"[（(]\s*([^（()）]{2,40}?号)\s*[）)]\s*$")
_NAMED = re.compile(r"\s*[（(]\s*(?:以下)?(?:简称|称|下称)\s*《(?P<alias>[^《》\n]{1,40})》\s*[）)]")
_BASIS = re.compile(r"(?:根据|依据|按照|依照|遵照|经)\s*$")
_SPIRIT = re.compile(r"(?P<title>[^，,。；;、《》“”（）()\n]{2,60}?关于[^，,。；;《》（）()\n]{2,80}?"
                     r"(?:通知|意见|决定|规定|办法|方案|纲要|部署|要求))(?:的)?精神")
#: The stretches of text between the characters no match of _SPIRIT holds: each is searched on its own (a
#: match never crosses one), and only where it holds both 关于 and 精神 — the same matches as a search of the
#: whole text, which tries the pattern's 60-character prefix at every position of every line.
_SPIRIT_RUN = re.compile(r"[^，,。；;《》（）()\n]{8,}")


def _spirit_mentions(text: str) -> Iterator[re.Match[str]]:
    """``_SPIRIT.finditer(text)``, searched only in the stretches that can hold a match."""
    if "精神" not in text or "关于" not in text:
        return
    for run in _SPIRIT_RUN.finditer(text):
        start, end = run.span()
        if text.find("精神", start, end) != -1 and text.find("关于", start, end) != -1:
            yield from _SPIRIT.finditer(text, start, end)


#: Words before a document named as a basis that are not part of its name.
_LEAD = re.compile(r"^(?:根据|按照|依据|依照|贯彻|落实|认真|学习|领会|和|及|以及|并|同时|为)+")
_ENDS = "。！？；!?;\n"
_VERBS = [
    (ABOLISH, re.compile(r"(?:同时|一并|予以|即行|随之|相应)?(?:废止|废除|失效)|停止(?:执行|施行|实施)"
                         r"|不再(?:执行|施行|实施|适用)")),
    (REPLACE, re.compile(r"代替|替代|取代")),
    (AMEND, re.compile(r"修订后的|(?:进行了?|作了|作出|予以)修[订改正]|修订为|修改为|的修订"
                       r"|以本(?:通知|办法|意见|规定|决定|细则|方案|"
                       r"条例|文件|标准|规则|批复|公告|通告|规划|意见)为准")),
]
_PLAN = re.compile(r"(?:将|拟|要|抓紧|适时|研究|加快|推动|着手|计划|正在|启动|需要|需|应当|应|"
                   r"建议|尽快|及时|逐步|组织|开展|"
                   r"不得|未|没有)[^，,。；;]{0,6}$")
_EFFECTIVE = re.compile(r"自\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:起|开始)")


@dataclass
class Reference:
    """One reference (see the module docstring). ``start``/``end`` is its span, ``sentence`` the span of the
    sentence holding it; ``title``/``docno`` what it names (``docno`` a key of :func:`.docno.docno_key`),
    ``year`` a year it states (0: none), ``kind`` one of KINDS (a target of a validity statement, or a plain
    citation), ``date`` when a statement takes effect (YYYYMMDD, 0: the stating document's date)."""

    start: int
    end: int
    sentence: tuple[int, int]
    title: str | None
    docno: str | None
    year: int = 0
    kind: int = CITE
    date: int = 0
    basis: bool = False

    @property
    def title_key(self) -> int:
        return title_key(self.title) if self.title else 0

    @property
    def docno_key(self) -> int:
        return hash_key(self.docno)


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``: from after the previous end mark to its own (included)."""
    lo = max(text.rfind(c, 0, start) for c in _ENDS) + 1
    ends = [i for i in (text.find(c, end) for c in _ENDS) if i >= 0]
    hi = min(ends) + (0 if text[min(ends)] == "\n" else 1) if ends else len(text)
    return lo, max(hi, end)


def _titled(text: str) -> Iterator[Reference]:
    aliases: dict[str, Reference] = {}  # 《short name》 → the reference that introduced it
    for m in _TITLE.finditer(text):
        title = m.group("title")
        before = text[max(0, m.start() - 6):m.start()]
        if _ALIAS.search(before):
            continue
        named = aliases.get(title)
        if named is not None:  # a later mention by the short name: the document it stands for
            yield Reference(m.start(), m.end(), (0, 0), named.title, named.docno, named.year,
                            basis=bool(_BASIS.search(before)))
            continue
        end, docno, short = m.end(), None, None
        bracket = _AFTER_NUMBER.match(text, end)
        if bracket:
            found = next(find_docnos(text[bracket.end():bracket.end() + 40]), None)
            if found and found[0] == 0:
                close = _CLOSE.match(text, bracket.end() + found[1])
                if close:
                    docno, end, short = found[2], close.end(), close.group("alias")
        inner = None if docno else _TRAILING_NUMBER.search(title)  # 《…规划（国发〔2017〕35号）》
        if inner and (key := next(find_docnos(inner.group(1)), None)) and key[:2] == (0, len(inner.group(1))):
            title, docno = title[:inner.start()].rstrip(), key[2]
        if docno is None and not is_document_title(title):
            continue
        year = year_of(docno)
        if not year:
            after = _AFTER_YEAR.match(ascii_digits(text[m.end():m.end() + 40]))  # ２０１５年 is 2015年
            before_year = _BEFORE_YEAR.search(ascii_digits(text[max(0, m.start() - 20):m.start()]))
            year = int(after.group("year")) if after else int(before_year.group("year")) if before_year else 0
        ref = Reference(m.start(), end, (0, 0), title, docno, year, basis=bool(_BASIS.search(before)))
        alias = _NAMED.match(text, end)
        short = alias.group("alias") if alias else short
        if short and short != title:
            aliases[short] = ref
        yield ref


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_references(text: str, own_title: str | None = None, own_docno: str | None = None) -> list[Reference]:
    """Every reference and validity target of ``text`` in order (a document naming itself — its own number or
    title, or a number alone on one of its first lines, its header — is left out; its own title in a validity
    statement is the version before it)."""
    refs = list(_titled(text))
    taken = [(r.start, r.end) for r in refs]
    head = text.split("\n", _OWN_LINES)[:_OWN_LINES]
    header = {line.strip().strip("（()）").strip() for line in head}  # a number alone on a line, or ending one:
    header |= {m.group(1).strip() for line in head if (m := _TRAILING_NUMBER.search(line))}  # 标题（国发〔…〕5号）
    for start, end, key in find_docnos(text):
        if text[start:end].strip() in header:
            continue
        if not _overlaps(taken, start, end):
            refs.append(Reference(start, end, (0, 0), None, key, year_of(key),
                                  basis=bool(_BASIS.search(text[max(0, start - 6):start]))))
    taken = [(r.start, r.end) for r in refs]
    for m in _spirit_mentions(text):
        lead = _LEAD.match(m.group("title"))
        start = m.start("title") + (lead.end() if lead else 0)
        if lead and not _overlaps(taken, start, m.end("title")):
            refs.append(Reference(start, m.end("title"), (0, 0), text[start:m.end("title")], None, basis=True))
    refs.sort(key=lambda r: (r.start, r.end))
    _statements(text, refs)
    own = (clean_title(own_title) if own_title else None, own_docno)
    # its own number is itself; its own title is itself unless a statement names it (原《…办法》同时废止: the
    # version before it, which resolution finds)
    return [r for r in refs if not ((r.docno and r.docno == own[1]) or
                                    (r.kind == CITE and r.title and clean_title(r.title) == own[0]))]


def _effective(text: str, sentence: tuple[int, int]) -> int:
    """The date 自…起 names in the sentence or the one before (0: none)."""
    lo = sentence_at(text, max(0, sentence[0] - 2), max(0, sentence[0] - 1))[0] if sentence[0] else 0
    m = _EFFECTIVE.search(ascii_digits(text[lo:sentence[1]]))  # 自２０２０年… as 自2020年…
    return int(m.group("y")) * 10000 + int(m.group("m")) * 100 + int(m.group("d")) if m else 0


def _statements(text: str, refs: list[Reference]) -> None:
    """Set each reference's sentence, and the kind of those a validity statement targets."""
    groups: dict[tuple[int, int], list[Reference]] = {}
    for r in refs:
        r.sentence = sentence_at(text, r.start, r.end)
        groups.setdefault(r.sentence, []).append(r)
    for sentence, inside in groups.items():
        _statement(text, sentence, inside)


def _statement(text: str, sentence: tuple[int, int], inside: list[Reference]) -> None:
    s, e = sentence
    masked = list(text[s:e])
    for r in inside:
        masked[r.start - s:r.end - s] = "＿" * (r.end - r.start)
    flat = "".join(masked)
    for kind, verb in _VERBS:
        found = [m for m in verb.finditer(flat) if not _PLAN.search(flat[:m.start()])]
        if not found:
            continue
        targets = [r for r in inside if not r.basis and not (r.title is None and r.docno is None)]
        date = _effective(text, sentence)
        for r in targets:
            r.kind, r.date = kind, date
        return
