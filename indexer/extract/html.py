"""HTML page → page metadata + the lines of the article body, without the site around it.

1. Metadata is read from the whole page first: ``<meta>`` tags, gov.cn's metadata table (发文机关, 发文字号,
   发布日期, 标题), labelled lines anywhere on the page (发布时间：… 来源：…), the ``<h1>`` and ``<title>``.
2. Scripts, forms, navigation and elements whose id/class names a widget (share, print, related, footer…)
   are removed, unless they hold most of the page's text.
3. The body is the first government-CMS container that holds real text (``#UCAP-CONTENT``, ``.TRS_Editor``,
   ``#zoom``…); failing that, the element whose paragraphs hold the most Chinese text.
4. Inside the body, blocks made mostly of links (related-article lists) are removed; the rest becomes lines,
   one per block element. Line-level cleaning (chrome, spam) is :mod:`indexer.extract.cleaning`'s job.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning

from indexer.document import Removal
from indexer.extract import rules
from indexer.extract.metadata import parse_date, parse_meta_line

_BLOCKS = ["p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "blockquote", "pre", "ul", "ol", "dd", "dt", "center"]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜| - | — |－|--)\s*")
_DATE_META = ("pubdate", "publishdate", "article:published_time", "og:release_date", "publish_date",
              "firstpublishedtime", "dc.date", "date", "releasedate")
_TITLE_META = ("articletitle", "og:title", "title", "dc.title")
_SOURCE_META = ("contentsource", "source", "article:author_source")


@dataclass
class HtmlPage:
    """What :func:`extract_html` found."""

    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # date, written, source, issuer, doc_number
    lines: list[str] = field(default_factory=list)
    headings: set[str] = field(default_factory=set)  # the text of the body's <h2>…<h6> elements
    removed: list[Removal] = field(default_factory=list)


def _cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


@dataclass
class _Size:
    """Text measures of an element's whole subtree, computed once (reading them per element would make
    deeply nested markup quadratic)."""

    cjk: int = 0
    chars: int = 0
    links: int = 0


def _sizes(root: Tag) -> dict[int, _Size]:
    """id(element) → its subtree's measures: one pass, descendants before ancestors."""
    sizes: dict[int, _Size] = {}
    for node in reversed([root, *root.descendants]):
        parent = node.parent
        if isinstance(node, Tag):
            own = sizes.setdefault(id(node), _Size())
            if node.name == "a":
                own.links = own.chars
        elif isinstance(node, str) and not isinstance(node, Comment):
            text = node.strip()
            own = _Size(_cjk_len(text), len(text))
        else:
            continue
        if parent is not None and node is not root:
            up = sizes.setdefault(id(parent), _Size())
            up.cjk += own.cjk
            up.chars += own.chars
            up.links += own.links
    return sizes


def _dead(tag: Tag) -> bool:
    """Whether ``tag`` was decomposed (read from its own dict: bs4's ``decomposed`` property falls back to
    searching the subtree for a child tag of that name, which is quadratic on nested markup)."""
    return bool(tag.__dict__.get("_decomposed", False))


def _attr(tag: Tag, *names: str) -> str:
    """The first present attribute of ``names`` as one string (multi-valued attributes joined)."""
    for name in names:
        value = tag.get(name)
        if value:
            return value if isinstance(value, str) else " ".join(value)
    return ""


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = _attr(tag, "name", "property", "itemprop").strip().lower()
        value = _attr(tag, "content").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _govcn_table(soup: BeautifulSoup) -> dict[str, str]:
    """Label cells (发文机关：) and the cell after each, as on gov.cn policy pages.

    A cell's text is read from one pass over the page (:func:`_short_cell_texts`), not by ``get_text`` per
    cell: on nested tables each cell's text holds every inner cell's, so 20,000 nested cells took hours."""
    out: dict[str, str] = {}
    for td, label in _short_cell_texts(soup, _LABEL_CHARS):
        if not label.endswith(("：", ":")) or label.rstrip("：:") in out:
            continue
        nxt = td.find_next_sibling("td")
        if nxt is not None:
            out[label.rstrip("：:")] = nxt.get_text(" ", strip=True)
            if len(out) >= _MAX_LABELS:
                break
    return out


