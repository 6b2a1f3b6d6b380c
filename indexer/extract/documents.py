"""Clean lines → documents: metadata lines, the title, the documents a page holds, and their metadata.

For a text file the title is found among the opening lines: the line just above a metadata line
(来源:… 发布时间:…) unless that is only the site or organ name, else the first title-like line. Short lines
above the title (column names, the site's name) are site chrome. A later bare line that ends in a document
type word (…工作总结, …简介, …通知) after real text starts a second document: the page held two.
For an HTML page the title and most metadata come from the page itself (:mod:`indexer.extract.html`).
"""

from __future__ import annotations

import re

from indexer.document import Document, Removal
from indexer.extract import metadata, rules
from indexer.extract.regions import infer_region
from indexer.extract.sections import classify, split_sections
from indexer.text.normalize import normalize

_ORG_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(部|委|办公厅|办公室|政府|委员会|局|厅|院|会|联|社|组)$")
_MIN_DOC_CHARS = 200


def _title_like(line: str, source: str | None) -> bool:
    s = line.strip()
    return (4 <= len(s) <= 60 and s[-1] not in rules.SENTENCE_END and classify(s)[0] == "text"
            and not rules.SALUTATION.match(s) and not metadata.is_meta_line(s) and s != (source or "")
            and any("\u4e00" <= c <= "\u9fff" for c in s) and not rules.BULLET.match(s))


def take_meta_lines(lines: list[str], removed: list[Removal]) -> tuple[list[str], dict[str, str], int | None]:
    """Remove labelled metadata lines near the top and bottom; return (lines, fields, index of the first)."""
    meta: dict[str, str] = {}
    first = None
    keep: list[str] = []
    for i, line in enumerate(lines):
        near_edge = i < 8 or i >= len(lines) - 6
        if near_edge and metadata.is_meta_line(line):
            for key, value in metadata.parse_meta_line(line).items():
                meta.setdefault(key, value)
            removed.append(Removal(line, "metadata line (parsed into fields)"))
            first = len(keep) if first is None else first
            continue
        keep.append(line)
    return keep, meta, first


def find_title(lines: list[str], meta_at: int | None, source: str | None) -> int | None:
    """Index of the title line among the opening lines, or None."""
    if meta_at is not None:
        if meta_at > 0 and _title_like(lines[meta_at - 1], source):
            return meta_at - 1
        for i in range(meta_at, min(len(lines), meta_at + 3)):
            if _title_like(lines[i], source):
                return i
    for i in range(min(3, len(lines))):
        if _title_like(lines[i], source) and (i + 1 >= len(lines) or len(lines[i + 1]) >= len(lines[i])):
            return i
        if len(lines[i]) > 60:
            break
    return None


def split_documents(lines: list[str]) -> list[int]:
    """Indexes where a further document's title line stands."""
    starts = []
    chars = 0
    for i, line in enumerate(lines):
        if (chars >= _MIN_DOC_CHARS and len(line) <= 40 and line[-1] not in rules.SENTENCE_END
                and rules.TITLE_DOC_SUFFIX.search(line) and classify(line)[0] == "text"
                and i + 1 < len(lines)):
            starts.append(i)
            chars = 0
        chars += len(line)
    return starts


def _signature(lines: list[str]) -> dict[str, str]:
    """Issuer and date from a closing signature (an organ's name, then a date)."""
    tail = lines[-3:]
    for a, b in zip(tail, tail[1:]):
        date = metadata.parse_date(b)
        if _ORG_LINE.match(a.strip()) and date and len(b) <= 20:
            return {"issuer": a.strip(), "date": date}
    return {}


def build_document(doc_id: str, title: str | None, lines: list[str], meta: dict[str, str],
                   url: str | None, title_in_body: bool) -> Document:
    """Metadata and sections of one document."""
    signed = _signature(lines)
    date = meta.get("date") or metadata.dateline(lines, title) or signed.get("date")
    body = "\n".join(lines)
    issuer = meta.get("issuer") or signed.get("issuer")
    place = infer_region(title, meta.get("source"), issuer, body)
    return Document(
        doc_id=doc_id, title=title, date=date, year=metadata.infer_year(date, title, body),
        province=place.province if place else None, city=place.city if place else None,
        source=meta.get("source"), issuer=issuer,
        doc_number=meta.get("doc_number") or metadata.find_doc_number(lines),
        doctype=metadata.infer_doctype(title, lines), url=url,
        sections=split_sections(lines, doc_id, None if title_in_body else title),
    )


def assemble(lines: list[str], removed: list[Removal], base_id: str, url: str | None = None,
             page_title: str | None = None, page_meta: dict[str, str] | None = None) -> list[Document]:
    """All documents in the cleaned ``lines`` of one source."""
    lines, meta, meta_at = take_meta_lines(lines, removed)
    meta = {**meta, **(page_meta or {})}
    title = page_title
    title_in_body = False
    if page_title is None:
        t = find_title(lines, meta_at, meta.get("source"))
        if t is not None:
            title = lines[t]
            for line in lines[:t]:
                reason = "site or column name above the title" if len(line) <= 20 else None
                if reason:
                    removed.append(Removal(line, reason))
            lines = [ln for ln in lines[:t] if len(ln) > 20] + lines[t + 1:]
    else:
        title_in_body = bool(lines) and normalize(lines[0])[:6] == normalize(page_title)[:6]
    starts = split_documents(lines)
    chunks = [(title, lines[:starts[0]] if starts else lines)]
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        chunks.append((lines[s], lines[s + 1:end]))
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
