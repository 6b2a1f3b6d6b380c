"""Write the shipped office-format samples of ``corpus/`` (run by hand; CI never needs it).

    python -m tools.make_samples corpus

.docx and .ofd are written by :mod:`tools.samples` itself; the scanned PDF by :mod:`tools.pdfgen` (Pillow
and a CJK font: Debian's fonts-noto-cjk); .doc, .wps, .pdf, .rtf, .xlsx and .xls are converted from those
with LibreOffice (Debian's ``libreoffice-writer-nogui`` and ``libreoffice-calc-nogui``, installed as root
for this script only). The .wps sample is the Word 97 binary under WPS Office's name: WPS writes its .wps
files in that compound-document format. Every text is synthetic (示例市, a city that does not exist).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from tools.pdfgen import cjk_font, image_pdf, jpeg, scan_image
from tools.samples import docx_bytes, notice, ofd_bytes, scan_lines

#: (file name stem, topic, 发文字号, date) of each notice sample.
NOTICES = {
    "docx": ("sample_2023_ethnic_religious_notice", "民族宗教工作", "示统发〔2023〕5号", "2023-03-15"),
    "doc": ("sample_2023_nonparty_representatives_notice", "党外代表人士队伍建设工作", "示统发〔2023〕9号",
            "2023-04-10"),
    "wps": ("sample_2023_hk_macao_taiwan_overseas_notice", "港澳台海外统战工作", "示统发〔2023〕14号", "2023-06-08"),
    "pdf": ("sample_2023_private_economy_notice", "非公有制经济人士统战工作", "示统发〔2023〕21号", "2023-09-12"),
    "scan.pdf": ("sample_2024_nonparty_intellectuals_notice_scanned", "党外知识分子工作", "示统发〔2024〕12号",
                 "2024-05-20"),
    "ofd": ("sample_2024_new_social_strata_notice", "新的社会阶层人士统战工作", "示统发〔2024〕3号", "2024-02-26"),
    "rtf": ("sample_2024_united_front_theory_notice", "统一战线理论政策宣传工作", "示统发〔2024〕7号", "2024-03-18"),
}
#: Spreadsheets: (file name stem, sheet name, rows); the first row is the sheet's title.
SHEETS = {
    "xlsx": ("sample_2023_united_front_task_statistics", "重点工作任务", [
        ["2023年示例市统一战线重点工作任务统计表"],
        ["序号", "工作任务", "责任单位", "完成情况"],
        ["1", "民族团结进步创建", "民族宗教处", "已完成"],
        ["2", "党外代表人士培训", "干部处", "已完成"],
        ["3", "非公有制经济人士理想信念教育", "经济处", "推进中"],
        ["4", "新的社会阶层人士联谊活动", "新阶层处", "已完成"]]),
    "xls": ("sample_2024_nonparty_training_plan", "培训计划", [
        ["2024年示例市党外代表人士培训计划表"],
        ["班次", "培训对象", "人数", "时间"],
        ["第一期", "民主党派新任领导班子成员", "45", "2024年4月"],
        ["第二期", "党外知识分子骨干", "60", "2024年7月"],
        ["第三期", "新的社会阶层代表人士", "50", "2024年10月"]]),
}


def _soffice(src: Path, target: str, out_dir: Path, infilter: str | None = None) -> Path:
    tool = shutil.which("soffice") or shutil.which("libreoffice")
    if tool is None:
        raise SystemExit("LibreOffice is needed for .doc/.pdf/.rtf/.xls samples: "
                         "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    argv = [tool, "--headless", "--norestore"] + ([f"--infilter={infilter}"] if infilter else [])
    subprocess.run([*argv, "--convert-to", target, "--outdir", str(out_dir), str(src)], check=True,
                   capture_output=True, timeout=300)
    return out_dir / f"{src.stem}.{target.split(':')[0]}"


def make(out: Path) -> list[Path]:
    """Write every sample into ``out``; returns the files written."""
    written = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for fmt, (stem, topic, number, date) in NOTICES.items():
            n = notice(topic, number, date)
            target = out / f"{stem}.{fmt.split('.')[-1]}"
            if fmt == "ofd":
                target.write_bytes(ofd_bytes(n))
            elif fmt == "scan.pdf":
                font = cjk_font()
                if font is None:
                    raise SystemExit("a CJK font is needed for the scanned sample: apt-get install fonts-noto-cjk")
                target.write_bytes(image_pdf([jpeg(scan_image(scan_lines(n), font), quality=70)]))
            else:
                docx = tmp / f"{stem}.docx"
                docx.write_bytes(docx_bytes(n))
                if fmt == "docx":
                    shutil.copy(docx, target)
                else:
                    converted = _soffice(docx, {"wps": "doc"}.get(fmt, fmt), tmp)
                    shutil.copy(converted, target)
            written.append(target)
        for fmt, (stem, sheet, rows) in SHEETS.items():
            csv = tmp / f"{sheet}.csv"  # LibreOffice names the sheet after the file
            csv.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
            shutil.copy(_soffice(csv, fmt, tmp, infilter="CSV:44,34,76,1"), out / f"{stem}.{fmt}")
            csv.unlink()
            written.append(out / f"{stem}.{fmt}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the samples into (corpus)")
    for path in make(parser.parse_args().out):
        print(f"{path}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
