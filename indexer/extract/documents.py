"""Clean lines → documents: metadata lines, the title, the documents a page holds, and their metadata.

For a text file the title is the one its opening states (:mod:`indexer.extract.titles`); short lines above it
(column names, the site's name) are site chrome. A document that states no title gets a derived one, marked
``title_derived``. A page holds a second document only where a complete document ended (its last line ends
a sentence, or is a 落款) and a bare title line ending in a document-type word (…工作总结, …简介) starts the
next; a cited title broken out of its sentence, a numbered sub-item, an attachment label or a list entry
never does. Dates come from :mod:`indexer.extract.dating`, the region from :mod:`indexer.extract.regions`.
For an HTML page the title and most metadata come from the page itself (:mod:`indexer.extract.html`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from indexer.document import Document, Removal
from indexer.extract import metadata, rules
from indexer.extract.dating import date_document
from indexer.extract.issuers import find_issuer, split_as_written
from indexer.extract.regions import infer_region
from indexer.extract.sections import split_sections
from indexer.extract.signatures import first_signature
from indexer.extract.structure import STANDARD_NUMBER, Line, Structure, read_structure
from indexer.extract.templates import TEMPLATE_DOCTYPE, is_template
from indexer.extract.titles import derive_title, find_title, is_office_name, is_title_like, same_title, title_block
from indexer.text.normalize import normalize

_MIN_DOC_CHARS = 200


def take_meta_lines(lines: list[str], removed: list[Removal]) -> tuple[list[str], dict[str, str], int | None]:
    """Remove labelled metadata lines near the top and bottom; return (lines, fields, index of the first)."""
    meta: dict[str, str] = {}
    first = None
    keep: list[str] = []
    for i, line in enumerate(lines):
        near_edge = i < 8 or i >= len(lines) - 6 or (i < 24 and bool(metadata.BRACKET_LABEL.match(line.strip())))
        if near_edge and metadata.is_meta_line(line):
            for key, value in metadata.parse_meta_line(line).items():
                meta.setdefault(key, value)
            first = len(keep) if first is None else first
            if not metadata.ORIGINAL_TITLE.match(line.strip()):
                removed.append(Removal(line, "metadata line (parsed into fields)"))
                continue
            # 原标题：… is the article's title where it first appeared, its own words (searched for by them), kept
        keep.append(line)
    return keep, meta, first


def labelled(meta: dict[str, str]) -> dict[str, str]:
    """Fields read from labels around a document (发布时间：…, a page's 发布日期): their date is the page's,
    weighed after the document's own dates (``labelled_date``, :mod:`indexer.extract.dating`)."""
    out = {k: v for k, v in meta.items() if k != "date"}
    if meta.get("date"):
        out["labelled_date"] = meta["date"]
    return out


def _ends_document(line: str) -> bool:
    """A line a document can end on: a finished sentence or a 落款 date."""
    s = line.strip()
    return bool(s) and (s[-1] in rules.DOCUMENT_END or bool(rules.SIGNATURE_DATE.match(s)))


def _starts_document(lines: list[str], i: int) -> bool:
    line = lines[i]
    return (len(line) <= 40 and bool(rules.TITLE_DOC_SUFFIX.search(line)) and is_title_like(line)
            and _ends_document(lines[i - 1]) and lines[i + 1].lstrip()[:1] not in rules.CLOSING_MARKS)


def split_documents(lines: list[str]) -> list[int]:
    """Indexes where a further document's title line stands (see the module docstring)."""
    starts = []
    chars = 0
    for i, line in enumerate(lines):
        if chars >= _MIN_DOC_CHARS and 0 < i < len(lines) - 1 and _starts_document(lines, i):
            starts.append(i)
            chars = 0
        chars += len(line)
    return starts


def _doctype(title: str | None, lines: list[str], number: str | None) -> str | None:
    """A standard by its number (NB/T 10001—2023), else the type the title or opening names."""
    if number and STANDARD_NUMBER.match(number):
        return "标准"
    return metadata.infer_doctype(title, lines)


def _stem(base_id: str) -> str:
    """The file name without its suffix (the last resort for a title)."""
    path = PurePosixPath(base_id.split("?")[0].split("::")[0].rstrip("/"))
    return path.stem or base_id


def build_document(doc_id: str, title: str | None, lines: list[str], meta: dict[str, str],
                   url: str | None, title_in_body: bool) -> Document:
    """Metadata and sections of one document (``title`` None: the document states none)."""
    stated = title is not None
    shown = title if title is not None else derive_title(lines, _stem(doc_id))
    number = meta.get("doc_number") or metadata.find_doc_number(lines)
    dating = date_document(lines, title, stated, meta, number)
    first = first_signature(lines)
    signers = first[1] if first else read_structure([Line(ln) for ln in lines[-24:]]).signers
    issuer = split_as_written(find_issuer(title, lines, meta.get("issuer"), signers, meta.get("noted_issuer")),
                              number, lines)
    source = meta.get("source") or dating.source
    place = infer_region(title, source, issuer, "\n".join(lines))
    template = is_template("\n".join(lines))
    return Document(
        doc_id=doc_id, title=shown, title_derived=not stated, date=dating.date, year=dating.year,
        date_precision=dating.precision, written=dating.written, date_inferred=dating.inferred,
        date_source=dating.inferred_from,
        province=place.province if place else None, city=place.city if place else None,
        source=source, issuer=issuer,
        doc_number=number,
        doctype=TEMPLATE_DOCTYPE if template else _doctype(title, lines, number), url=url, template=template,
        sections=split_sections(lines, doc_id, title if stated and not title_in_body else None),
    )


def _issuer_over_title(lines: list[str], start: int, title: str, header: Structure) -> tuple[int, str]:
    """A title set as 发文机关 over 关于…的通知 (the issuing bodies on a line of their own, or who forwards whose
    document: 国务院办公厅转发国家地震局; the subject and type wrapped under them) is one title: (its first line,
    the whole title). The bodies (of a forward, either) must be the ones that sign the 落款 when it names any (a
    site's name over a document it republishes is not part of it)."""
    if not title.startswith("关于"):
        return start, title
    k = start
    while k > header.title_from() and start - k < 2 and (is_office_name(lines[k - 1])
                                                         or _forwarded(lines[k - 1]) is not None):
        k -= 1
    if k == start:
        return start, title
    signed = re.sub(r"[\s、]+", "", header.signers or "")
    forwards = [f for f in map(_forwarded, lines[k:start]) if f is not None]
    bodies = "".join(re.sub(r"\s+", "", ln) for ln in lines[k:start])
    if signed and bodies not in signed and not any(b in signed for f in forwards for b in f):
        return start, title
    return k, " ".join(ln.strip() for ln in lines[k:start]) + title


#: A title's first line naming who forwards or endorses whose document (国务院办公厅转发国家地震局 / 关于…的通知).
_FORWARDS = re.compile(r"^(?P<by>\S{2,40}?)(?:转发|批转|印发)(?P<of>\S{2,40})$")


def _forwarded(line: str) -> tuple[str, str] | None:
    """The two bodies of a line 甲转发乙 (both bodies' names: who forwards, whose document), else None."""
    m = _FORWARDS.match(re.sub(r"\s+", "", line))
    if m is None or not (is_office_name(m.group("by")) and is_office_name(m.group("of"))):
        return None
    return m.group("by"), m.group("of")


def _opening_title(lines: list[str], meta_at: int | None, source: str | None, removed: list[Removal],
                   header: Structure) -> tuple[str | None, list[str]]:
    """The stated title of a text and its lines without the title block and the chrome above it (the banner
    and 发文字号 lines stay: they are the document's)."""
    found = find_title(lines, meta_at, source, header.title_from())
    if found is None:
        return None, lines
    start, _ = found
    title, end = title_block(lines, start)
    if end < len(lines) and same_title(lines[end], title):
        start, (title, end) = end, title_block(lines, end)  # an export's copy over the document's own title
    start, title = _issuer_over_title(lines, start, title, header)
    kept = header.skipped() | (set(range(start)) if header.title_from() else set())  # a running header too
    kept |= {i for i, ln in enumerate(lines[:start]) if rules.ATTACHMENT_LABEL.match(ln)}  # the document's own
    begun = next((i for i, ln in enumerate(lines[:start]) if _text_begins(ln)), start)
    kept |= set(range(begun, start))  # a title found under text that has begun: what is above it is the text
    above = {i for i, ln in enumerate(lines[:start]) if len(ln) <= 20 and i not in kept and _site_chrome(ln)}
    removed.extend(Removal(lines[i], "site or column name, or page number, above the title") for i in sorted(above))
    return title, [ln for i, ln in enumerate(lines[:start]) if i not in above] + lines[end:]


#: A web site's or its channel's name (中国政府网, 人民网, 示例市人民政府门户网站, 新华社客户端, 时政频道), its address,
#: or a path through it (示例读本 >> 2018-监察法).
_SITE_NAME = re.compile(r"^\W*\S{0,16}(?:网|网站|门户|客户端|频道|APP|App|app)\W*$|www\.|https?://|\.gov\.cn|\.com|>>|＞＞|[»›]",
                        re.I)
#: A page's number standing alone (— 3 —, -2-, 第 1 页).
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]{1,2}\s*)?\d{1,4}(?:\s*[-—–－]{1,2})?\s*$|^\s*第\s*\d+\s*页")


