"""The query language: parse a user's query into a small tree, never raising on bad syntax.

    两个健康 民营经济            keyword search, ranked: each term's jieba words together; terms side by side
                                match when all but at most one are present (A AND B requires both)
    "两个健康" or “两个健康”      exact wording (any length, from one character up)
    A OR B, A | B               either
    NOT A, -A                   without
    ( … )                       grouping
    title:统战  province:上海  city:常州  doctype:通知  source:新华社  year:2020  year:2020..2022
    issuer:科技部  docno:国发〔2014〕45号  status:已废止   relations (indexer.relations); a bare 发文字号 finds
                                the document with that number and those that write it, whatever its brackets

In exact mode a query without syntax is one phrase (white space is ignored anyway); bare terms inside a query
with syntax are phrases. Chinese quotation marks (“ ” 「 」 『 』) are characters of the wording there, as they are
of the documents (坚持“四个注重”, pasted from a text, is that wording, marks and all); only a pair around the whole
query delimits it, and only ASCII ``"`` and the operators are syntax. A bare 发文字号 is the wording too (the
number search is keyword mode's). Malformed syntax (unbalanced quotes or parentheses, a dangling OR) degrades
to a literal search of the text with the syntax characters removed: :func:`parse` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.relations.docno import is_docno, spellings

FILTER_FIELDS = ("province", "city", "doctype", "source", "collection", "year", "issuer", "docno", "status")
TEXT_FIELDS = ("title",)
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
#: A 发文字号 is one token whatever its brackets: 国发（2014）45号, docno:国发 (2014) 45 号 (indexer.relations.docno).
_DOCNO_TOKEN = (r"(?:docno:\s*)?[\u4e00-\u9fff]{1,16}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]"
                r"\s*第?\s*\d{1,5}\s*号")
#: A field with a quoted value is one token: title:"工作 总结", issuer:“中共中央统战部” (spaces kept inside).
_FIELD_QUOTED = r'(?:{}):(?:"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』)'.format("|".join(FILTER_FIELDS + TEXT_FIELDS))
#: White space, a bracket, or a phrase in quotation marks (its closing mark may be missing).
_PUNCTUATION = r'|\s+|[()（）]|"[^"]*"?|“[^”]*”?|「[^」]*」?|『[^』]*』?'
_TOKEN = re.compile(_DOCNO_TOKEN + "|" + _FIELD_QUOTED + _PUNCTUATION + r'|[^\s()（）"“「『]+')
#: Exact mode's tokens: a quoted token opens with its mark; a Chinese mark inside a run of text is part of it.
_EXACT_TOKEN = re.compile(_FIELD_QUOTED + _PUNCTUATION + r'|[^\s()（）"]+')


@dataclass(frozen=True)
class Phrase:
    """Exact wording."""

    text: str


@dataclass(frozen=True)
class Words:
    """Keyword search: every jieba word of ``text`` is required (in ``field``); or, when ``also`` lists
    equivalents of the term (synonyms and abbreviations, :mod:`indexer.search.synonyms`), every word of one
    of them."""

    text: str
    field: str = "words"
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filter:
    """A facet condition: field equals value, or year within [low, high]."""

    field: str
    value: str
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class And:
    """All items (``soft``: keyword terms written side by side — all of them but at most one)."""

    items: tuple[Node, ...]
    soft: bool = False


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Phrase | Words | Filter | And | Or | Not


class QuerySyntaxError(ValueError):
    """Raised inside the parser; :func:`parse` turns it into a literal search."""


class QueryTooComplex(ValueError):
    """The query exceeds a limit (terms, nesting); the message says which. Shown to the user as a 400."""


#: Limits that bound a query's cost: nesting of parentheses and NOT, and the number of terms (words,
#: phrases, fields) it holds, OR branches included.
MAX_DEPTH = 8
MAX_TERMS = 32


def _lex(query: str, exact: bool = False) -> list[str]:
    return [t for t in (_EXACT_TOKEN if exact else _TOKEN).findall(query) if t.strip()]


class _Parser:
    def __init__(self, tokens: list[str], exact: bool) -> None:
        self.tokens = tokens
        self.i = 0
        self.exact = exact
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryTooComplex(f"the query nests parentheses or NOT more than {MAX_DEPTH} deep")

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError(f"unexpected {self.peek()!r}")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek() in ("OR", "|", "or"):
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items: list[Node] = []
        explicit = False
        while self.peek() not in (None, ")", "）", "OR", "|", "or"):
            if self.peek() == "AND":
                self.take()
                explicit = True
                continue
            items.append(self.unary())
        if not items:
            raise QuerySyntaxError("empty expression")
        return items[0] if len(items) == 1 else And(tuple(items), soft=not explicit and _all_keywords(items))

    def unary(self) -> Node:
        tok = self.peek()
        if tok == "NOT":
            self.take()
            self.deeper()
            node: Node = Not(self.unary())
            self.depth -= 1
            return node
        if tok and tok.startswith("-") and len(tok) > 1:
            self.tokens[self.i] = tok[1:]
            self.deeper()
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok in ("(", "（"):
            self.deeper()
            node = self.or_expr()
            if self.peek() not in (")", "）"):
                raise QuerySyntaxError("unbalanced parenthesis")
            self.take()
            self.depth -= 1
            return node
        if tok in (")", "）", "-"):
            raise QuerySyntaxError(f"unexpected {tok!r}")
        if tok[0] in _QUOTES:
            if len(tok) < 2 or tok[-1] != _QUOTES[tok[0]]:
                raise QuerySyntaxError("unbalanced quote")
            inner = tok[1:-1].strip()
            if not inner:
                raise QuerySyntaxError("empty phrase")
            return Phrase(inner)
        field, sep, value = tok.partition(":")
        if sep and field in FILTER_FIELDS + TEXT_FIELDS:
            return _field_node(field, value)
        if self.exact:
            return Phrase(tok)
        if is_docno(tok):
            return docno_node(tok)
        return Words(tok)


def _field_node(field: str, value: str) -> Node:
    value = value.strip()
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == _QUOTES[value[0]]:
        value = value[1:-1].strip()
    value = value.strip('"“”')
    if not value:
        raise QuerySyntaxError(f"{field}: needs a value")
    if field == "title":
        return Words(value, field="title")
    if field == "year":
        m = re.fullmatch(r"(\d{4})?\s*(?:\.\.|-|～|~|至)?\s*(\d{4})?", value)
        if not m or not (m.group(1) or m.group(2)):
            raise QuerySyntaxError("year: needs YYYY or YYYY..YYYY")
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else (low if ".." not in value and "-" not in value else None)
        if low is not None and high is not None and low > high:  # year:2020..2010 means the years between
            low, high = high, low
        return Filter("year", value, low, high)
    return Filter(field, value)


def docno_node(text: str) -> Node:
    """A bare 发文字号: the document that has it, and the documents that write it, in any bracket style."""
    return Or((Filter("docno", text.strip()), *(Phrase(s) for s in spellings(text))))


_SYNTAX = re.compile(r'["“”「」『』()（）]|(?<!\S)(OR|AND|NOT)(?!\S)|(?<!\S)-|\|')


_EXACT_SYNTAX = re.compile(r'"|(?<!\S)(OR|AND|NOT)(?!\S)')


def has_syntax(query: str, exact: bool = False) -> bool:
    """Whether the query uses an operator, quote, parenthesis or field. In exact mode only ASCII quotes,
    OR/AND/NOT, fields and a phrase in quotation marks standing apart (“两个健康” “民营经济”) count:
    parentheses, hyphens and quotation marks inside a run of text are ordinary characters of Chinese wording
    (（试行）, 2018-2035, 坚持“四个注重”)."""
    fields = re.search(r"(?<!\S)({}):".format("|".join(FILTER_FIELDS + TEXT_FIELDS)), query)
    chunks = query.split() if exact else []
    if len(chunks) > 1 and any(_wrapped(chunk) is not None for chunk in chunks):
        return True
    return bool((_EXACT_SYNTAX if exact else _SYNTAX).search(query) or fields)


def literal(query: str, exact: bool) -> Node | None:
    """The query as plain text: syntax characters removed (in exact mode, its own: see :func:`has_syntax`)."""
    text = " ".join((_EXACT_SYNTAX if exact else _SYNTAX).sub(" ", query).split())
    if exact:  # marks and brackets standing apart were syntax; a phrase in marks is its wording
        chunks = [chunk for chunk in text.split() if chunk not in "()（）" and chunk not in _QUOTES.values()]
        text = " ".join(inner if (inner := _wrapped(chunk)) is not None else chunk for chunk in chunks)
    if not text:
        return None
    if exact:
        return Phrase(text)
    parts = text.split()
    return Words(parts[0]) if len(parts) == 1 else And(tuple(Words(p) for p in parts), soft=True)


def _all_keywords(items: list[Node]) -> bool:
    return all(isinstance(i, Words) and i.field == "words" for i in items)


def parse(query: str, exact: bool = False) -> tuple[Node | None, bool]:
    """Parse ``query``; returns ``(tree, degraded)`` where ``degraded`` says the syntax was malformed and
    the query is searched literally. ``tree`` is None for an empty query."""
    query = query.strip()
    if not query:
        return None, False
    if exact:
        inner = _wrapped(query)
        if inner is not None and not has_syntax(inner, exact=True):
            return (Phrase(inner), False) if inner else (None, False)
        if not has_syntax(query, exact=True):
            return Phrase(query), False
    elif is_docno(query):  # the search box recognises a bare 发文字号
        return docno_node(query), False
    tree: Node | None
    try:
        tree, degraded = _Parser(_lex(query, exact), exact).parse(), False
    except (QuerySyntaxError, IndexError):
        tree, degraded = _repaired(query, exact), True
    terms = count_terms(tree)
    if terms > MAX_TERMS:
        raise QueryTooComplex(f"the query has {terms} terms; at most {MAX_TERMS} are searched at once")
    return tree, degraded


def _repaired(query: str, exact: bool) -> Node | None:
    """A malformed query searched as its well-formed part: quotation marks that pair with none are dropped,
    a bracket that pairs with none keeps its group (closed at the end, or opened at the start:
    ``(两个健康 OR 统战`` is still 两个健康 OR 统战) or else is dropped, and the rest parsed; where that fails
    too, the query as plain text (:func:`literal`)."""
    for mended in (_brackets_closed(query, exact), _unpaired_dropped(query, exact)):
        if mended != query and mended.strip():
            try:
                return _Parser(_lex(mended, exact), exact).parse()
            except (QuerySyntaxError, IndexError, QueryTooComplex):  # a closed group may nest too deep
                pass
    return literal(query, exact)


def _brackets_closed(query: str, exact: bool) -> str:
    """``query`` without its unpaired quotation marks and with each unpaired bracket's group kept: an opening one
    closed at the query's end, a closing one opened at its start. ``province:山东 (两个健康 OR 统战`` is
    province:山东 AND (两个健康 OR 统战), not (province:山东 两个健康) OR 统战, which finds 统战 anywhere."""
    brackets = _unpaired(query, "(（", ")）")
    opened = sum(1 for i in brackets if query[i] in "(（")
    kept = _unpaired_dropped(query, exact, brackets=False)
    return "(" * (len(brackets) - opened) + " " + kept + " " + ")" * opened if brackets else kept


def _unpaired_dropped(query: str, exact: bool, brackets: bool = True) -> str:
    """``query`` without the parentheses and quotation marks that pair with none (ASCII quotes pair in turn:
    of an odd number the last is dropped). In exact mode a Chinese mark inside a run of text is a character
    of the wording (:func:`has_syntax`): only one opening or closing a run is dropped."""
    drop = _unpaired(query, "(（", ")）") if brackets else set()
    quotes = [i for i, ch in enumerate(query) if ch == '"']
    if len(quotes) % 2:
        drop.add(quotes[-1])
    for open_, close in _QUOTES.items():
        if open_ != close:
            marks = _unpaired(query, open_, close)
            if exact:
                marks = {i for i in marks if (query[i] == open_ and (i == 0 or query[i - 1].isspace()))
                         or (query[i] == close and (i + 1 == len(query) or query[i + 1].isspace()))}
            drop |= marks
    return "".join(ch for i, ch in enumerate(query) if i not in drop)


def _unpaired(query: str, opens: str, closes: str) -> set[int]:
    """Where the brackets of ``query`` (any of ``opens`` … any of ``closes``) pair with none."""
    drop: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(query):
        if ch in opens:
            opened.append(i)
        elif ch in closes:
            if opened:
                opened.pop()
            else:
                drop.add(i)
    return drop | set(opened)


def _wrapped(query: str) -> str | None:
    """The text inside one pair of quotation marks around the whole query (“两个健康”), else None."""
    open_, close = query[0], _QUOTES.get(query[0])
    if close is None or len(query) < 2 or query[-1] != close:
        return None
    depth = 0  # the marks inside pair up (“坚持“四个注重””), so the outer two are the pair around it all
    for ch in query[1:-1]:
        if ch == close and (depth == 0 or open_ == close):
            return None
        depth += (ch == open_) - (ch == close)
    return query[1:-1].strip() if depth == 0 else None


def count_terms(node: Node | None) -> int:
    """Leaves of the tree (words, phrases, field conditions)."""
    if node is None:
        return 0
    if isinstance(node, (And, Or)):
        return sum(count_terms(i) for i in node.items)
    if isinstance(node, Not):
        return count_terms(node.item)
    return 1


def positive_items(node: Node | None) -> list[Phrase | Words]:
    """The phrases and keyword terms a hit should be highlighted and ranked for (not under NOT), in order."""
    out: list[Phrase | Words] = []

    def walk(n: Node | None) -> None:
        if isinstance(n, Phrase) or (isinstance(n, Words) and n.field == "words"):
            out.append(n)
        elif isinstance(n, (And, Or)):
            for item in n.items:
                walk(item)

    walk(node)
    return out


def positive_terms(node: Node | None) -> tuple[list[str], list[str]]:
    """(phrases, keyword texts) that a hit should be highlighted and ranked for (not under NOT); a keyword
    term's equivalents (``Words.also``) are keyword texts too."""
    items = positive_items(node)
    return ([i.text for i in items if isinstance(i, Phrase)],
            [t for i in items if isinstance(i, Words) for t in (i.text, *i.also)])


def restrictions(query: str, exact: bool = False) -> str:
    """The field conditions (province:, year:, doctype:…) a query applies to all of it — the query itself, or an
    item of its top-level AND — as query text ('' when none): the documents its matches are a part of, which the
    research views' denominators and reference corpora are drawn from (人工智能 province:山东 → province:"山东")."""
    try:
        tree, _ = parse(query, exact=exact)
    except QueryTooComplex:
        return ""
    items = tree.items if isinstance(tree, And) else (tree,) if tree is not None else ()
    return " ".join(f"{f.field}:{_quoted(f.value)}" for f in items if isinstance(f, Filter))


def _quoted(value: str) -> str:
    """``value`` in quotation marks that it does not hold (issuer:“中共"中央” written back as issuer:"中共"中央"
    was cut at its inner mark, and the rest searched as words)."""
    for open_, close in _QUOTES.items():
        if close not in value:
            return open_ + value + close
    return '"' + value.replace('"', "") + '"'
