"""A corpus of policy documents with known relations, written by the tests (tests/test_relations*.py).

Titles, dates, issuers and 发文字号 are supplied as metadata with ``override`` (the corpus's truth wins over
inference), numbers in every bracket style people use (〔〕 [] （） () ［］ 【】, with spaces). What they hold:

* 国发〔2014〕45号 (GWY) is cited by number by HU15 and SU22 (written 国发 〔2014〕 45 号), by title by HU20; a
  copy of it (GWY_COPY, identical text) is one document;
* HU20 abolishes HU15 by number (同时废止, effective 2020-01-01); HU21 amends HU20 (进行了修订);
* two versions of 《江苏省统一战线工作实施办法》: SU16 (2016) and SU22 (2022). SU19 (2019) says the title 不再执行:
  that marks SU16, never the later SU22, which SU24 abolishes by number (决定废止…); SU22 itself abolishes 原《…》
  (the version before it: SU16 again, whose earliest abolition, SU19's, decides); SU21 cites SU16 by title and
  by a bare number, and names a plan (抓紧修订…), which is no statement;
* SU21 and SU23 form a series (工作要点, two years); DRAFT and FINAL a draft and its final text;
* XINXI cites 统办发〔2019〕12号, which is not indexed (SU21 too, as 统办发(2019)12号): it stays unresolved;
* KJ and JK: issuers 科 技 部 (letter-spaced) and 科技部、教育部 (joint).

:func:`brute_force` finds who cites whom by plain string search over the stored texts — every bracket spelling
of a number, 《exact title》 of the latest earlier document with it — for the "cited by" counts to be checked
against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from indexer.index.importer import import_paths

COLLECTION = "rel"


@dataclass(frozen=True)
class Doc:
    key: str
    name: str
    title: str
    date: str
    issuer: str
    docno: str | None
    body: str

    @property
    def doc_id(self) -> str:
        return f"{COLLECTION}/{self.name}"

    def text(self) -> str:
        lines = [self.title] + ([self.docno] if self.docno else []) + [self.body, self.issuer, self.date]
        return "\n".join(lines) + "\n"


_FILL = "各地要坚持大团结大联合，把统一战线工作摆在全局工作的重要位置，健全工作机制，压实工作责任。"
_DRAFT = ("一、总体要求。坚持党对民营经济统战工作的全面领导，促进非公有制经济健康发展和非公有制经济人士健康成长。\n"
          "二、主要任务。加强思想政治引领，每年至少开展两次集中学习活动，引导民营经济人士坚定发展信心。\n"
          "三、工作机制。建立联席会议制度，由统战部牵头，工商联、发展改革委等部门参加。\n"
          "四、保障措施。各级统战部门要加强督促检查，确保各项任务落到实处。")
_FINAL = ("一、总体要求。坚持党对民营经济统战工作的全面领导，促进非公有制经济健康发展和非公有制经济人士健康成长。\n"
          "二、主要任务。加强思想政治引领，每年至少开展三次集中学习活动，引导民营经济人士坚定发展信心。\n"
          "三、工作机制。建立联席会议制度，由统战部牵头，工商联、发展改革委、财政等部门参加。\n"
          "四、经费保障。所需经费列入部门预算。\n"
          "五、保障措施。各级统战部门要加强督促检查，确保各项任务落到实处。")

DOCS = [
    Doc("GWY", "gwy_2014_45.txt", "国务院关于加强统一战线工作的意见", "2014-06-01", "国务院", "国发〔2014〕45号",
        f"各省、自治区、直辖市人民政府：\n{_FILL}\n现就加强统一战线工作提出如下意见。"),
    Doc("HU15", "hu_2015_3.txt", "关于印发《上海市统一战线工作暂行办法》的通知", "2015-03-01", "中共上海市委统战部",
        "沪统发[2015]3号",
        f"各区委统战部：\n根据《国务院关于加强统一战线工作的意见》（国发〔2014〕45号）精神，制定本办法。\n{_FILL}"),
    Doc("HU20", "hu_2020_1.txt", "关于印发《上海市统一战线工作办法》的通知", "2020-01-05",
        "中共上海市委统战部、上海市民族和宗教事务局", "沪统发（2020）1号",
        f"各区委统战部：\n为贯彻《国务院关于加强统一战线工作的意见》，依据《中华人民共和国宪法》，制定本办法。\n{_FILL}\n"
        "本办法自2020年1月1日起施行，《关于印发〈上海市统一战线工作暂行办法〉的通知》（沪统发〔2015〕3号）同时废止。"),
    Doc("HU21", "hu_2021_6.txt", "关于修订上海市统一战线工作办法的通知", "2021-06-01", "中共上海市委统战部",
        "沪统发〔2021〕6号",
        f"各区委统战部：\n{_FILL}\n市委统战部对《关于印发〈上海市统一战线工作办法〉的通知》（沪统发〔2020〕1号）进行了修订，"
        "请遵照执行。"),
    Doc("SU16", "su_2016_8.txt", "江苏省统一战线工作实施办法", "2016-05-01", "中共江苏省委统战部", "苏统发(2016)8号",
        f"第一条 为做好新时代统一战线工作，制定本办法。\n{_FILL}\n第二条 本办法自印发之日起施行。"),
    Doc("SU19", "su_2019_2.txt", "关于调整统战工作有关规定的通知", "2019-07-01", "中共江苏省委统战部", "苏统发［2019］2号",
        f"各设区市委统战部：\n{_FILL}\n自本通知印发之日起，《江苏省统一战线工作实施办法》不再执行。"),
    Doc("SU21", "su_2021_plan.txt", "2021年江苏统战工作要点", "2021-02-01", "中共江苏省委统战部", None,
        f"一、继续执行《江苏省统一战线工作实施办法》，按照苏统发(2016)8号文件要求抓好落实。\n{_FILL}\n"
        "二、将抓紧修订《江苏省统一战线工作实施办法》。\n三、做好统办发(2019)12号文件规定的信息报送。"),
    Doc("SU22", "su_2022_5.txt", "江苏省统一战线工作实施办法", "2022-03-01", "中共江苏省委统战部", "苏统发【2022】5号",
        f"第一条 根据《国务院关于加强统一战线工作的意见》（国发 〔2014〕 45 号），制定本办法。\n{_FILL}\n"
        "第二条 本办法自2022年3月1日起施行，原《江苏省统一战线工作实施办法》同时废止。"),
    Doc("SU23", "su_2023_plan.txt", "2023年江苏统战工作要点", "2023-02-01", "中共江苏省委统战部", None,
        f"一、根据中共江苏省委办公厅关于加强新时代统战工作的通知精神，推进各项工作。\n{_FILL}"),
    Doc("SU24", "su_2024_1.txt", "关于废止部分统战工作文件的决定", "2024-01-10", "中共江苏省委统战部", "苏统发〔2024〕1号",
        f"各设区市委统战部：\n{_FILL}\n经研究，决定废止《江苏省统一战线工作实施办法》（苏统发〔2022〕5号）。"),
    Doc("DRAFT", "my_2023_draft.txt", "关于加强新时代民营经济统战工作的意见（征求意见稿）", "2023-05-01", "中共江苏省委统战部",
        None, _DRAFT),
    Doc("FINAL", "my_2023_final.txt", "关于加强新时代民营经济统战工作的意见", "2023-09-01", "中共江苏省委统战部",
        "苏统发〔2023〕9号", _FINAL),
    Doc("XINXI", "xinxi_2020.txt", "关于加强统战信息工作的通知", "2020-09-01", "中共上海市委统战部", "沪统发〔2020〕9号",
        f"各区委统战部：\n按照《关于做好2019年统战信息工作的通知》（统办发〔2019〕12号）要求，{_FILL}"),
    Doc("KJ", "kj_2022.txt", "关于推动科技界统战工作的通知", "2022-04-01", "科 技 部", "国科发〔2022〕7号", _FILL),
    Doc("JK", "jk_2022.txt", "关于加强高校和科研院所统战工作的通知", "2022-06-01", "科技部、教育部", "国科发〔2022〕9号",
        f"{_FILL}\n请结合《关于推动科技界统战工作的通知》（国科发〔2022〕7号）一并落实。"),
]
COPY = "gwy_2014_45_copy.txt"  # GWY's text again: one document with two sources
BY_KEY = {d.key: d for d in DOCS}


def build(base: Path, target: Path | str | None = None) -> Path | str:
    """Write the corpus under ``base`` and import it into ``target`` (default ``base/index``); returns it."""
    folder = base / COLLECTION
    folder.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, dict[str, str]] = {}
    for d in DOCS:
        (folder / d.name).write_text(d.text(), encoding="utf-8")
        overrides[d.name] = {"title": d.title, "date": d.date, "issuer": d.issuer, "region": "",
                             "doc_number": d.docno or "", "override": "yes"}
    (folder / COPY).write_text(BY_KEY["GWY"].text(), encoding="utf-8")
    target = base / "index" if target is None else target
    import_paths([folder], target, procs=1, overrides=overrides)
    return target


_BRACKETS = ("〔〕", "[]", "()", "（）", "［］", "【】")


def _spellings(docno: str) -> list[str]:
    m = re.match(r"^(.+?)[〔\[(（［【](\d{4})[〕\])）］】](\d+)号$", docno)
    assert m, docno
    return [f"{m.group(1)}{a}{m.group(2)}{b}{m.group(3)}号" for a, b in _BRACKETS]


def brute_force(texts: dict[str, str]) -> set[tuple[str, str]]:
    """(citing key, cited key) pairs found by string search in the displayed texts ``texts`` (by key): a number
    in any bracket spelling, or 《title》 (inner 《》 written 〈〉) of the latest document with that title dated
    no later than the citing one. A document never cites itself."""
    pairs: set[tuple[str, str]] = set()
    for y, text in texts.items():
        flat = re.sub(r"\s+", "", text)
        cite_y = BY_KEY[y]
        for x in DOCS:
            if x.key == y:
                continue
            if x.docno and any(s in flat for s in _spellings(x.docno)):
                pairs.add((y, x.key))
        for title in {d.title for d in DOCS}:
            if "《" + title.replace("《", "〈").replace("》", "〉") + "》" not in flat:
                continue
            earlier = [d for d in DOCS if d.title == title and d.key != y and d.date <= cite_y.date]
            if earlier:
                pairs.add((y, max(earlier, key=lambda d: d.date).key))
    return pairs