#: A label cell's text is this short (white space left out); a page has at most so many labels read.
_LABEL_CHARS = 8
_MAX_LABELS = 50
_TEXT_TYPES = (NavigableString, CData)


def _short_cell_texts(root: Tag, limit: int) -> list[tuple[Tag, str]]:
    """The ``<td>`` cells whose text without white space is at most ``limit`` characters, with that text, in
    document order: one pass, descendants before ancestors, each element's text kept only up to the limit
    (what ``get_text`` reads: strings and CDATA, not comments or scripts)."""
    texts: dict[int, str | None] = {}  # id(element) → its text so far (children come last to first), None: long
    found: list[tuple[Tag, str]] = []
    for node in reversed([root, *root.descendants]):
        if isinstance(node, Tag):
            own = texts.pop(id(node), "")
            if own is not None and node.name == "td":
                found.append((node, own))
        elif type(node) in _TEXT_TYPES:
            own = _WHITE.sub("", str(node))
            own = own if len(own) <= limit else None
        else:
            continue
        parent = node.parent
        if parent is None or node is root:
            continue
        key = id(parent)
        before = texts.get(key, "")
        if own is None or before is None:
            texts[key] = None
        else:
            joined = own + before
            texts[key] = joined if len(joined) <= limit else None
    found.reverse()
    return found


_WHITE = re.compile(r"\s+")


#: A label whose value stands in the next element (发布日期：).
_BARE_LABEL = re.compile(r"^[\u4e00-\u9fff\s]{2,8}[:：]$")
#: A byline's source label, before which a page states its date unlabelled (2021-08-17 | 来源：…).
_SOURCE_AFTER_STAMP = re.compile(r"(?:信息|文章|稿件)?来源\s*[:：]")
#: An unlabelled date, with its clock time if any; Xinhua's template sets the year apart from the month and day
#: (2021 09/ 07 10:54:21).
_STAMP = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.年]\s*|\s+)(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                    r"(?:\s*(\d{1,2}:\d{2}(?::\d{2})?))?")
_STAMP_REST = re.compile(r"[\s|｜/丨]*")
#: What no piece of a stamp holds: a letter other than 年月日.
_STAMP_PIECE = re.compile(r"[^\d\s年月日:：/|｜丨.-]")


def _stamp_date(text: str) -> str | None:
    """The day of a byline's unlabelled stamp in ``text``: a date with its clock time, or a date alone there."""
    for m in _STAMP.finditer(text):
        alone = _STAMP_REST.fullmatch(text[:m.start()] + text[m.end():])
        if m.group(4) or alone:
            return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    return None


def _byline_stamp(texts: list[str]) -> str | None:
    """The date a byline states unlabelled before its source label: on the label's line (2021年07月06日 08:37
    来源：…) or, where the label opens its line, on the line above (Xinhua's 2021 09/ 07 10:54:21 / 来源：新华网)."""
    for i, line in enumerate(texts):
        m = _SOURCE_AFTER_STAMP.search(line) if len(line) < 160 else None
        if m is None:
            continue
        before = line[:m.start()]
        if not before.strip():  # the stamp above, perhaps in pieces of markup of their own (2021 / 09 / 07 / 10:54)
            pieces: list[str] = []
            for above in reversed(texts[max(0, i - 6):i]):
                if pieces and (len(above) > 12 or _STAMP_PIECE.search(above)):
                    break
                pieces.insert(0, above)
            before = " ".join(pieces)
        date = _stamp_date(before)
        if date:
            return date
    return None


