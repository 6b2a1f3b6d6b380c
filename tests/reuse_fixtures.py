"""A corpus with planted shared passages (used by the reuse tests and the browser test of its page).

The shipped corpus/*.txt plus two plants: a paragraph of 常州's 2020 review copied into Shanghai's 2024
meeting news with the place name and two numbers changed, and a 泰州 summary written from the anonymised
template's wording.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS, SEED_FILES

from indexer.index.importer import import_paths

SOURCE = ("根据省委统战部统一部署,做好香港地区专项工作,引导支持政协香港委员、常州旅港同乡社团成员在重要时点主动发声,"
          "维护国家主权安全和发展利益。完成第十三期唐荆川爱国兴学奖助金、唐君远荆川优秀学子和唐黼园优秀教师奖励基金发放,"
          "新增100万元")
PLANTED = SOURCE.replace("常州", "乌鲁木齐").replace("十三期", "十五期").replace("100万元", "250万元")
TEMPLATE_REUSE = (
    "泰州市委统战部2021年工作总结\n"
    "今年以来，泰州市深入贯彻落实全省统战部长会议精神，紧紧围绕市委“强富美高”目标要求，努力实现人民满意的高质量发展，"
    "大力弘扬新时代实干作风，持续深化“活力统战”品牌，唱好“四部曲”，推动各领域统战工作取得新成效。\n"
    "一、今年的主要工作\n"
    "针对我市统一战线领域宽、覆盖面广的特点，我们积极搭建聚智聚力聚才三个平台，让统战成员不仅能献计更能出力，"
    "切实提升统战工作的凝聚力、吸引力、贡献率。全年召开党外人士座谈会十二次，走访民营企业八十余家。\n"
    "泰州市委统战部\n2021年12月20日\n")
RECEIVER, ORIGIN = SEED_FILES["001"], SEED_FILES["002"]
TEMPLATE = SEED_FILES["003"]


def doc_id(name: str) -> str:
    return f"planted/{name}"


def build_planted(base: Path) -> tuple[Path, Path]:
    """Write the planted corpus under ``base`` and import it; returns (index, folder)."""
    folder = base / "planted"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    lines = (folder / RECEIVER).read_text(encoding="utf-8").split("\n")
    lines.insert(4, PLANTED)
    (folder / RECEIVER).write_text("\n".join(lines), encoding="utf-8")
    (folder / "taizhou_2021_summary.txt").write_text(TEMPLATE_REUSE, encoding="utf-8")
    import_paths([folder], base / "index", procs=2)
    return base / "index", folder
