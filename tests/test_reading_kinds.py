"""Files are read as what they are: a binary name over other bytes is sniffed, a .docx whose body is an
altChunk is read through the HTML reader, Markdown is read as Markdown, flow formats keep their rows and
repeated form lines, an HTML table keeps each row on one line. Small synthetic files, one per class."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from indexer.extract.filetypes import DOC, HTML, MARKDOWN, PDF, TEXT, XLS, XMLSHEET, content_kind, kind_of
from indexer.extract.markdown import read_markdown
from indexer.extract.pipeline import ExtractError, extract_bytes, extract_file

LAW = "中华人民共和国示例保护法"
NOTE = ("（2001年4月28日第九届全国人民代表大会常务委员会第二十一次会议通过 根据2015年4月24日第十二届全国人民代表大会"
        "常务委员会第十四次会议《关于修改〈中华人民共和国示例保护法〉的决定》修正）")
ARTICLE = "第一条 为了保护示例资源，促进示例事业的发展，制定本法。"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("a.xls", b"<html><body><table><tr><td>x</td></tr></table></body></html>", HTML),
    ("a.xls", b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
              b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', XMLSHEET),
    ("a.xls", "序号,岗位名称\n1,初中语文\n".encode(), TEXT),
    ("a.doc", b"{\\rtf1 x}", "rtf"),
    ("a.doc", b"<html><body><p>x</p></body></html>", HTML),
    ("a.pdf", b"<!doctype html><p>x</p>", PDF),  # an error page or a broken download: the PDF reader says so
    ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"W\x00o\x00r\x00d\x00D\x00o\x00c" + b"\x00" * 600, DOC),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, XLS),
    ("a.pdf", b"\x00\x01garbage\x00", PDF),  # binary of no known kind: the named reader says why
    ("a.md", b"# x", MARKDOWN),
])
def test_the_bytes_say_what_a_file_is(name: str, data: bytes, kind: str) -> None:
    assert kind_of(Path(name).suffix, data) == kind
    assert content_kind(DOC, b"") == DOC


def test_an_html_table_saved_as_xls_is_read_row_by_row(tmp_path: Path) -> None:
    rows = "".join(f"\n<tr>\n <td>{i}</td>\n <td>示例县初中语文{i}</td>\n <td>3601052060{i:02d}</td>\n</tr>"
                   for i in range(1, 30))
    html = (f'<html><head><meta charset="utf-8"></head><body><table>\n<tr>\n <td colspan="3">示例省2023年教师招聘岗位表'
            f'</td>\n</tr>\n<tr>\n <td>序号</td>\n <td>岗位名称</td>\n <td>岗位代码</td>\n</tr>{rows}</table></body></html>')
    doc = extract_file(_write(tmp_path, "posts.xls", html.encode())).documents[0]
    assert doc.title == "示例省2023年教师招聘岗位表"
    assert "序号 岗位名称 岗位代码" in doc.text.split("\n")
    assert "1 示例县初中语文1 360105206001" in doc.text.split("\n")  # a row is a line, never joined as wrapped


def test_an_xml_spreadsheet_named_xls_is_read(tmp_path: Path) -> None:
    xml = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:'
           'office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1">'
           '<Table><Row><Cell><Data ss:Type="String">示例市职位表</Data></Cell></Row><Row><Cell><Data ss:Type="String">'
           '职位名称</Data></Cell><Cell><Data ss:Type="String">招录人数</Data></Cell></Row><Row><Cell>'
           '<Data ss:Type="String">综合管理岗</Data></Cell><Cell><Data ss:Type="Number">2</Data></Cell></Row>'
           '</Table></Worksheet></Workbook>')
    doc = extract_file(_write(tmp_path, "jobs.xls", xml.encode())).documents[0]
    assert "综合管理岗 2" in doc.text and "职位名称 招录人数" in doc.text


def _docx_with_chunk(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
                   'org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><w:body><w:altChunk r:id="htmlChunk"/><w:sectPr/></w:body></w:document>')
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="htmlChunk" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/'
                   f'{name}"/></Relationships>')
        z.writestr(f"word/{name}", data)
    return buf.getvalue()


_CHUNK_HTML = (f"<html><body><h1>{LAW}</h1><p>{NOTE}</p><h2>第一章 总则</h2><p>{ARTICLE}</p>"
               "<p>第二条 本法自2016年1月1日起施行。</p></body></html>")


@pytest.mark.parametrize("name,data", [
    ("afchunk.htm", _CHUNK_HTML.encode("utf-8")),
    ("afchunk.mht", ("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"B\"\n\n--B\nContent-Type: text/html;"
                     ' charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
                     + _CHUNK_HTML.replace("=", "=3D") + "\n--B--\n").encode("utf-8")),
])
def test_a_docx_whose_body_is_an_html_alt_chunk_is_read(tmp_path: Path, name: str, data: bytes) -> None:
    doc = extract_file(_write(tmp_path, "law.docx", _docx_with_chunk(name, data))).documents[0]
    assert doc.title == LAW and ARTICLE in doc.text
    assert (doc.issuer, doc.date) == ("全国人民代表大会常务委员会", "2015-04-24")


def test_a_docx_chunk_of_an_unknown_kind_is_no_text(tmp_path: Path) -> None:
    with pytest.raises(ExtractError):
        extract_file(_write(tmp_path, "x.docx", _docx_with_chunk("chunk.bin", b"\x00\x01\x02")))


def test_markdown_markup_is_markup() -> None:
    lines = read_markdown("---\ntitle: 不用\nsource: x\n---\n# 示例条例\n\n**财会\\[2010\\]15号**\n\n## 第一章 总则\n\n"
                          "第一条 见[链接](https://example.org)与`代码`。\n\n* * *\n| 序号 | 名称 |\n|---|---|\n| 1 | 甲 |\n"
                          "<!-- INFO END -->\n")
    assert [(ln.text, ln.title, ln.heading) for ln in lines] == [
        ("示例条例", True, False), ("财会[2010]15号", False, False), ("第一章 总则", False, True),
        ("第一条 见链接与代码。", False, False), ("序号 名称", False, False), ("1 甲", False, False)]
    assert read_markdown("---\ntitle: 前言题名\n---\n正文一段。\n")[0].title


def test_a_markdown_law_gives_its_fields(tmp_path: Path) -> None:
    text = (f"# {LAW}\n\n2014年11月24日 中华人民共和国国务院令第656号公布\n\n2015年3月1日 施行\n\n<!-- INFO END -->\n\n"
            f"## 第一章 总则\n\n{ARTICLE}\n")
    doc = extract_file(_write(tmp_path, "law.md", text.encode())).documents[0]
    assert (doc.title, doc.issuer, doc.date, doc.doc_number) == (
        LAW, "中华人民共和国国务院", "2014-11-24", "中华人民共和国国务院令第656号")
    assert "#" not in doc.text and "第一章 总则" in [s.heading for s in doc.sections]


def test_a_markdown_heading_over_a_notices_own_title_yields_to_it(tmp_path: Path) -> None:
    text = ("# 示例会计准则解释第4号\n===========\n\n**财政部关于印发示例会计准则解释第4号的通知**\n\n财会\\[2010\\]15号\n\n"
            "各有关单位：\n\n为了贯彻实施示例准则，我部制定了本解释，现予印发，请遵照执行。\n\n附件：示例会计准则解释第4号\n\n"
            "财  政  部\n\n二〇一〇年七月十四日\n\n**附件：**\n\n一、本解释自2010年1月1日起施行。\n")
    doc = extract_file(_write(tmp_path, "notice.md", text.encode())).documents[0]
    assert (doc.title, doc.issuer, doc.date, doc.doc_number) == (
        "财政部关于印发示例会计准则解释第4号的通知", "财政部", "2010-07-14", "财会[2010]15号")


def test_an_exports_heading_over_its_fields_is_no_title(tmp_path: Path) -> None:
    text = ("# 原件固化\n\n- corpus_id: x-001\n- title: 示例办公厅关于印发示例办法的通知\n- publish_date: 2020-12-07\n\n---\n\n"
            "示例办公厅关于印发示例办法的通知\n示办发〔2020〕50号\n各有关单位：\n《示例办法》已经同意，现印发给你们，请认真贯彻执行。\n"
            "示例办公厅\n2020年12月7日\n示例办法\n第一条 为了规范示例工作，制定本办法。\n第二条 本办法自2021年1月1日起施行。\n")
    for name in ("export.txt", "export.md"):
        doc = extract_file(_write(tmp_path, name, text.encode())).documents[0]
        assert (doc.title, doc.doc_number, doc.date, doc.issuer) == (
            "示例办公厅关于印发示例办法的通知", "示办发〔2020〕50号", "2020-12-07", "示例办公厅"), name
        assert "corpus_id" not in doc.text


def test_a_forms_repeated_lines_are_the_forms_own(tmp_path: Path) -> None:
    from tools.docgen import doc_bytes

    stamp = "（中心、管理部业务审核章或公章）"
    paragraphs = [("title", "示例住房公积金转移接续申请表"), ("normal", "申请人姓名"), ("normal", stamp),
                  ("normal", "转入单位"), ("normal", stamp), ("normal", "转出单位"), ("normal", stamp)]
    ex = extract_bytes(doc_bytes(paragraphs), "form", kind=DOC)
    assert ex.documents[0].text.count(stamp) == 3
    text = "\n".join(["示例报告", "正文第一段很长很长的内容，说明情况。", stamp, "第二段内容。", stamp, "第三段内容。", stamp])
    plain = extract_bytes(text.encode(), "plain", kind=TEXT)  # in a text file a repeated short line is a watermark
    assert stamp not in plain.documents[0].text


@pytest.mark.parametrize("run", [" ", "\t", "[", "![", "![a](", "<!--", "<http://", " |"])
def test_a_long_markdown_line_of_repeated_markup_is_read_in_linear_time(run: str) -> None:
    """A line of 100,000 characters that repeats one piece of markup without ever closing it (white space with no
    table rule after it, ``[`` with no ``](``, an unclosed ``<!--``): the patterns scanned to the line's end again
    from each character, so such a .md took hours and was skipped at the import's time limit (a 4 MB list
    indented ever deeper took over 180 s). Now a fraction of a second; the text after it is read."""
    import time

    text = run * (100_000 // len(run)) + "x\n统一战线工作会议在京召开"
    started = time.process_time()
    lines = read_markdown(text)
    took = time.process_time() - started
    assert took < 2, f"{took:.1f} s"
    assert lines[-1].text == "统一战线工作会议在京召开"


def test_markdown_comments_links_and_images_are_still_markup() -> None:
    text = ("前言<!-- 注释\n两行 -->正文\n[《通知》](https://example.gov.cn/a(1).html) 与 ![图](x.png) 及 "
            "<https://example.gov.cn/> <!-- 未闭合")
    assert [ln.text for ln in read_markdown(text)] == [
        "前言", "正文", "《通知》 与 图 及 https://example.gov.cn/ <!-- 未闭合"]


@pytest.mark.parametrize("name", ["notice.rtf", "notice.doc", "notice"])
def test_an_rtf_with_a_byte_order_mark_is_read(tmp_path: Path, name: str) -> None:
    """An RTF some editor saved with a UTF-8 byte-order mark before ``{\\rtf``: the type sniffer took it for RTF
    (as Word does) but the RTF reader refused it ('not an RTF document'), so the file was skipped."""
    body = "".join(f"\\'{b:02x}" for b in "关于做好统一战线工作的通知".encode("gbk"))
    data = b"\xef\xbb\xbf{\\rtf1\\ansi\\ansicpg936 " + body.encode() + b"\\par}"
    [doc] = extract_file(_write(tmp_path, name, data)).documents
    assert doc.title == "关于做好统一战线工作的通知" and "\u00ef" not in doc.sections[0].text
