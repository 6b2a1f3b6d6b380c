"""The query language, table-driven: what each piece of syntax parses to, and the limits."""

from __future__ import annotations

import pytest

from indexer.search.query import (
    MAX_DEPTH,
    MAX_TERMS,
    And,
    Filter,
    Not,
    Or,
    Phrase,
    QueryTooComplex,
    Words,
    parse,
)


@pytest.mark.parametrize("query,exact,tree,degraded", [
    ("两个健康", False, Words("两个健康"), False),
    ('"两个健康"', False, Phrase("两个健康"), False),
    ("“两个健康”", False, Phrase("两个健康"), False),
    ("两个 健康", True, Phrase("两个 健康"), False),
    ("民营经济 营商环境", False, And((Words("民营经济"), Words("营商环境")), soft=True), False),
    ("民营经济 AND 营商环境", False, And((Words("民营经济"), Words("营商环境"))), False),
    ("A OR B", False, Or((Words("A"), Words("B"))), False),
    ("A | B", False, Or((Words("A"), Words("B"))), False),
    ("A -B", False, And((Words("A"), Not(Words("B")))), False),
    ("A NOT B", False, And((Words("A"), Not(Words("B")))), False),
    ("(A OR B) C", False, And((Or((Words("A"), Words("B"))), Words("C"))), False),
    ("（A OR B）", False, Or((Words("A"), Words("B"))), False),
    ("title:工作总结", False, Words("工作总结", field="title"), False),
    ("province:上海", False, Filter("province", "上海"), False),
    ('title:"工作总结"', False, Words("工作总结", field="title"), False),  # a quoted value, spaces kept inside
    ("issuer:“中共中央 统战部” 统一战线", False,
     And((Filter("issuer", "中共中央 统战部"), Words("统一战线"))), False),
    ('province:「上海」', False, Filter("province", "上海"), False),
    ("year:2020..2022", False, Filter("year", "2020..2022", 2020, 2022), False),
    ("year:2020", False, Filter("year", "2020", 2020, 2020), False),
    ("year:2020..2010", False, Filter("year", "2020..2010", 2010, 2020), False),  # written the other way round
    ("（试行）", True, Phrase("（试行）"), False),
    ("2018-2035", True, Phrase("2018-2035"), False),
    ('"两个健康', False, Words("两个健康"), True),
    ("A OR", False, Words("A"), True),
    ("", False, None, False),
    # exact mode: Chinese quotation marks are characters of the wording, as in the documents it is pasted from;
    # a pair around the whole query delimits it; ASCII quotes and the operators are the syntax
    ("坚持“四个注", True, Phrase("坚持“四个注"), False),
    ("统战“两个健康”", True, Phrase("统战“两个健康”"), False),
    ("“两个健康”和“三个有利”", True, Phrase("“两个健康”和“三个有利”"), False),
    ("订“", True, Phrase("订“"), False),
    ("“两个健康”", True, Phrase("两个健康"), False),
    ("「两个健康」", True, Phrase("两个健康"), False),
    ("“坚持“四个注重””", True, Phrase("坚持“四个注重”"), False),
    ('"坚持“四个注重”"', True, Phrase("坚持“四个注重”"), False),
    ("坚持“四个注重” OR 统战", True, Or((Phrase("坚持“四个注重”"), Phrase("统战"))), False),
    ("“两个健康” OR “民营经济”", True, Or((Phrase("两个健康"), Phrase("民营经济"))), False),
    ('"两个健康', True, Phrase("两个健康"), True),
    # phrases in marks standing apart are phrases, as in keyword mode (a Chinese keyboard types “ ”)
    ("“两个健康” “民营经济”", True, And((Phrase("两个健康"), Phrase("民营经济"))), False),
    ("“两个健康” -民营", True, And((Phrase("两个健康"), Not(Phrase("民营")))), False),
    ("「两个健康」 统战", True, And((Phrase("两个健康"), Phrase("统战"))), False),
    ("“两个健康” OR", True, Phrase("两个健康"), True),
    ("“坚持”四个“注重”", True, Phrase("“坚持”四个“注重”"), False),
    # a 发文字号 in exact mode is its wording; typed alone in keyword mode it is the number search
    ("示统发〔2023〕14号", True, Phrase("示统发〔2023〕14号"), False),
    # a malformed query is searched as its well-formed part: a bracket or mark that pairs with none is
    # dropped, the operators kept (the query is still said to be malformed)
    ("(两个健康 OR 统战", True, Or((Phrase("两个健康"), Phrase("统战"))), True),
    ('"两个健康 OR 统战', True, Or((Phrase("两个健康"), Phrase("统战"))), True),
    ("“两个健康 OR 统战", True, Or((Phrase("两个健康"), Phrase("统战"))), True),
    ("A OR B))", True, Or((Phrase("A"), Phrase("B"))), True),
    ('"两个健康"(', True, Phrase("两个健康"), True),
    ("（A OR B", False, Or((Words("A"), Words("B"))), True),
    ("“两个健康 OR 统战", False, Or((Words("两个健康"), Words("统战"))), True),
    ("((A OR B) C", False, And((Or((Words("A"), Words("B"))), Words("C"))), True),
    # an unpaired bracket keeps its group: the condition before it applies to the whole OR (dropping the
    # bracket made it (province:山东 两个健康) OR 统战, 统战 from every province)
    ("province:山东 (两个健康 OR 统战", False,
     And((Filter("province", "山东"), Or((Words("两个健康"), Words("统战"))))), True),
    ("A OR B) C", False, And((Or((Words("A"), Words("B"))), Words("C"))), True),
    ("A OR B" + ")" * 9, False, Or((Words("A"), Words("B"))), True),
])
def test_parse(query, exact, tree, degraded) -> None:
    assert parse(query, exact=exact) == (tree, degraded)


@pytest.mark.parametrize("query", ["(" * (MAX_DEPTH + 1) + "统战" + ")" * (MAX_DEPTH + 1), "(" * 10_000 + "统战",
                                   "NOT " * 50 + "统战", "-" * 300 + "统战",
                                   " OR ".join(f"词{i}" for i in range(MAX_TERMS + 1))])
def test_too_complex_queries_are_refused_not_recursed(query) -> None:
    with pytest.raises(QueryTooComplex):
        parse(query)


def test_limits_leave_room_for_real_queries() -> None:
    tree, _ = parse(" OR ".join(f"词{i}" for i in range(MAX_TERMS)) + "")
    assert isinstance(tree, Or) and len(tree.items) == MAX_TERMS
    assert parse("((A OR B) (C OR D)) -E")[0] is not None


@pytest.mark.parametrize("query", ['人工智能 issuer:“中共"中央”', "人工智能 province:山东 year:2020..2022",
                                   '人工智能 title:「工作"总结」 doctype:通知'])
def test_a_querys_own_conditions_are_written_back_as_the_same_filters(query) -> None:
    """The field conditions the research views keep as their denominators' filters parse to the very filters of the
    query (a value holding an ASCII quotation mark was cut there: issuer:"中共"中央" searched 中共 and 中央")."""
    from indexer.search.query import restrictions

    tree, _ = parse(query)
    assert isinstance(tree, And)
    filters = tuple(f for f in tree.items if isinstance(f, Filter))
    again, degraded = parse(restrictions(query))
    assert not degraded and (again.items if isinstance(again, And) else (again,)) == filters
