"""Text lines → clean lines, with a record of everything removed and why.

Works on the lines of a document (a text file's lines, the blocks of an HTML body, or a reader's paragraphs and
table rows), in this order:
  0. structure: lines broken inside a sentence or hard-wrapped are joined (:mod:`indexer.extract.linebreaks`),
     a wiki or archive site's licence footer is cut (:mod:`indexer.extract.footers`);
  1. markup debris: HTML entities, stray tag fragments (``/span>``);
  2. damage: mis-aligned GBK runs are repaired (:mod:`indexer.extract.repair`), pinyin glosses inserted after
     characters (``統(tǒng)``) are cut, characters lost before we saw them (U+FFFD) are dropped;
  3. spam: QQ/WeChat/membership advertisements, WeChat official-account promotions (关注公众号…回复…领取),
     anti-resale notices, document-sharing disclaimers, brand watermarks and lines repeated as watermarks; a
     spam clause glued to a real paragraph is cut and the paragraph kept; short lines sandwiched between spam
     lines at the top are an advertisement block;
  4. site chrome: breadcrumbs, share/print widgets, counters, footers, related-link headers, a site's address
     alone on a line or listed in a table of contents (Laosheng.top……1), its promotion (更多内容请关注：…).
The patterns live in :mod:`indexer.extract.rules`; this module only applies them. Lines of a flow format (Word,
WPS, RTF, spreadsheets: ``flow=True``) are paragraphs and table rows already, so they are never joined as
hard-wrapped text, and a line repeated among them is the document's own (a form's labels, a table's repeated
cells; such formats keep page headers out of the body), not a watermark. So is a line repeated among a page
format's lines (PDF, OFD): there a table's cells, wrapped at the column's width (不按危险废物进 / 行管理。, 18 times
in a list of exemptions), and its header row on each page are text the repetition cannot tell from a mark
printed over every page; a watermark's words left in are noise, a table's taken out are lost to search.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from indexer.document import Removal
from indexer.extract import rules
from indexer.extract.footers import remove_licence_footer
from indexer.extract.linebreaks import join_broken_lines, join_wrapped_lines
from indexer.extract.repair import repair_line

_CLAUSE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _strip_debris(line: str, removed: list[Removal]) -> str:
    if "&" in line and rules.ENTITY.search(line):
        line = html.unescape(line)
    if "<" not in line and ">" not in line:  # every branch of a tag fragment holds one of them
        return line
    for m in rules.TAG_FRAGMENT.finditer(line):
        removed.append(Removal(m.group(0), "stray HTML tag fragment"))
    return rules.TAG_FRAGMENT.sub("", line)


def _strip_glosses(line: str, removed: list[Removal] | None) -> str:
    if "(" not in line and "（" not in line:  # a gloss is always in brackets
        return line
    if removed is not None:
        removed.extend(Removal(m.group(0), "pinyin gloss") for m in rules.PINYIN_GLOSS.finditer(line))
    return rules.PINYIN_GLOSS.sub("", line)


def _drop_lost_chars(line: str, removed: list[Removal]) -> str:
    if "\ufffd" not in line:
        return line
    for m in re.finditer(r"\S?\ufffd+\S?", line):
        removed.append(Removal(m.group(0), "characters lost before import (U+FFFD)"))
    return line.replace("\ufffd", "")


def repair_damage(lines: list[str], removed: list[Removal]) -> list[str]:
    """Steps 1–2 of the module docstring, line by line."""
    context = _strip_glosses("\n".join(lines), None)
    out = []
    for line in lines:
        line = _strip_debris(line, removed)
        line = _strip_glosses(line, removed)
        if "?" in line or "\ufffd" in line:
            line, fixes = repair_line(line, context)
            removed.extend(fixes)
            line = _strip_glosses(line, removed)
            line = _strip_debris(line, removed)
        out.append(_drop_lost_chars(line, removed))
    return out


def spam_reason(text: str, brands: set[str]) -> str | None:
    """Why ``text`` (a line or a clause) is spam, or None."""
    literal = rules.holds_spam_literal(text)  # else no gated pattern can match: one scan instead of one each
    if literal and (rules.gated_search(rules.CONTACT_ID, rules.CONTACT_GATE, text)
                    or rules.gated_search(rules.PHONE_AD, rules.PHONE_AD_GATE, text)):
        return "QQ/WeChat advertisement"
    for brand in brands:
        if brand in text:
            return f"watermark of “{brand}”"
    # a weak phrase marks a short line, but not one of the text's own headings or items (（三）开展免费送医送药活动)
    short = len(text.strip()) <= rules.SHORT_CLAUSE and not _structured(text.strip())
    for pattern, reason, strong, gate in rules.SPAM_CHECKS:
        if not (strong or short):
            continue
        if gate is not None and not literal:
            continue  # a gated pattern needs one of its literals (rules.SPAM_LITERALS)
        if rules.gated_search(pattern, gate, text):
            return reason
    return None


def _structured(line: str) -> bool:
    """A heading or numbered item of the text (一、…, （三）…, 1.…, 一是…, 第二章…)."""
    return bool(rules.ORDINAL_PART.match(line)) or any(p.match(line) for p in rules.HEADING_PATTERNS)


def find_brands(lines: list[str]) -> set[str]:
    """Brand names announced by spam lines ("酷乐文行整理，咨询QQ…"): with a contact, or short and soliciting —
    not a paragraph that opens with a word and 整理 (数据整理基于原始数据库…, where 数据 would mark every
    line that mentions data)."""
    brands = set()
    for line in lines:
        m = rules.BRAND.match(line.strip())
        if m and (rules.CONTACT_ID.search(line) or (len(line.strip()) <= rules.WATERMARK_MAX_LEN
                                                    and rules.SOLICIT.search(line[m.end():]))):
            brands.add(m.group(1))
    return brands


def _cut_spam_clauses(line: str, brands: set[str], removed: list[Removal]) -> str:
    """Cut spam clauses out of a long paragraph, keeping its real sentences."""
    kept = []
    for clause in _CLAUSE.findall(line):
        reason = spam_reason(clause, brands)
        if reason:
            removed.append(Removal(clause.strip(), f"{reason} (clause glued to a paragraph)"))
        else:
            kept.append(clause)
    return "".join(kept).strip()


def _watermark_shaped(line: str) -> bool:
    """Short, but words rather than a number or a table cell; never a clause of a sentence or a numbered item
    (a regulation repeats （三）农业部规定…的，检测结果符合要求。 under several articles; a plan repeats its
    服法：每日 1 剂，水煎 400ml，… under each prescription)."""
    cjk = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    return (6 <= len(line) <= rules.WATERMARK_MAX_LEN and cjk >= 4 and not rules.BULLET.match(line)
            and not any(c in line for c in "。；;！？!?，,") and not _structured(line))


def _prose(line: str) -> bool:
    """A piece of running text: a finished sentence, or a clause mark in a line of some length (not a table
    cell, label or heading)."""
    return line[-1] in "。！？；!?;" or (len(line) >= 8 and any(c in line for c in "，。；！？,;"))


def _between_prose(stripped: list[str], repeated: set[str]) -> set[str]:
    """Those of the ``repeated`` lines that stand between running text at most of their copies (the lines
    before and after a copy, blank ones passed over, are prose, or the text's end): a mark printed over the
    text of every page. A line repeated among short lines — a table's cells, a diagram's labels, a form's
    fields, a code's headings — is the document's own text."""
    if not repeated:
        return set()
    filled = [s for s in stripped if s]
    between: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for n, s in enumerate(filled):
        if s not in repeated:
            continue
        seen[s] += 1
        before = filled[n - 1] if n > 0 else None
        after = filled[n + 1] if n + 1 < len(filled) else None
        if (before is not None or after is not None) and all(
                x is None or x in repeated or _prose(x) for x in (before, after)) \
                and any(x is not None and _prose(x) for x in (before, after)):
            between[s] += 1
    return {s for s in repeated if between[s] * 2 > seen[s]}


def _own_headings(stripped: list[str], counts: Counter[str]) -> set[str]:
    """The lines that are a few copies of a line opening the document before its text begins: a title printed
    on a cover, on the title page and again over the first clause (a standard; every copy stays, and the lines
    between them with it), not a watermark on every page (which first stands between paragraphs, after the
    first one). Blank lines before the first copy do not count. One pass over the lines."""
    out: set[str] = set()
    for s in stripped[:rules.OPENING_LINES]:
        if s and (len(s) > rules.WATERMARK_MAX_LEN or s[-1] in "。！？；!?;"):
            break  # the text has begun
        if s and counts[s] <= rules.TITLE_REPEATS_MAX:
            out.add(s)
    return out


def remove_spam(lines: list[str], removed: list[Removal], repeats: bool = True) -> list[str]:
    """Step 3 of the module docstring (``repeats``: a short line repeated may be a watermark)."""
    brands = find_brands(lines)
    stripped = [ln.strip() for ln in lines]
    counts = Counter(s for s in stripped if s)
    verdicts: list[str | None] = []
    own = _own_headings(stripped, counts)
    marks = _between_prose(stripped, {s for s in counts if counts[s] >= rules.WATERMARK_REPEATS and s not in own
                                      and _watermark_shaped(s)}) if repeats else set()
    for s in stripped:
        reason = spam_reason(s, brands) if s else None
        if reason is None and s in marks:
            reason = "watermark line repeated between paragraphs"
        verdicts.append(reason)
    _mark_spam_blocks(stripped, verdicts)
    out = []
    for line, s, reason in zip(lines, stripped, verdicts):
        if reason and (reason.startswith(("advertisement", "watermark line")) or not _has_real_clause(s, brands)):
            removed.append(Removal(s, reason))
            continue
        if reason:  # real sentences with a spam clause glued on: cut only the offending clauses
            line = _cut_spam_clauses(line, brands, removed)
        out.append(line)
    return out


def _has_real_clause(line: str, brands: set[str]) -> bool:
    """Whether a spam-flagged line also holds real prose (a clean clause of some length)."""
    clauses = _CLAUSE.findall(line)
    clean = [c for c in clauses if not spam_reason(c, brands)]
    return len(clauses) > 1 and sum(len(c) for c in clean) >= 15


def _mark_spam_blocks(stripped: list[str], verdicts: list[str | None]) -> None:
    """Short lines between two spam lines near the top form one advertisement block. Spam by what it says: a
    line only repeated (a watermark by its copies alone) is a guess, and a guess marks no other line (the rows of
    a table between the copies of a repeated cell went as an advertisement block)."""
    spam_at = [i for i, v in enumerate(verdicts) if v and not v.startswith("watermark line")]
    for a, b in zip(spam_at, spam_at[1:]):
        if b - a > 6 or a > 30:
            continue
        between = range(a + 1, b)
        if all(len(stripped[i]) <= 40 and not rules.TITLE_DOC_SUFFIX.search(stripped[i]) for i in between):
            for i in between:
                if stripped[i] and not verdicts[i]:
                    verdicts[i] = "advertisement block (between spam lines)"


def chrome_reason(line: str) -> str | None:
    """Why ``line`` is site chrome, or None."""
    s = line.strip()
    if len(s) > 120:
        return None
    for pattern, reason in rules.CHROME_LINE:
        if pattern.search(s):
            return reason
    return None


def _footer_lines(lines: list[str], reasons: list[str | None]) -> None:
    """Mark as footer (in ``reasons``) the lines with a footer's label (:data:`rules.FOOTER_LABEL`: 主办单位：,
    版权所有, ©) that stand among a footer's lines: next to a footer line (blank lines between do not part
    them; a labelled line so marked counts for the next: one sweep each way), or where only such lines and
    chrome, at least one line of it, follow to the end. Elsewhere the label is the document's own words (a
    meeting notice's 主办单位：河南省教育厅) and its line stays."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    marks = {i for i in filled if reasons[i] is None and len(lines[i].strip()) <= 120
             and rules.FOOTER_LABEL.search(lines[i])}
    if not marks:
        return
    footer: set[int] = set()
    run: list[int] = []  # the labelled lines of the trailing run of chrome and labelled lines
    chrome_after = False
    for i in reversed(filled):
        if i in marks:
            run.append(i)
        elif reasons[i] is not None:
            chrome_after = True
        else:
            break
    if chrome_after:
        footer.update(run)
    for order in (filled, filled[::-1]):  # next to a footer line, or to a labelled line so marked
        before = False
        for i in order:
            if i in marks and before:
                footer.add(i)
            before = reasons[i] == "footer" or i in footer
    for i in footer:
        reasons[i] = "footer"


