"""Issue 20: an import reads what lies in the imported folder and nothing else, and files it under a name that
can be one. A symbolic link out of the folder (to /etc/passwd, say) is a skip with its reason unless
``--follow-symlinks`` is given; a link inside the folder is read; a loop of links ends. ``--collection ..``, a
name with '/', control characters or broken Unicode is refused with a clear message; a file whose name is not
valid UTF-8 is a skip and the summary can still be printed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_files import notice_with_names

from indexer.cli.main import main
from indexer.index.importer import collection_refusal, import_paths

SECRET = "关于表彰保密人员等同志的通知\n各单位：经研究决定，对保密人员同志予以表彰。这是导入文件夹之外的一份文件，绝不应被检索到。\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "more" / "also_secret.txt").write_text(SECRET.replace("保密人员", "另一保密人员"), encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(notice_with_names("张三和李四"), encoding="utf-8")
    (docs / "sub" / "b.txt").write_text(notice_with_names("王五和赵六"), encoding="utf-8")
    (docs / "passwd.txt").symlink_to(outside / "secret.txt")
    (docs / "elsewhere").symlink_to(outside / "more", target_is_directory=True)
    (docs / "same_as_b.txt").symlink_to(docs / "sub" / "b.txt")
    (docs / "sub" / "loop").symlink_to(docs, target_is_directory=True)
    return docs


def import_json(args: list[str], capsys) -> dict:
    assert main(["import", *args, "--json", "--procs", "1"]) == 0
    return json.loads(capsys.readouterr().out)


def test_links_out_of_the_folder_are_skipped_with_their_reason(folder: Path, tmp_path: Path, capsys) -> None:
    out = import_json([str(folder), "--index", str(tmp_path / "index")], capsys)
    reasons = {Path(s["path"]).name: s["reason"] for s in out["skipped"]}
    assert reasons == {
        "passwd.txt": "symbolic link to a file outside the imported folder: not followed (--follow-symlinks imports it)",
        "elsewhere": "symbolic link to a folder outside the imported folder: not followed (--follow-symlinks follows it)",
    }
    assert out["documents"] == 3, "a.txt, sub/b.txt and the link to it inside the folder"
    assert main(["search", "保密人员", "--index", str(tmp_path / "index"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_follow_symlinks_reads_them_and_a_loop_ends(folder: Path, tmp_path: Path, capsys) -> None:
    out = import_json([str(folder), "--index", str(tmp_path / "index"), "--follow-symlinks"], capsys)
    assert out["skipped"] == [] and out["documents"] == 5
    assert main(["search", "保密人员", "--index", str(tmp_path / "index"), "--json"]) == 0
    ids = {h["doc_id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert ids == {"docs/passwd.txt", "docs/elsewhere/also_secret.txt"}


@pytest.mark.parametrize("name", ["..", ".", "a/b", "a\\b", " padded", "", "tab\there", "x" * 201])
def test_collection_names_that_cannot_be_one_are_refused(folder: Path, tmp_path: Path, name: str, capsys) -> None:
    assert main(["import", str(folder), "--index", str(tmp_path / "index"), "--collection", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("import: --collection ") and ("collection's name" in err or "not a collection" in err)
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("name", ["a\x00b", "a\ud800b", "a\x85b"])
def test_names_no_command_line_can_carry_are_refused_too(name: str) -> None:
    assert collection_refusal(name)
    assert collection_refusal("统战文件 2024") is None and collection_refusal("reports-v2.1") is None


def test_a_file_name_that_is_not_utf8_is_a_skip_and_the_summary_prints(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(notice_with_names("张三和李四"), encoding="utf-8")
    with open(os.path.join(os.fsencode(docs), b"\xff\xfe_gbk_\xcd\xb3\xd5\xbd.txt"), "wb") as fh:
        fh.write(notice_with_names("王五和赵六").encode())
    assert main(["import", str(docs), "--index", str(tmp_path / "index"), "--procs", "1"]) == 0
    out = capsys.readouterr().out
    assert "imported 1 documents" in out and "1 skipped" in out
    assert "_gbk_" in out and "the file's name is not valid UTF-8 (rename it to import it)" in out
    summary = import_paths([docs], tmp_path / "index")
    assert summary.unchanged == 1 and len(summary.skipped) == 1


def test_two_folders_of_one_name_do_not_overwrite_each_other(tmp_path: Path, capsys) -> None:
    """2020/reports and 2021/reports imported together give their files the same ids: one document used to
    replace the other without a word, a different one winning at each import. The first is imported, the
    other is a skip with the reason, and importing again changes nothing."""
    a, b = tmp_path / "2020" / "reports", tmp_path / "2021" / "reports"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    (a / "doc.txt").write_text(notice_with_names("张三和李四"), encoding="utf-8")
    (b / "doc.txt").write_text(notice_with_names("王五和赵六"), encoding="utf-8")
    index = tmp_path / "index"
    assert main(["import", str(a), str(b), "--index", str(index), "--procs", "1"]) == 0
    out = capsys.readouterr().out
    assert "imported 1 documents" in out and "1 skipped" in out
    assert "also the id of" in out and "--collection" in out
    again = import_paths([a, b], index)
    assert (again.unchanged, again.replaced, len(again.skipped)) == (1, 0, 1)
    both = import_paths([b], index, collection="reports2021")  # each under a name of its own: both kept
    assert both.documents == 1 and not both.skipped


def test_a_file_named_with_its_folder_is_imported_once(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(notice_with_names("张三和李四"), encoding="utf-8")
    alone = import_paths([docs], tmp_path / "one")
    twice = import_paths([docs / "a.txt", docs], tmp_path / "two")
    assert (twice.files, twice.sections, twice.skipped) == (1, alone.sections, [])


def test_a_file_name_with_a_line_break_is_a_skip_on_one_line(tmp_path: Path, capsys) -> None:
    """No address can name a page whose id holds a line break: such a name is refused with its reason, and the
    summary shows it escaped, on one line."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(notice_with_names("张三和李四"), encoding="utf-8")
    (docs / "b\nc.txt").write_text(notice_with_names("王五和赵六"), encoding="utf-8")
    assert main(["import", str(docs), "--index", str(tmp_path / "index"), "--procs", "1"]) == 0
    out = capsys.readouterr().out
    assert "imported 1 documents" in out and "1 skipped" in out
    assert "b\\nc.txt: the file's name holds a line break" in out
