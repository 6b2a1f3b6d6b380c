"""A web page printed to PDF by a browser: its header and footer lines, and the title they state.

Staff save a notice from gov.cn or a ministry's site with Ctrl-P. Every page then carries the browser's lines
at its top and bottom edges, in the page's text layer (PDFium reads them after the page's content, OCR where
they stand):

* Chromium, Edge: the print date and time on the left and the page's ``<title>`` in the centre of the header
  (``2023/3/1 14:05 教育部关于…的通知_中国政府网``, ``3/1/23, 2:05 PM …``, ``2023/3/1 下午2:05 …``), the URL on the
  left and ``1/3`` on the right of the footer;
* Firefox: the ``<title>`` on the left and the URL on the right of the header, ``第 1 页，共 3 页`` (``1 of 3``,
  ``Page 1 of 3``) and the date and time in the footer.

:func:`strip_print_chrome` finds those lines among each page's edge lines — a line made of a print time stamp,
a URL and a page counter, with at most one other piece of text (the ``<title>``) — and removes them, but only
where the file is such a print: a time stamp or URL on a page's edge, and a page counter whose total is the
file's page count (or whose number is the page's) on its pages' edges, or a time-stamped or URL line on most
pages (page numbers alone are any document's). A URL or a date-and-time in a
document's own body is never touched. It returns the ``<title>`` the lines state.

:func:`title_from_page_title` reads the article's title off that ``<title>``: its part before (or after) the
site's name (``_中国政府网``, ``-教育部``, `` | 新华网``) that a line of the article repeats (a title the browser
cut short with … is matched by its beginning); the other parts name the site, and a line of the page that is
only the site's name (its banner) is never the title.
"""

from __future__ import annotations

import re
from collections import Counter

from indexer.document import Removal
from indexer.extract.structure import Line

REASON = "browser's print header/footer (print time, page title, URL, page number)"

#: Edge lines of a page examined at its top and at its bottom (PDFium puts the browser's lines after the
#: content, so a page's last lines are its header and footer there).
_EDGE = 3
_DATE = (r"(?:(?:19|20)\d{2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,2}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)?\d{2}"
         r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_CLOCK = r"(?:(?:上午|下午|晚上|凌晨|中午)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[AaPp]\.?\s*[Mm]\.?|上午|下午))?"
#: A print time stamp: a date with its clock time (a browser always prints both).
STAMP = re.compile(rf"{_DATE}\s*,?\s*{_CLOCK}")
#: A URL as a browser prints it (maybe cut short with …).
URL = re.compile(r"(?:https?|file|ftp)://\S+|www\.[A-Za-z0-9-]+\.\S+")
#: A page counter: 1/3, 第 1 页，共 3 页, 第1/3页, 1 of 3, Page 1 of 3.
COUNTER = re.compile(r"(?:第\s*(?P<a>\d{1,4})\s*页\s*[，,、/]?\s*共\s*(?P<b>\d{1,4})\s*页"
                     r"|第\s*(?P<c>\d{1,4})\s*/\s*(?P<d>\d{1,4})\s*页"
                     r"|(?:[Pp]age\s+)?(?P<e>\d{1,4})\s+of\s+(?P<f>\d{1,4})"
                     r"|(?<![\d/.:])(?P<g>\d{1,4})\s*/\s*(?P<h>\d{1,4})(?![\d/.:]))")
#: What separates a page title's parts (the article's title, the column, the site's name).
_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|(?<=[\u4e00-\u9fff）)])[-–—](?=[\u4e00-\u9fff（(]))\s*")
_ELLIPSIS = ("…", "...", "⋯")


def _counter(m: re.Match[str]) -> tuple[int, int]:
    groups = [g for g in m.groups() if g is not None]
    return int(groups[0]), int(groups[1])


def _pieces(text: str) -> tuple[str, bool, bool, bool, tuple[int, int] | None]:
    """``text`` without its stamp, URL and counter: (rest, has stamp, has URL, has counter, the counter)."""
    rest = text
    stamp = bool(STAMP.search(rest))
    rest = STAMP.sub(" ", rest)
    url = bool(URL.search(rest))
    rest = URL.sub(" ", rest)
    m = COUNTER.search(rest)
    counter = _counter(m) if m else None
    if m:
        rest = rest[:m.start()] + " " + rest[m.end():]
    return " ".join(rest.split()), stamp, url, m is not None, counter


def _candidate(text: str) -> tuple[str, tuple[int, int] | None] | None:
    """(the rest, the counter) when ``text`` may be a browser's header or footer line, else None: a stamp, URL
    or counter, and besides them nothing, or one piece of text (the page's title) beside a stamp or a URL."""
    rest, stamp, url, has_counter, counter = _pieces(text.strip())
    if not (stamp or url or has_counter):
        return None
    if rest and not (stamp or url):
        return None  # 附件1/2 说明: a counter with words is text
    return rest, counter