def _announced_addresses(lines: list[str], reasons: list[str | None]) -> None:
    """An address alone on its line that the text announces (请登录以下网址报名： / http://…, 申报系统网址：) is the
    document's own: where to apply, where to read more. Only an address nothing introduces is the site's."""
    previous = ""
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if reasons[i] == "site address" and previous[-1:] in (":", "："):
            reasons[i] = None
        previous = s if reasons[i] is None else ""


def remove_chrome(lines: list[str], removed: list[Removal]) -> list[str]:
    """Step 4 of the module docstring."""
    out = []
    reasons = [chrome_reason(line) for line in lines]
    _footer_lines(lines, reasons)
    _announced_addresses(lines, reasons)
    for line, reason in zip(lines, reasons, strict=True):
        if reason:
            removed.append(Removal(line.strip(), reason))
            continue
        if "..." in line or "…" in line or "···" in line:  # a contents line's leaders
            for m in rules.CONTENTS_DOMAIN.finditer(line):
                removed.append(Removal(m.group(0), "site name in a table of contents"))
            line = rules.CONTENTS_DOMAIN.sub("", line)
        out.append(line)
    return out


def tidy(line: str) -> str:
    """Collapse runs of spaces inside a line and trim it; zero-width characters (a line of only U+200B is
    empty) go."""
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", line)).strip()


def clean_lines(lines: list[str], removed: list[Removal], flow: bool = False,
                repeats: bool | None = None) -> list[str]:
    """All steps; returns the non-empty cleaned lines and appends to ``removed`` (``flow``: the lines are a
    flow format's paragraphs and rows, see the module docstring; ``repeats``: whether a short line repeated
    between paragraphs may be a watermark, by default where the lines do not flow)."""
    joined = join_broken_lines(lines)
    lines = remove_licence_footer(joined if flow else join_wrapped_lines(joined), removed)
    lines = repair_damage(lines, removed)
    lines = remove_spam(lines, removed, repeats=not flow if repeats is None else repeats)
    lines = remove_chrome(lines, removed)
    return [t for t in (tidy(ln) for ln in lines) if t]