def _site_chrome(line: str) -> bool:
    """Whether a short line above a title, before the text begins, is the site's or the page's: a site's name
    or path, a page number, a column's name (他山之石, 工作动态) — not a body's name set as the banner
    (中共示例县委组织部 over 关于…的通知), which is the document's own."""
    s = line.strip()
    return bool(_SITE_NAME.search(s) or _PAGE_NUMBER.match(s)) or (bool(s) and not is_office_name(s))


def _text_begins(line: str) -> bool:
    """Whether ``line`` is a document's text (a paragraph, a sentence, a heading or article of its own), not
    a site's or column's name over its title."""
    s = line.strip()
    return bool(s) and (len(s) > 20 or s[-1] in "。；;！？!?：:" or bool(rules.ORDINAL_PART.match(s))
                        or any(p.match(s) for p in rules.HEADING_PATTERNS))


def assemble(lines: list[str], removed: list[Removal], base_id: str, url: str | None = None,
             page_title: str | None = None, page_meta: dict[str, str] | None = None) -> list[Document]:
    """All documents in the cleaned ``lines`` of one source."""
    taken, export = metadata.export_header(lines)
    removed.extend(Removal(ln, "export header (the exporter's fields)") for ln in lines[:taken])
    lines, meta, meta_at = take_meta_lines(lines[taken:], removed)
    header = read_structure([Line(ln) for ln in lines])
    stated = {"issuer": header.issuer if header.issuer != header.signers else None,
              "noted_issuer": header.noted_issuer,
              "doc_number": header.doc_number, "date": header.date, "signed": header.signed}
    meta = {**{k: v for k, v in stated.items() if v}, **labelled(meta), **(page_meta or {})}
    title_in_body = False
    if export.get("title") and page_title is None:
        page_title = export["title"]  # the export names the record it holds (a transcript's page title)
    page_title = metadata.table_subject(lines) or page_title  # a table export is titled by what it shows
    if page_title is None:
        title, lines = _opening_title(lines, meta_at, meta.get("source"), removed, header)
    else:
        title = page_title
        title_in_body = bool(lines) and normalize(lines[0])[:6] == normalize(page_title)[:6]
    starts = split_documents(lines)
    chunks: list[tuple[str | None, list[str]]] = [(title, lines[:starts[0]] if starts else lines)]
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        part_title, body_at = title_block(lines[:end], s)
        chunks.append((part_title, lines[body_at:end]))
    docs = []
    for k, (doc_title, chunk) in enumerate(chunks):
        if not chunk and doc_title is None:
            continue
        doc_id = base_id if k == 0 else f"{base_id}::{k + 1}"
        docs.append(build_document(doc_id, doc_title, chunk, meta, url, title_in_body and k == 0))
    if len(docs) > 1:  # parts of one page share where the page is from
        page = infer_region(title, meta.get("source"), meta.get("issuer"), "\n".join(lines))
        for d in docs:
            if page and d.province is None:
                d.province, d.city = page.province, page.city
    return docs
