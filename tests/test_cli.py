"""The command line, driven through ``main([...])``: exit codes, formats, config, stdin."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    assert obj["authority"]["derived_from"]["text"].startswith(
        "Logistics Security Classification Guide")
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
    assert capsys.readouterr().out.startswith(
        f"# source: {work / 'pyproject.toml'}\n# relative paths resolve against: {work}\n"
        "[tool.markings]\n")


def test_never_writes_checked_files(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    main(["check", ".", "--statistics"])
    assert {p.name: p.read_bytes() for p in work.iterdir()} == before



# --- progress bar ---------------------------------------------------------------------------

class _Tty(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("stdin_tty,environ,want", [
    (True, {}, True),
    (True, {"PRE_COMMIT": "1"}, False),  # a pre-commit hook, even on a pseudo-terminal
    (False, {}, False),  # input piped or closed: nobody is watching a terminal
    (False, {"PRE_COMMIT": "1"}, False),
])
def test_no_progress_bar_inside_pre_commit_or_without_a_terminal_on_stdin(
        stdin_tty: bool, environ: dict[str, str], want: bool) -> None:
    import argparse

    from markings.cli import progress_wanted

    args = argparse.Namespace(quiet=False, output_file=None, statistics=False)
    assert progress_wanted(args, "full", _Tty(True), _Tty(True), _Tty(stdin_tty),
                           environ) is want


def test_progress_reads_pre_commit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from markings.cli import progress_wanted

    args = argparse.Namespace(quiet=False, output_file=None, statistics=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert progress_wanted(args, "full", _Tty(True), _Tty(True), _Tty(True))
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert not progress_wanted(args, "full", _Tty(True), _Tty(True), _Tty(True))


# --- internal errors ------------------------------------------------------------------------

@pytest.fixture()
def crashing_rule() -> Iterator[str]:
    """A registered rule that always raises (code MK199, selected by the `work` config)."""
    from markings import registry

    registry.all_rules()

    @registry.rule("MK199", "always-crashes-for-tests", "warning")
    def always_crashes(doc, ctx):  # type: ignore[no-untyped-def]
        """Raises, to test internal-error handling."""
        raise KeyError("boom")

    try:
        yield "MK199"
    finally:
        del registry._RULES["MK199"]
        registry._SORTED.clear()
        registry._VERSION += 1


@pytest.mark.parametrize("extra", [[], ["--exit-zero"], ["--fail-on", "info"],
                                   ["--output-format", "json"]])
def test_a_crashing_rule_exits_2_whatever_the_options(
        work: Path, crashing_rule: str, extra: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "memo-correct.txt", "-j", "1", *extra]) == 2
    out = capsys.readouterr()
    assert "MK009" in out.out and "MK199" in out.out  # reported as a finding, too
    assert "1 internal error (MK009)" in out.err


def test_baseline_never_records_internal_errors(work: Path, crashing_rule: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "memo-mismarked.txt", "-j", "1"]) == 2
    data = json.loads((work / ".markings-baseline.json").read_text())
    codes = {e["code"] for e in data["findings"]}
    assert "MK101" in codes and "MK009" not in codes
    # ... so with that baseline the crash still fails the check
    assert main(["check", "memo-mismarked.txt", "-j", "1", "--output-format", "json",
                 "--baseline", ".markings-baseline.json"]) == 2
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["MK009"]


# --- markings config ------------------------------------------------------------------------

def test_config_names_its_source_and_writes_the_source_kind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    from markings.configfile import validate_table

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".markings.toml").write_text(
        'select = ["MK1"]\n[settings]\ncompilation = true\n'
        '[per-file-ignores]\n"drafts/*.md" = ["MK101"]\n'
        '[rules.marker-length-leak]\nfixed-length = 12\n')
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:2] == [f"# source: {tmp_path / '.markings.toml'}",
                         f"# relative paths resolve against: {tmp_path}"]
    assert "[tool.markings]" not in out
    table = tomllib.loads(out)  # what it prints is a valid .markings.toml
    assert validate_table(table, "shown").settings.compilation is True
    assert table["per-file-ignores"] == {"drafts/*.md": ["MK101"]}
    assert table["rules"] == {"marker-length-leak": {"fixed-length": 12}}

    assert main(["config", "--output-format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["source"] == str(tmp_path / ".markings.toml")
    assert shown["root"] == str(tmp_path)

    assert main(["config", "--isolated"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# source: defaults\n# relative paths resolve against: {tmp_path}\n")
    assert "\n[tool.markings]\n" in out
    assert tomllib.loads(out)["tool"]["markings"]["select"] == []


# --- help and usage errors ------------------------------------------------------------------

def _subparsers() -> dict[str, Any]:
    from markings.cli import build_parser

    return build_parser().parse_args(["rules"])._parsers  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", ["check", "inspect", "rules", "rule", "config", "baseline",
                                  "index", "index build"])
def test_every_subcommand_and_option_has_help(name: str) -> None:
    import argparse

    p = _subparsers()[name]
    assert p.description, name
    missing = [a.dest for a in p._actions
               if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
               and not a.help]
    assert missing == [], (name, missing)


@pytest.mark.parametrize("argv,usage", [
    (["rules", "--foo"], "usage: markings rules "),
    (["config", "--bar"], "usage: markings config "),
    (["baseline", "--nope"], "usage: markings baseline "),
    (["index", "build", "x", "--db", "y", "--zzz"], "usage: markings index build "),
])
def test_each_subcommand_reports_its_own_usage_errors(
        work: Path, argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(usage) and "unrecognized arguments" in err


@pytest.mark.parametrize("argv,codes", [
    (["rules", "MK90"], ["MK901", "MK902", "MK903", "MK904"]),
    (["rules", "MK901", "rollup-noforn"], ["MK103", "MK901"]),
    (["rules", "--output-format", "json", "mk90"], ["MK901", "MK902", "MK903", "MK904"]),
])
def test_rules_takes_selectors(work: Path, argv: list[str], codes: list[str],
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    got = [r["code"] for r in json.loads(out)] if "json" in argv else \
        [line.split()[0] for line in out.splitlines()]
    assert got == codes


@pytest.mark.parametrize("argv,needle", [
    (["rules", "MKX"], "unknown rule selector `MKX`"),
    (["rule", "rollup-class-mx"], "unknown rule `rollup-class-mx` (did you mean "
                                  "`rollup-class-max`"),
    (["rule", "MK10"], "a prefix of 9 rules: see `markings rules MK10`"),
])
def test_unknown_rules_get_suggestions(work: Path, argv: list[str], needle: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert needle in capsys.readouterr().err


def test_a_mistyped_command_is_a_usage_error(work: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek", "memo-correct.txt"]) == 2
    err = capsys.readouterr().err
    assert "unknown command `chek` (did you mean `check`?)" in err and "MK001" not in err
    (work / "chek").write_text("SECRET\n")  # an existing path is a path, whatever its name
    assert main(["chek", "--output-format", "concise"]) == 0
    assert "All checks passed (1 file checked)." in capsys.readouterr().out
    assert main(["missing.txt"]) == 1  # not close to a command: a missing file (MK001)


# --- --statistics ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,code", [("sarif", 2), ("github", 2), ("gitlab", 2), ("junit", 2),
                                      ("json", 1), ("json-lines", 1), ("concise", 1)])
def test_statistics_only_where_counts_fit(work: Path, fmt: str, code: int,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "memo-mismarked.txt", "--statistics", "--output-format", fmt]) == code
    out = capsys.readouterr()
    if code == 2:
        assert out.out == ""
        assert f"--statistics is not available with --output-format {fmt}" in out.err


# --- one file under two spellings -----------------------------------------------------------

def test_a_file_given_twice_is_checked_once(work: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (work / "link").symlink_to(work, target_is_directory=True)
    assert main(["check", "memo-mismarked.txt", "--output-format", "json", "-j", "1"]) == 1
    once = json.loads(capsys.readouterr().out)
    assert once
    spellings = ["memo-mismarked.txt", str(work / "memo-mismarked.txt"),
                 f"../{work.name}/memo-mismarked.txt", "link/memo-mismarked.txt"]
    assert main(["check", *spellings, "--output-format", "json", "-j", "1"]) == 1
    assert json.loads(capsys.readouterr().out) == once
    assert main(["check", *spellings[::-1], "--show-files"]) == 0
    assert capsys.readouterr().out == "link/memo-mismarked.txt\n"  # the first spelling