def strip_print_chrome(pages: list[list[Line]], removed: list[Removal]) -> str | None:
    """Remove a browser's header and footer lines from ``pages`` (in place) where the file is a browser's print
    (see the module docstring); returns the page title they state, or None."""
    total = len(pages)
    found: list[list[tuple[int, str, tuple[int, int] | None]]] = []
    for page in pages:
        hits = []
        for i in sorted(_edge_indices(page)):
            cand = _candidate(page[i].text)
            if cand is not None:
                hits.append((i, cand[0], cand[1]))
        found.append(hits)
    # a page counter alone (or with the URL or time stamp) at the page's edge, counting this file's pages
    counted = sum(1 for n, hits in enumerate(found, 1)
                  if any(not rest and c is not None and 1 <= c[0] <= c[1] and (c[1] == total or c[0] == n)
                         for _, rest, c in hits))
    framed = [n for n, (hits, page) in enumerate(zip(found, pages))
              if any(STAMP.search(page[i].text) or URL.search(page[i].text) for i, _, _ in hits)]
    if not framed or not (counted >= max(1, total // 2) or (total >= 2 and len(framed) >= max(2, (total + 1) // 2))):
        return None  # page numbers alone are any document's (第 1 页 共 3 页 under a Word file's pages)
    # the page's title: the text beside a time stamp or URL, the same on most pages
    rests: Counter[str] = Counter()
    for hits in found:
        rests.update({rest for _, rest, _ in hits if len(rest) >= 4 and rest[-1] not in "：:"})
    if not rests and total >= 2:  # the title on a row of its own beside them (OCR's boxes, a narrow page)
        for page, hits in zip(pages, found):
            near = {j for i, _, c in hits if c is None for j in (i - 1, i + 1)} & _edge_indices(page)  # the header
            rests.update({" ".join(page[j].text.split()) for j in near - {i for i, _, _ in hits}})
    title = None
    if rests:
        best, pages_with = rests.most_common(1)[0]
        title = best if pages_with >= max(1, (total + 1) // 2, 2 if total >= 2 else 1) else None
    for page, hits in zip(pages, found):
        drop = {i for i, rest, _ in hits if not rest or rest == title}
        if title:  # a title printed on a line of its own beside the browser's lines (a narrow page, OCR's boxes);
            # the article's own title line, which a <title> of the title alone repeats, stays
            beside = {j for i, _, _ in hits for j in (i - 1, i + 1)}
            drop |= {i for i in _edge_indices(page) & beside if " ".join(page[i].text.split()) == title}
        for i in sorted(drop, reverse=True):
            removed.append(Removal(page[i].text.strip(), REASON))
            del page[i]
    return title


def _edge_indices(page: list[Line]) -> set[int]:
    filled = [i for i, ln in enumerate(page) if ln.text.strip()]
    return set(filled[:_EDGE] + filled[-_EDGE:])


def _squeeze(text: str) -> str:
    return "".join(text.split())


def title_parts(page_title: str) -> list[str]:
    """The parts of a page title (the article's title, its column, the site's name), longest first."""
    parts = [p.strip() for p in _SEPARATOR.split(page_title) if p.strip()]
    return sorted(parts, key=len, reverse=True)


def title_from_page_title(page_title: str, lines: list[str], within: int = 40) -> str | None:
    """The article's title as its page shows it: the longest part of ``page_title`` (or the whole) that one line,
    or two lines joined, of the first ``within`` lines repeat; a part cut short with … matches a line it begins."""
    texts = [ln.strip() for ln in lines[:within]]
    for part in sorted({page_title.strip(), *title_parts(page_title)}, key=len, reverse=True):
        cut = part.endswith(_ELLIPSIS)
        want = _squeeze(part.rstrip("…. ⋯"))
        if len(want) < 4:
            continue
        for i, text in enumerate(texts):
            for joined in (text, text + (texts[i + 1] if i + 1 < len(texts) else "")):
                flat = _squeeze(joined)
                if flat == want or (cut and flat.startswith(want) and len(want) >= 8):
                    return joined
    return None


def is_site_name(text: str, page_title: str) -> bool:
    """Whether ``text`` is only the site's name the page title states (its banner): not a title."""
    flat = _squeeze(text)
    return any(_squeeze(p) == flat or (len(flat) >= 4 and flat in _squeeze(p) and len(p) <= 30)
               for p in title_parts(page_title)[1:]) if flat else False
