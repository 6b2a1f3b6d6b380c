"""Sample office documents written by the project itself (no office suite needed): .docx and .ofd.

The texts are synthetic 统战 notices in the shape of a 红头文件: banner, 发文字号, title, salutation,
numbered headings, a table, a text box, a header, the 落款 (issuer and date) and the 印发 line. Tests build
files from these specs and compare what extraction returns with ``expected_lines``; ``tools.make_samples``
writes the shipped ``corpus/`` samples from them (and converts to .doc/.pdf/.xls with LibreOffice there).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Notice:
    """A synthetic 红头文件: what the sample says, independent of its format."""

    issuer: str
    number: str
    title: str
    salutation: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    table: list[list[str]]
    textbox: str
    header: str
    date: str  # 2023年3月15日
    printed: str  # the 印发 line
    iso_date: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def banner(self) -> str:
        return f"{self.issuer}文件"

    def expected_lines(self) -> list[str]:
        """Every paragraph and table row, in reading order (header and text box included)."""
        out = [self.banner, self.number, self.title, self.salutation]
        for heading, paras in self.sections:
            out.append(heading)
            out.extend(paras)
        out.extend(" ".join(row) for row in self.table)
        out += [self.textbox, self.issuer, self.date, self.printed, self.header]
        return out


def notice(topic: str, number: str, iso_date: str, issuer: str = "中共示例市委统战部") -> Notice:
    """A notice about ``topic`` (e.g. 民族宗教工作) with numbered headings and a task table."""
    y, m, d = (int(p) for p in iso_date.split("-"))
    return Notice(
        issuer=issuer, number=number, iso_date=iso_date,
        title=f"关于做好{y}年{topic}的通知",
        salutation="各区县委统战部，市委统战部各处室：",
        sections=[
            ("一、提高政治站位", [
                f"要深入学习贯彻中央统战工作会议精神，把{topic}放在全局工作中谋划推进，"
                "切实增强做好新时代统一战线工作的责任感和使命感。",
            ]),
            ("二、突出工作重点", [
                f"围绕大团结大联合主题，聚焦{topic}中的重点任务，完善工作机制，"
                "加强调查研究，及时报送工作信息和典型经验。",
                "各单位要按照下表明确的任务分工，压实责任，按时完成。",
            ]),
            ("三、强化组织保障", [
                "各级统战部门要加强统筹协调，主要负责同志亲自部署，"
                "分管负责同志具体抓落实，确保各项工作取得实效。",
            ]),
        ],
        table=[["工作任务", "责任单位", "完成时限"],
               ["开展专题调研", "各区县委统战部", f"{y}年6月"],
               ["报送工作总结", "市委统战部各处室", f"{y}年12月"]],
        textbox=f"附件：{y}年{topic}任务分解表",
        header="示例市统一战线工作资料汇编",
        date=f"{y}年{m}月{d}日",
        printed=f"中共示例市委统战部办公室 {y}年{m}月{d + 1}日印发",
    )


# ----------------------------------------------------------------------------------------------- docx
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (f'xmlns:w="{_W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" mc:Ignorable="wps"')


def _p(text: str, size: int = 32, align: str = "both", style: str | None = None, color: str | None = None,
       extra: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + f'<w:jc w:val="{align}"/>'
    rpr = f'<w:sz w:val="{size}"/>' + (f'<w:color w:val="{color}"/>' if color else "")
    run = f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f'<w:p><w:pPr>{ppr}</w:pPr>{run}{extra}</w:p>'


def _textbox_run(text: str) -> str:
    """A text box as Word writes it: DrawingML in mc:Choice, the same text again as VML in mc:Fallback."""
    inner = f'<w:txbxContent>{_p(text, 28, "left")}</w:txbxContent>'
    anchor = ('<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" '
              'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
              '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
              '<wp:positionV relativeFrom="paragraph"><wp:posOffset>360000</wp:posOffset></wp:positionV>'
              '<wp:extent cx="5400000" cy="420000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
              '<wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
              'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
              '<wps:cNvSpPr txBox="1"/>'
              '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="420000"/></a:xfrm><a:prstGeom prst="rect">'
              f'<a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>'
              '</a:graphic></wp:anchor>')
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>' + anchor + '</w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shape style="position:absolute;width:425pt;height:33pt" type="#_x0000_t202">'
            f'<v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _table(rows: list[list[str]]) -> str:
    body = "".join("<w:tr>" + "".join(f"<w:tc>{_p(c, 28, 'center')}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{body}</w:tbl>"


_STYLES = (f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32"/></w:rPr>'
           '</w:rPrDefault></w:docDefaults>'
           '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:pPr><w:jc w:val="center"/>'
           '</w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>'
           '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/>'
           '</w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style></w:styles>')


def docx_bytes(n: Notice, title_style: bool = False, extra_body: str = "") -> bytes:
    """A .docx of the notice: large-type title (or a Title style), Heading 1 headings, a table, a text box
    anchored in the salutation's paragraph, a header part, and the 落款 right-aligned."""
    body = [_p(n.banner, 72, "center", color="FF0000"), _p(n.number, 32, "center"),
            _p(n.title, 44, "center", style="Title" if title_style else None),
            _p(n.salutation, 32, "left", extra=_textbox_run(n.textbox))]
    for heading, paras in n.sections:
        body.append(_p(heading, 32, "left", style="1"))
        body.extend(_p(t) for t in paras)
        if heading.startswith("二"):
            body.append(_table(n.table))
    body += [_p(n.issuer, 32, "right"), _p(n.date, 32, "right"), _p(n.printed, 28, "left"), extra_body]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>'
                + "".join(body) + '<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/></w:sectPr>'
                + "</w:body></w:document>")
    header = f'<w:hdr {_NS}>{_p(n.header, 24, "center")}</w:hdr>'
    footer = f'<w:ftr {_NS}>{_p("- 1 -", 24, "center")}</w:ftr>'
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
            '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.footer+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdH1" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
            '<Relationship Id="rIdF1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/footer" Target="footer1.xml"/></Relationships>'),
        "word/document.xml": document,
        "word/styles.xml": _STYLES,
        "word/header1.xml": header,
        "word/footer1.xml": footer,
    }
    return _zip(files)


