"""Years a reader gives an undated text, by class (issue 21, third round), each with variants the rules were not
tuned on: a congress report opening after its salutation, a report to a congress named without its session,
a span counted from a stated year or session to now, a review of a five-year plan's period, and a plan dated
by the period its title names. Each is year-precision and marked inferred; none takes a plan target."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.implied import implied_year, plan_start, title_year
from indexer.extract.pipeline import extract_file

PROSE = "我们要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，推动高质量发展取得新的成效。"


def _year(lines: list[str], title: str | None = None) -> int | None:
    found = implied_year(lines, title, None)
    return found[0] if found else None


@pytest.mark.parametrize(("opening", "year"), [
    (["同志们！", "中国共产党第九次全国代表大会，将是一次在我党历史上有深远影响的代表大会。"], 1969),
    (["同志们：", "党的第十二次全国代表大会，现在开幕了。"], 1982),
    (["同志们，", "中国共产党第十六次全国代表大会，是在…召开的。"], 2002),
])
def test_a_congress_report_opening_after_its_salutation(opening: list[str], year: int) -> None:
    assert _year(opening + [PROSE]) == year


@pytest.mark.parametrize(("line", "year"), [
    ("根据中共中央的决定，我代表国务院，向第四届全国人民代表大会作政府工作报告。", 1975),  # an irregular congress
    ("我代表国务院，向第三届全国人民代表大会作政府工作报告。", 1964),
    ("现在，我代表国务院向第六届全国人民代表大会作政府工作报告。", 1983),
])
def test_a_report_to_a_congress_named_without_its_session(line: str, year: int) -> None:
    assert _year(["各位代表：", line, PROSE]) == year


@pytest.mark.parametrize(("lines", "year"), [
    (["一、过去五年工作回顾", "第十一届全国人民代表大会第一次会议以来的五年，是我国发展进程中极不平凡的五年。"], 2013),
    (["本届政府从1 9 9 3 年3 月就职，到现在已经五年了，任期即将结束。"], 1998),
    (["党的十八大以来的十年，是极不寻常、极不平凡的十年。"], 2022),
    (["二〇一二年以来的五年，我们攻坚克难。", "1978年以来的40年，我们取得了巨大成就。"], 2018),
    (["我们的目标是到2012年以来的十年间翻一番。", "计划到2030年以来的五年，全面完成。"], None),
])
def test_a_span_counted_from_a_stated_year_or_session(lines: list[str], year: int | None) -> None:
    assert _year(["各位代表：", *lines, PROSE]) == year


@pytest.mark.parametrize(("heading", "year"), [
    ("一、“十一五”时期国民经济和社会发展的回顾", 2011),
    ("一、“九五”时期国民经济和社会发展的回顾", 2001),
    ("一、“六五”计划执行情况的回顾", 1986),
    ("（一）\"十二五\"期间工作回顾", 2016),
    ("一、十五年来的工作回顾", None),  # fifteen years, not the tenth plan
])
def test_a_review_of_a_five_year_plans_period(heading: str, year: int | None) -> None:
    assert _year(["各位代表：", "现在，我代表国务院向大会作政府工作报告，请予审议。", heading, PROSE]) == year


@pytest.mark.parametrize(("title", "year"), [
    ("示例省推动智能传感器产业发展行动计划（2021-2023年）", 2021),
    ("示例省服务业数字化转型行动方案（2021—2023）", 2021),
    ("智慧健康养老产业发展行动计划（2021-2025 年）（征求意见稿）", 2021),
    ("示例省“十四五”教育事业发展规划", 2021),
    ("“十三五”示例科技创新规划", 2016),
    ("关于印发《示例规划（2016-2020年）》的通知", None),  # the period of a plan the notice issues
    ("关于贯彻落实《“十四五”示例发展规划》的通知", None),
])
def test_a_plan_is_dated_by_the_period_its_title_names(title: str, year: int | None) -> None:
    assert title_year(title) == year


def test_five_year_plans_start_where_history_puts_them() -> None:
    assert [plan_start(n) for n in ("一", "二", "三", "六", "十", "十一", "十四")] == [
        1953, 1958, 1966, 1981, 2001, 2006, 2021]


def test_an_implied_year_is_marked_and_shown_as_such(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("示例省“十四五”科技创新规划\n为深入实施创新驱动发展战略，根据《示例省国民经济和社会发展第十四个五年规划和"
                    "2035年远景目标纲要》，制定本规划。\n一、发展基础\n" + PROSE + "\n", encoding="utf-8")
    doc = extract_file(path).documents[0]
    assert (doc.date, doc.date_precision, doc.date_inferred) == ("2021", "year", True)
    assert doc.date_source == "示例省“十四五”科技创新规划"
