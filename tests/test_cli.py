"""The command line, driven through ``main([...])``: exit codes, formats, config, stdin."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from markings.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch directory with the two example memos, as the working directory."""
    for name in ("memo-correct.txt", "memo-mismarked.txt"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    # Roll-up rules only: other rule families evolve independently of the CLI.
    (tmp_path / "pyproject.toml").write_text('[tool.markings]\nselect = ["MK0", "MK1", "MK9"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def _codes_json(out: str) -> list[tuple[str, str, int]]:
    return [(f["path"], f["code"], f["line"]) for f in json.loads(out)]


@pytest.mark.parametrize("argv,code", [
    (["check", "memo-correct.txt"], 0),
    (["check", "memo-mismarked.txt"], 1),
    (["memo-mismarked.txt"], 1),  # check is the default command
    (["check", "memo-mismarked.txt", "--exit-zero"], 0),
    (["check", "memo-mismarked.txt", "--ignore", "MK101"], 0),
    (["check", "memo-mismarked.txt", "--select", "MK9"], 0),
    (["check", "missing.txt"], 1),
    (["check", "memo-mismarked.txt", "--select", "MK999"], 2),
    (["check", "memo-mismarked.txt", "--output-format", "xml"], 2),
    (["check", "memo-mismarked.txt", "--baseline", "nope.json"], 2),
    (["rule", "no-such-rule"], 2),
    (["--version"], 0),
])
def test_exit_codes(work: Path, argv: list[str], code: int,
                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code


def test_mismarked_memo_reports_the_banner(work: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ".", "--output-format", "json", "-j", "1"]) == 1
    found = _codes_json(capsys.readouterr().out)
    assert ("memo-mismarked.txt", "MK101", 1) in found
    assert all(p == "memo-mismarked.txt" for p, _, _ in found)


def test_full_output_footer_and_no_prose(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "memo-mismarked.txt", "--no-color"])
    out = capsys.readouterr().out
    assert "memo-mismarked.txt:1:1: MK101" in out
    assert "^^^^^^^^^^^^" in out
    assert "relocation schedule" not in out
    assert out.rstrip().splitlines()[-1].startswith("Found ")
    assert "\x1b[" not in out


def test_unreadable_file_does_not_stop_the_batch(work: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "missing.txt", "memo-mismarked.txt", "--output-format", "json"]) == 1
    found = _codes_json(capsys.readouterr().out)
    assert ("missing.txt", "MK001", 1) in found
    assert any(c == "MK101" for _, c, _ in found)


def test_results_do_not_depend_on_jobs(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(6):
        shutil.copy(work / "memo-mismarked.txt", work / f"copy{i}.txt")
    main(["check", ".", "--output-format", "json", "-j", "1"])
    serial = capsys.readouterr().out
    main(["check", ".", "--output-format", "json", "-j", "3"])
    assert capsys.readouterr().out == serial


def test_fail_on_warning_and_statistics(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md = work / "note.md"
    md.write_text("<!-- markings: disable-next-line MK101 -- approved -->\n\nUNCLASSIFIED\n")
    assert main(["check", "note.md", "--select", "MK101,MK9", "--output-format", "concise"]) == 0
    assert "MK901" in capsys.readouterr().out
    assert main(["check", "note.md", "--select", "MK101,MK9", "--fail-on", "warning"]) == 1
    capsys.readouterr()
    main(["check", "note.md", "--select", "MK101,MK9", "--statistics"])
    assert capsys.readouterr().out.splitlines()[0] == "1  MK901  unused-suppression"


def test_stdin_and_stdin_filename(work: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    data = (work / "memo-mismarked.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "-", "--stdin-filename", "draft.txt", "--output-format",
                 "concise"]) == 1
    assert capsys.readouterr().out.startswith("draft.txt:1:1: MK101 ")


def test_force_exclude_applies_to_explicit_paths(work: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (work / "pyproject.toml").write_text(
        '[tool.markings]\nselect = ["MK1"]\nextend-exclude = ["memo-mismarked.txt"]\n')
    assert main(["check", "memo-mismarked.txt"]) == 1
    assert main(["check", "memo-mismarked.txt", "--force-exclude"]) == 0
    assert main(["check", "."]) == 0


def test_config_error_exits_2_and_names_the_key(work: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (work / "pyproject.toml").write_text('[tool.markings]\nignroe = ["MK101"]\n')
    assert main(["check", "memo-correct.txt"]) == 2
    assert "unknown key `ignroe`" in capsys.readouterr().err


def test_output_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "memo-mismarked.txt", "--output-format", "sarif",
                 "--output-file", "out.sarif"]) == 1
    assert capsys.readouterr().out == ""
    log = json.loads((work / "out.sarif").read_text())
    assert log["runs"][0]["results"][0]["ruleId"] == "MK101"


def test_baseline_command_then_only_new_findings(work: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "."]) == 0
    data = json.loads((work / ".markings-baseline.json").read_text())
    assert any(e["code"] == "MK101" for e in data["findings"])
    assert main(["check", ".", "--baseline", ".markings-baseline.json"]) == 0
    # Moving the marking down keeps it known; a new file is new.
    text = (work / "memo-mismarked.txt").read_text()
    (work / "memo-mismarked.txt").write_text("\n\n" + text)
    assert main(["check", ".", "--baseline", ".markings-baseline.json"]) == 0
    shutil.copy(work / "memo-mismarked.txt", work / "another.txt")
    assert main(["check", ".", "--baseline", ".markings-baseline.json"]) == 1


def test_inspect_json_lines(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "memo-correct.txt", "--output-format", "json-lines"]) == 0
    (obj,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert obj["path"] == "memo-correct.txt"
    assert obj["overall"] == "SECRET//NOFORN" and obj["rollup"] == "SECRET//NOFORN"
    assert obj["banners"][0]["text"] == "SECRET//NOFORN" and obj["banners"][0]["line"] == 1
    marked = [p for p in obj["portions"] if p["text"]]
    assert [p["text"] for p in marked] == ["(U)", "(U)", "(S//NF)", "(C)"]
    assert [p["kind"] for p in marked][0] == "subject"
    assert [p["canonical"] for p in marked] == ["(U)", "(U)", "(S//NF)", "(C)"]
    assert obj["authority"]["derived_from"].startswith("Logistics Security Classification Guide")
    assert obj["authority"]["declassify_on"]["date"] == "2049-03-01"


def test_rules_rule_and_config(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "MK901  unused-suppression" in capsys.readouterr().out
    assert main(["rule", "mk901"]) == 0
    assert capsys.readouterr().out.startswith("# MK901 unused-suppression")
    assert main(["rule", "unused-suppression", "--output-format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == "MK901"
    assert main(["config", "--ignore", "MK904", "--output-format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ignore"] == [] and shown["command-line"] == {
        "select": None, "extend-select": [], "ignore": ["MK904"]}
    assert main(["config"]) == 0
    assert capsys.readouterr().out.startswith("[tool.markings]\n")


def test_never_writes_checked_files(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    main(["check", ".", "--statistics"])
    assert {p.name: p.read_bytes() for p in work.iterdir()} == before