def _page_meta(soup: BeautifulSoup) -> tuple[str | None, dict[str, str]]:
    tags = _meta_tags(soup)
    table = _govcn_table(soup)
    meta: dict[str, str] = {}
    for key, label in (("issuer", "发文机关"), ("doc_number", "发文字号")):
        if table.get(label):
            meta[key] = table[label]
    date = parse_date(table.get("发布日期", ""))
    texts = [t for t in (ln.strip() for ln in soup.get_text("\n").splitlines()) if t]
    for i, line in enumerate(texts):
        if len(line) < 160 and rules.META_LABEL.search(line):
            if _BARE_LABEL.match(line) and i + 1 < len(texts):
                line += texts[i + 1]  # the label and its value in elements of their own (发布日期： / 2017-05-15)
            for key, value in parse_meta_line(line).items():
                meta.setdefault(key, value)
    if date:
        meta["date"] = date
    written = parse_date(table.get("成文日期", ""))
    if written:
        meta["written"] = written
    if "date" not in meta:
        for key in _DATE_META:
            if key in tags and parse_date(tags[key]):
                meta["date"] = parse_date(tags[key]) or ""
                break
    if "date" not in meta:
        stamp = _byline_stamp(texts)
        if stamp:
            meta["date"] = stamp
    if "source" not in meta:
        for key in _SOURCE_META:
            if tags.get(key):
                meta["source"] = re.sub(r"^(信息|文章)?来源\s*[:：]\s*", "", tags[key]).split()[0][:40]
                break
    return _title(soup, tags, table), meta


_LABEL_PREFIX = re.compile(r"^\s*[\[【［][^\]】］]{1,12}[\]】］]\s*(?=\S{8,})")


def _title(soup: BeautifulSoup, tags: dict[str, str], table: dict[str, str]) -> str | None:
    found = _raw_title(soup, tags, table)
    return _LABEL_PREFIX.sub("", found) if found else None


def _raw_title(soup: BeautifulSoup, tags: dict[str, str], table: dict[str, str]) -> str | None:
    if table.get("标题"):
        return table["标题"]
    head = " ".join(soup.title.get_text(" ", strip=True).split()) if soup.title else ""  # no-break spaces too
    head_parts = [p for p in _TITLE_SPLIT.split(head) if p]
    for h1 in soup.find_all(["h1", "h2"]):
        text = " ".join(h1.get_text(" ", strip=True).split())
        if _cjk_len(text) >= 4 and (not head or text[:8] in head or head[:8] in text):
            return text
    for key in _TITLE_META[:2]:
        if tags.get(key):
            return _TITLE_SPLIT.split(tags[key])[0]
    shown = _title_shown(soup, head)
    if shown:
        return shown
    if head_parts:
        return max(head_parts[:2], key=_cjk_len)
    return None


#: Where <title> joins the article's title to the site's name, on either side (a hyphen without spaces too).
_HEAD_JOIN = re.compile(r"\s*(?:[-_|｜—–－·]+)\s*")


def _title_shown(soup: BeautifulSoup, head: str) -> str | None:
    """The part of <title> before or after a join that the page also shows as an element's whole text: the
    article's title set in a plain <div> or <td>, under a <title> that may put the site's name first
    (新疆维吾尔自治区人大常委会-自治区人大常委会办公厅下发通知…). The longest such part, and never one shorter than
    the rest of <title> across its join: the site's name shown in a plain element of the banner is no title (it
    was taken where the article's title was not shown whole, a shorter site's name beside a longer title)."""
    sides = [(head[:m.start()].strip(), head[m.end():].strip()) for m in _HEAD_JOIN.finditer(head)]
    parts = {p for before, after in sides for p, other in ((before, after), (after, before))
             if _cjk_len(p) >= 6 and _cjk_len(p) >= _cjk_len(other)}
    if not parts:
        return None
    found = [text for text in (" ".join(str(s).split()) for s in soup.find_all(string=True)
                               if not isinstance(s, Comment) and s.parent is not None
                               and s.parent.name not in ("title", "a"))  # the site's name: a link home
             if text in parts]
    return max(found, key=len, default=None)