def _zip(files: Mapping[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------- ofd
_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
_MM_PER_PT = 25.4 / 72


class _OfdPages:
    """Places lines of text on A4 pages (mm, origin top left) as OFD TextObjects."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.y = 37.0
        self.next_id = 10

    def text(self, text: str, x: float, size_pt: float, color: str | None = None, advance: bool = True) -> None:
        size = round(size_pt * _MM_PER_PT, 2)
        if self.y + size > 270:
            self.pages.append([])
            self.y = 37.0
        fill = f'<ofd:FillColor Value="{color}"/>' if color else ""
        width = round(len(text) * size + 2, 2)
        self.pages[-1].append(
            f'<ofd:TextObject ID="{self.next_id}" Boundary="{x:.2f} {self.y:.2f} {width} {size * 1.4:.2f}" '
            f'Font="2" Size="{size}">{fill}<ofd:TextCode X="0" Y="{size:.2f}" DeltaX="g {max(len(text) - 1, 1)} '
            f'{size}">{escape(text)}</ofd:TextCode></ofd:TextObject>')
        self.next_id += 1
        if advance:
            self.y += size * 1.75

    def centred(self, text: str, size_pt: float, color: str | None = None) -> None:
        self.text(text, 105 - len(text) * size_pt * _MM_PER_PT / 2, size_pt, color)

    def paragraph(self, text: str, size_pt: float = 16, per_line: int = 26) -> None:
        """A paragraph wrapped into visual lines the way a layout engine would (two-character indent)."""
        first, rest = text[:per_line - 2], text[per_line - 2:]
        self.text(first, 28 + 2 * size_pt * _MM_PER_PT, size_pt)
        while rest:
            self.text(rest[:per_line], 28, size_pt)
            rest = rest[per_line:]

    def right(self, text: str, size_pt: float = 16) -> None:
        self.text(text, 182 - len(text) * size_pt * _MM_PER_PT, size_pt)


def ofd_bytes(n: Notice) -> bytes:
    """An .ofd of the notice laid out like a 红头文件 (see :class:`_OfdPages`), header text on each page."""
    lay = _OfdPages()
    lay.centred(n.banner, 42, "255 0 0")
    lay.centred(n.number, 16)
    lay.centred(n.title, 22)
    lay.text(n.salutation, 28, 16)
    for heading, paras in n.sections:
        lay.text(heading, 28, 16)
        for para in paras:
            lay.paragraph(para)
        if heading.startswith("二"):
            for row in n.table:
                for k, cell in enumerate(row):
                    lay.text(cell, 28 + 52 * k, 14, advance=k == len(row) - 1)
    lay.text(n.textbox, 28, 14)
    lay.right(n.issuer)
    lay.right(n.date)
    lay.text(n.printed, 28, 14)
    files: dict[str, str | bytes] = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.1" DocType="OFD">'
                   f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>tzsearch-sample</ofd:DocID><ofd:Title>{escape(n.title)}'
                   '</ofd:Title><ofd:Creator>tzsearch tools/samples.py</ofd:Creator></ofd:DocInfo>'
                   '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res">'
                               '<ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
    }
    page_refs = []
    for k, objects in enumerate(lay.pages):
        header = (f'<ofd:TextObject ID="{9000 + k}" Boundary="70 15 80 6" Font="2" Size="3.7"><ofd:TextCode X="0" '
                  f'Y="3.7">{escape(n.header)}</ofd:TextCode></ofd:TextObject>')
        files[f"Doc_0/Pages/Page_{k}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="{8000 + k}">'
            + (header if k == 0 else "") + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
        page_refs.append(f'<ofd:Page ID="{7000 + k}" BaseLoc="Pages/Page_{k}/Content.xml"/>')
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData><ofd:MaxUnitID>9999'
        '</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
        '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>' + "".join(page_refs)
        + "</ofd:Pages></ofd:Document>")
    return _zip(files)


def scan_lines(n: Notice, per_line: int = 28) -> list[tuple[str, int, str]]:
    """The notice as ``(text, size px, align)`` lines for :func:`tools.pdfgen.scan_image` (paragraphs wrapped
    at ``per_line`` characters, the table's cells spaced apart, no header or text box)."""
    out = [(n.banner, 62, "center"), (n.number, 30, "center"), (n.title, 42, "center"), (n.salutation, 30, "left")]
    for heading, paras in n.sections:
        out.append((heading, 30, "left"))
        for para in paras:
            out.extend((para[k:k + per_line], 30, "left") for k in range(0, len(para), per_line))
        if heading.startswith("二"):
            out.extend(("    ".join(row), 28, "left") for row in n.table)
    out += [(n.issuer, 30, "right"), (n.date, 30, "right"), (n.printed, 26, "left")]
    return out


def ofd_scan_bytes(jpeg: bytes | None) -> bytes:
    """A one-page .ofd as a scanning system writes it: the page is one ImageObject of ``jpeg`` (a
    MultiMedia resource in DocumentRes.xml). With ``jpeg=None`` the page draws only a path instead."""
    if jpeg is not None:
        drawing = ('<ofd:ImageObject ID="20" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="11"/>')
    else:
        drawing = ('<ofd:PathObject ID="20" Boundary="20 20 100 20" LineWidth="0.5"><ofd:AbbreviatedData>'
                   'M 0 0 L 100 0 L 100 20 C</ofd:AbbreviatedData></ofd:PathObject>')
    files: dict[str, str | bytes] = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.1" DocType="OFD">'
                   '<ofd:DocBody><ofd:DocInfo><ofd:DocID>tzsearch-scan</ofd:DocID></ofd:DocInfo>'
                   '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData><ofd:MaxUnitID>99'
            '</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
            '<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>'
            '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'),
        "Doc_0/DocumentRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res"><ofd:MultiMedias>'
            '<ofd:MultiMedia ID="11" Type="Image" Format="JPEG"><ofd:MediaFile>image_11.jpg</ofd:MediaFile>'
            '</ofd:MultiMedia></ofd:MultiMedias></ofd:Res>'),
        "Doc_0/Pages/Page_0/Content.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="2">'
            f'{drawing}</ofd:Layer></ofd:Content></ofd:Page>'),
    }
    if jpeg is not None:
        files["Doc_0/Res/image_11.jpg"] = jpeg
    return _zip(files)
