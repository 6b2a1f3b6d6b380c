"""The literal shortcut of the spam patterns (indexer/extract/rules.SPAM_LITERALS) never hides a match: every
string a gated pattern matches — generated from the pattern itself — holds one of its literals, and the
gated search agrees with the pattern's own on lines that do and do not hold them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.extract import rules

GATED = list(rules.SPAM_LITERALS.items())


@pytest.mark.parametrize(("pattern", "literals"), GATED, ids=[p.pattern[:16] for p, _ in GATED])
def test_every_match_of_a_gated_pattern_holds_one_of_its_literals(pattern, literals) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        m = pattern.search(text)
        assert m is not None
        assert any(n in m.group(0) for n in literals), m.group(0)
        assert rules.holds_spam_literal(text), text  # the one scan for every pattern's literals sees it too

    check()


@pytest.mark.parametrize("line", [
    "扫描二维码关注公众号领取资料", "本文档来自网络，如有侵权请联系删除", "更多范文请访问第一范文网", "加微信：abc12345 领取",
    "资料下载请联系电话13800000000", "我们要坚持统一战线，做好网上统战工作。", "联系电话：0531-12345678",
    "1.全面贯彻落实党的二十大精神，加强公文写作培训。"])
def test_the_gated_search_agrees_with_the_pattern(line) -> None:
    for pattern, _ in GATED:
        assert (rules.spam_search(pattern, line) is None) == (pattern.search(line) is None), pattern.pattern[:30]
        if pattern.search(line):
            assert rules.holds_spam_literal(line)
    for pattern, _, _, gate in rules.SPAM_CHECKS:  # the gates spam_reason uses are the same literals
        assert gate is rules._LITERAL_GATES.get(pattern)
        if gate is not None and pattern.search(line):
            assert gate.search(line) is not None