#: Sectioning elements that belong to the page where they stand in it, but to an article inside an ``<article>``.
_ARTICLE_PARTS = frozenset({"header", "footer", "aside"})


def _strip_chrome(soup: BeautifulSoup, removed: list[Removal]) -> None:
    for tag in soup.find_all([t for t in rules.DROP_TAGS if t != "form"]):
        if tag.name in _ARTICLE_PARTS and tag.find_parent("article") is not None:
            continue  # an article's own header (title, 发文字号), footer (落款, date) or aside: its text
        tag.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    sizes = _sizes(soup)
    total = max(1, sizes[id(soup)].cjk)
    # a form is a widget (search, login, poll) unless it holds most of the text: CMSs such as VSB (博达) and
    # ASP.NET WebForms wrap the article, or the whole page, in one
    for form in soup.find_all("form"):
        if not _dead(form) and sizes[id(form)].cjk <= 0.4 * total:
            form.decompose()
    for tag in soup.find_all(True):
        if _dead(tag) or not isinstance(tag, Tag) or tag.name in ("html", "body"):
            continue
        names = _attr(tag, "id") + " " + _attr(tag, "class")
        style = _attr(tag, "style").replace(" ", "").lower()
        hidden = "display:none" in style or tag.has_attr("hidden")
        if (names.strip() and rules.CHROME_CLASS.search(names)) or hidden:
            if sizes[id(tag)].cjk > 0.4 * total:
                continue
            text = tag.get_text(" ", strip=True)  # read once: the subtree goes with it
            if text:
                removed.append(Removal(text[:200], "site chrome (widget, navigation or related links)"))
            tag.decompose()


