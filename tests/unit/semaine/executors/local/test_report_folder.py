import json
from pathlib import Path

import pytest

from semaine.executors.local.report_folder import MANIFEST, ReportFolderError, claim, recorded


def test_a_run_clears_what_the_earlier_run_recorded_and_nothing_else(tmp_path: Path) -> None:
    claim(tmp_path, ["lint", "typecheck", "summary.json"])
    for name in ("lint", "typecheck"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_text("{}", encoding="utf-8")
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    claim(tmp_path, ["lint", "summary.json"])
    assert sorted(path.name for path in tmp_path.iterdir()) == [MANIFEST, "notes.txt"]
    assert recorded(tmp_path) == {"lint", "summary.json"}


def test_a_path_no_run_wrote_makes_the_run_refuse_having_changed_nothing(tmp_path: Path) -> None:
    claim(tmp_path, ["lint"])
    (tmp_path / "lint").mkdir()
    (tmp_path / "test").mkdir()  # the user's own folder, named like a stage
    before = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    with pytest.raises(ReportFolderError, match=r"test was not written by a semaine run"):
        claim(tmp_path, ["test"])
    assert (tmp_path / "lint").is_dir()
    assert (tmp_path / "test").is_dir()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == before


def test_a_recorded_link_is_removed_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine", encoding="utf-8")
    reports = tmp_path / "reports"
    claim(reports, ["lint"])
    (reports / "lint").symlink_to(elsewhere)
    claim(reports, ["typecheck"])
    assert not (reports / "lint").exists()
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "mine"


def test_a_manifest_never_reaches_outside_its_folder(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "sibling").mkdir()
    paths = ["../sibling", "..", ".", "a/b", MANIFEST, "lint", 3]
    (reports / MANIFEST).write_text(json.dumps({"paths": paths}), encoding="utf-8")
    assert recorded(reports) == {"lint"}
    claim(reports, ["lint"])
    assert (tmp_path / "sibling").is_dir()


def test_an_unreadable_manifest_records_nothing(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("not json", encoding="utf-8")
    assert recorded(tmp_path) == frozenset()


def test_a_plain_file_as_report_folder_is_refused_having_changed_nothing(tmp_path: Path) -> None:
    plain = tmp_path / "afile"
    plain.write_text("mine", encoding="utf-8")
    with pytest.raises(ReportFolderError, match=r"afile is a file, not a folder"):
        claim(plain, ["lint"])
    with pytest.raises(ReportFolderError, match=r"afile/sub cannot be used: Not a directory"):
        claim(plain / "sub", ["lint"])
    assert plain.read_text(encoding="utf-8") == "mine"