def _selected(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """The tags each of :data:`rules.BODY_SELECTORS` selects, in document order, found in one walk over the
    tree (the selectors are ``#id``, ``.class`` and element names, matched as CSS does: case-sensitive, a class
    among the attribute's white-space separated ones). A CSS engine walked the tree once per selector — 44
    walks, half a minute on a page of 5,000 table rows."""
    wanted = set(rules.BODY_SELECTORS)
    out: dict[str, list[Tag]] = {sel: [] for sel in rules.BODY_SELECTORS}
    for tag in soup.find_all(True):
        ident = tag.get("id")
        if isinstance(ident, str) and "#" + ident in wanted:
            out["#" + ident].append(tag)
        classes = tag.get("class")
        if classes:
            for c in dict.fromkeys(classes.split() if isinstance(classes, str) else classes):
                if "." + c in wanted:
                    out["." + c].append(tag)
        if tag.name in wanted:
            out[tag.name].append(tag)
    return out


def _container(soup: BeautifulSoup) -> Tag | None:
    sizes = _sizes(soup)
    selected = _selected(soup)
    for selector in rules.BODY_SELECTORS:
        found = selected[selector]
        best = max(found, key=lambda t: sizes[id(t)].cjk, default=None)
        if best is not None and sizes[id(best)].cjk >= 80:
            return best
    scores: dict[int, tuple[float, Tag]] = {}
    for p in soup.find_all(["p", "br", "font", "span"]):
        parent = p.parent
        if not isinstance(parent, Tag):
            continue
        prev = p.previous_sibling
        own = sizes[id(p)].cjk if p.name != "br" else _cjk_len(str(prev) if isinstance(prev, str) else "")
        for weight, node in ((1.0, parent), (0.5, parent.parent)):
            if isinstance(node, Tag):
                old = scores.get(id(node), (0.0, node))
                scores[id(node)] = (old[0] + weight * own, node)
    if not scores:
        return soup.body or soup
    return max(scores.values(), key=lambda s: s[0])[1]


def _drop_link_blocks(body: Tag, removed: list[Removal]) -> None:
    """Remove blocks made mostly of links. Blocks come parents first, so the measures taken before any
    removal are still exact when a block is looked at."""
    sizes = _sizes(body)
    link_counts: dict[int, int] = {}
    file_counts: dict[int, int] = {}
    for a in body.find_all("a"):
        to_file = bool(_FILE_LINK.search(_attr(a, "href")))
        for parent in _block_parents(a, body):
            link_counts[id(parent)] = link_counts.get(id(parent), 0) + 1
            file_counts[id(parent)] = file_counts.get(id(parent), 0) + to_file
    for block in body.find_all(["p", "li", "ul", "ol", "div", "table", "dl"]):
        size = sizes[id(block)]
        links = link_counts.get(id(block), 0)
        if _dead(block) or not size.chars or not links:
            continue
        if file_counts.get(id(block), 0) * 2 > links:  # the document's own attachments (附件：1.<a href=….docx>)
            continue
        if size.links >= 0.7 * size.chars and (links >= 2 or size.chars < 60):
            removed.append(Removal(block.get_text(" ", strip=True)[:200], "related links"))
            block.decompose()


#: A link to a file (an attachment of the document), not to another page.
_FILE_LINK = re.compile(r"\.(?:docx?|wps|pdf|ofd|xlsx?|et|zip|rar|7z)(?:[?#].*)?$", re.I)


def _block_parents(a: Tag, stop: Tag, limit: int = 6) -> list[Tag]:
    """The nearest few ancestors of a link (a link counts for the blocks just around it; bounded so that
    deep nesting stays linear)."""
    out: list[Tag] = []
    node = a.parent
    while node is not None and len(out) < limit:
        out.append(node)
        if node is stop:
            break
        node = node.parent
    return out


_BLOCK_SET = frozenset(_BLOCKS)
_CELLS = frozenset(("td", "th"))


def _lines(body: Tag) -> list[str]:
    """The body's text, one line per block element or ``<br>``; a table row's cells stay on its line (the
    markup's own line breaks between cells are layout, not text: an HTML table saved as .xls).

    One walk over the tree in document order, writing a line break where a block opens and closes and a space
    after each cell, instead of inserting those into the tree: each insertion costs time in proportion to the
    parent's children, which made a page of 15,000 paragraphs or table rows take minutes."""
    types = body.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    pieces: list[str] = []
    # (node, in a cell, leaving it): children are pushed in reverse so they come off in document order
    stack: list[tuple[object, bool, bool]] = [(body, False, False)]
    while stack:
        node, in_cell, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if not (type(node) in types if not isinstance(types, type) else type(node) is types):
                continue
            text = str(node)
            parent = node.parent
            if parent is not None and parent.name == "tr" and not text.strip():
                text = " "  # the markup's white space between a row's cells
            elif in_cell and "\n" in text and (parent is None or parent.name not in ("pre", "textarea")):
                text = text.replace("\r", " ").replace("\n", " ")
            pieces.append(text)
            continue
        if not isinstance(node, Tag):
            continue
        if leaving:
            if node.name in _BLOCK_SET:
                pieces.append("\n")
            if node.name in _CELLS:
                pieces.append(" ")
            continue
        if node.name == "br":
            pieces.append("\n")
            continue
        if node.name in _BLOCK_SET and node is not body:
            pieces.append("\n")
        stack.append((node, in_cell, True))
        inner = in_cell or (node.name in _CELLS and node is not body)
        stack.extend((child, inner, False) for child in reversed(node.contents))
    text = "".join(pieces)
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def extract_html(markup: str) -> HtmlPage:
    """Parse a page (see the module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "lxml")
    page = HtmlPage()
    page.title, page.meta = _page_meta(soup)
    _strip_chrome(soup, page.removed)
    body = _container(soup)
    if body is None:
        return page
    _drop_link_blocks(body, page.removed)
    page.headings = {" ".join(h.get_text(" ", strip=True).split())
                     for h in body.find_all(["h2", "h3", "h4", "h5", "h6"])}
    page.lines = _lines(body)
    return page
