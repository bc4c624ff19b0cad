"""Bad input is handled the same way whatever the document comes from: a file, standard
input (bytes), or a string given to ``check_text``; byte-order marks and the Windows-1252
fallback (MK005); the continuation headers in ``markings inspect``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import markings
from markings.cli import main
from markings.config import Config
from markings.engine import check_bytes, check_file
from markings.read import ReadError, read_bytes, read_path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
SEED_003 = ROOT.parent / "shared" / "seeds" / "003_3b1547b6c56543c1.txt"

MEMO = ("CONFIDENTIAL//NOFORN\n\n"
        "SUBJECT: (U) Caf\u00e9 \u2013 Schedule \u00a7 2\n\n"
        "(S//NF) The vessel enters on the second day.\n\n"
        "(C) The harbour master\u2019s deputy knows the window.\n\n"
        "CONFIDENTIAL//NOFORN\n")
ROLLUP = Config(select=["MK0", "MK1"], today=markings.Config().today)


def _found(findings: list[markings.Finding]) -> list[tuple[str, int, int, int, int, str]]:
    return [(f.code, f.line, f.column, f.end_line, f.end_column, f.message) for f in findings]


# --- check_text and check_bytes: the same MK002 / MK003 / MK004 as a file ------------------

@pytest.mark.parametrize(("text", "code", "message"), [
    ("", "MK004", "The input is empty. Check the file's contents and encoding."),
    (" \n\t\n", "MK004", "The input contains no text. Check the file's contents and encoding."),
    ("\x00" * 5000, "MK002", "The input looks binary (NUL characters), not a text document. "
                             "Exclude the file, or convert it to a supported format."),
    ("SECRET" + "\x01\x02\x03" * 100, "MK002",
     "The input looks binary (mostly control characters), not a text document. Exclude the "
     "file, or convert it to a supported format."),
])
def test_check_text_bad_input(text: str, code: str, message: str) -> None:
    rep = markings.check_text(text, "draft.txt")
    assert [(f.code, f.path, f.line, f.column, f.message) for f in rep.findings] == [
        (code, "draft.txt", 1, 1, message)]


def test_check_text_oversized() -> None:
    rep = markings.check_text("(U) caf\u00e9\n" * 11, config=Config(max_file_size=100))
    assert [(f.code, f.message) for f in rep.findings] == [
        ("MK003", "The input is 110 bytes, larger than the limit of 100 bytes; raise "
                  "max-file-size to check it.")]
    # counted in UTF-8 bytes, not characters: 10 characters, 20 bytes
    assert markings.check_text("\u00e9" * 10, config=Config(max_file_size=19)).findings[0].code \
        == "MK003"


def test_check_text_clean_input_is_not_an_input_finding() -> None:
    codes = {f.code for f in markings.check_text(MEMO, config=ROLLUP).findings}
    assert codes == {"MK101"}


@pytest.mark.parametrize(("data", "code"), [
    (b"", "MK004"),
    (b"  \r\n\n", "MK004"),
    (b"\xef\xbb\xbf", "MK004"),  # a byte-order mark and nothing else
    (b"\x00" * 5000, "MK002"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "MK002"),
    (b"\xff\xfe" + "\x01\x02\x03\x00".encode("utf-16-le") * 50, "MK002"),  # binary in UTF-16
    (b"\xff\xfeS\x00E", "MK004"),  # a UTF-16 mark, then an odd number of bytes
])
def test_check_bytes_bad_input(data: bytes, code: str) -> None:
    (f,) = check_bytes(data, "<stdin>").findings
    assert (f.code, f.path, f.severity.value) == (code, "<stdin>", "error")
    with pytest.raises(ReadError) as exc:
        read_bytes(data)
    assert exc.value.code == code


def test_check_bytes_oversized() -> None:
    (f,) = check_bytes(b"(U) x\n" * 100, config=Config(max_file_size=100)).findings
    assert f.code == "MK003"


# --- byte-order marks: decoded, positions right -------------------------------------------

@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8-sig"),
    lambda t: t.encode("utf-16"),                      # BOM + little endian
    lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    lambda t: t.encode("utf-32"),
    lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"),
    lambda t: t.replace("\n", "\r\n").encode("utf-16"),
], ids=["utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16-crlf"])
def test_byte_order_marks_decode_with_the_same_positions(tmp_path: Path, encode: object) -> None:
    data = encode(MEMO)  # type: ignore[operator]
    f = tmp_path / "memo.txt"
    f.write_bytes(data)
    src = read_path(f)
    assert src.original.replace("\r\n", "\n") == MEMO
    assert any("byte-order mark" in n for n in src.notes)
    plain = tmp_path / "plain.txt"
    plain.write_text(MEMO, encoding="utf-8")
    want = _found(check_file(plain, config=ROLLUP).findings)
    assert [w[0] for w in want] == ["MK101"]
    assert _found(check_file(f, config=ROLLUP).findings) == want
    assert _found(check_bytes(data, str(plain), config=ROLLUP).findings) == want
    doc, ref = markings.inspect_file(f), markings.inspect_file(plain)
    assert [(p.mark.text, p.mark.span.line, p.mark.span.column) for p in doc.portions if p.mark] \
        == [(p.mark.text, p.mark.span.line, p.mark.span.column) for p in ref.portions if p.mark]


def test_utf16_file_is_not_binary_in_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "memo.txt").write_bytes(MEMO.encode("utf-16"))
    assert main(["check", "--isolated", "--select", "MK0,MK101", "memo.txt"]) == 1
    out = capsys.readouterr().out
    assert "MK002" not in out
    assert "memo.txt:1:1: MK101 " in out
    # the excerpt under the finding is the decoded banner, not UTF-16 bytes read as UTF-8
    assert "    1 | CONFIDENTIAL//NOFORN\n      | ^^^^^^^^^^^^^^^^^^^^\n" in out


# --- not UTF-8: read as Windows-1252, reported as MK005 ------------------------------------

def test_fallback_encoding_finding(tmp_path: Path) -> None:
    data = MEMO.encode("cp1252")
    offset = MEMO.encode("cp1252").index(b"\xe9")  # the first byte that is not UTF-8
    f = tmp_path / "memo.txt"
    f.write_bytes(data)
    cfg = Config(select=["MK005"])
    want = [("MK005", 3, 17, 3, 18,  # "SUBJECT: (U) Caf" is 16 characters
             f"The file is not valid UTF-8 (first invalid byte at byte offset {offset}); it was "
             "read as Windows-1252 (cp1252). Re-save it as UTF-8.")]
    assert _found(check_file(f, config=cfg).findings) == want
    assert _found(check_bytes(data, "x.txt", config=cfg).findings) == want
    (finding,) = check_file(f, config=cfg).findings
    assert finding.severity.value == "info" and finding.name == "input-fallback-encoding"
    assert read_path(f).original == MEMO
    # a UTF-8 byte-order mark is not counted in the text: the column stays right
    (bom,) = check_bytes(b"\xef\xbb\xbf" + data, config=cfg).findings
    assert (bom.line, bom.column) == (3, 17) and f"byte offset {offset + 3})" in bom.message
    # valid UTF-8 (and the UTF-16 mark) gives no MK005
    assert check_bytes(MEMO.encode(), config=cfg).findings == []
    assert check_bytes(MEMO.encode("utf-16"), config=cfg).findings == []


def test_fallback_to_latin1_when_not_cp1252() -> None:
    data = "(U) caf\u00e9\n".encode("cp1252") + b"(U) \x81\n"  # 0x81: unassigned in cp1252
    (f,) = check_bytes(data, config=Config(select=["MK005"])).findings
    assert f.message == ("The file is not valid UTF-8 (first invalid byte at byte offset 7); it "
                         "was read as Latin-1 (ISO-8859-1). Re-save it as UTF-8.")


def test_fallback_encoding_can_be_ignored_and_does_not_fail_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "memo.txt").write_bytes("(U) caf\u00e9 menu.\n".encode("cp1252"))
    assert main(["check", "--isolated", "--output-format", "concise", "memo.txt"]) == 0
    assert "memo.txt:1:8: MK005 The file is not valid UTF-8" in capsys.readouterr().out
    assert main(["check", "--isolated", "--output-format", "concise", "--fail-on", "info",
                 "memo.txt"]) == 1
    capsys.readouterr()
    assert main(["check", "--isolated", "--output-format", "concise", "--ignore", "MK005",
                 "--fail-on", "info", "memo.txt"]) == 0
    assert "MK005" not in capsys.readouterr().out


# --- standard input ------------------------------------------------------------------------

def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize(("data", "line"), [
    (b"", "<stdin>:1:1: MK004 The input is empty."),
    (b"\n  \n", "<stdin>:1:1: MK004 The input contains no text."),
    (b"\x00" * 5000, "<stdin>:1:1: MK002 The input looks binary"),
    ("(U) caf\u00e9.\n".encode("cp1252"),
     "<stdin>:1:8: MK005 The file is not valid UTF-8 (first invalid byte at byte offset 7)"),
])
def test_stdin_bad_input_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], data: bytes,
                                      line: str) -> None:
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, data)
    code = main(["check", "--isolated", "--output-format", "concise", "-"])
    out = capsys.readouterr().out
    assert out.startswith(line)
    assert code == (0 if "MK005" in line else 1)


def test_stdin_utf16_checked_like_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "memo.txt").write_text(MEMO, encoding="utf-8")
    argv = ["check", "--isolated", "--select", "MK0,MK1", "--output-format", "concise"]
    assert main([*argv, "memo.txt"]) == 1
    want = capsys.readouterr().out
    _stdin(monkeypatch, MEMO.encode("utf-16"))
    assert main([*argv, "--stdin-filename", "memo.txt"]) == 1
    assert capsys.readouterr().out == want


def test_inspect_stdin_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, b"")
    assert main(["inspect", "--isolated", "-", "--output-format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {"path": "<stdin>", "form": None, "style": None, "profile": None, "date": None,
         "date_source": None, "cable_id": None, "overall": None, "rollup": None,
         "banners": [], "portions": [], "captions": [], "sections": [], "authority": None,
         "notes": [], "code": "MK004", "error": "The input is empty."}]
    _stdin(monkeypatch, MEMO.encode("utf-16"))
    assert main(["inspect", "--isolated", "-", "--output-format", "json"]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["banners"][0]["text"] == "CONFIDENTIAL//NOFORN"
    assert [(p["text"], p["line"]) for p in obj["portions"] if p["text"]] == [
        ("(U)", 3), ("(S//NF)", 5), ("(C)", 7)]


# --- inspect: continuation headers ---------------------------------------------------------

HEADERS = [
    {"text": "LAKEMOUTH 00000512 002 OF 003", "number": 2, "of": 3,
     "line": 18, "column": 1, "end_line": 18, "end_column": 31},
    {"text": "LAKEMOUTH 00000512 003 OF 004", "number": 3, "of": 4,
     "line": 22, "column": 1, "end_line": 22, "end_column": 31},
]


@pytest.mark.parametrize("fmt", ["json", "json-lines"])
def test_inspect_shows_section_headers(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(GOLDEN / "cable_section_headers.txt")
    assert main(["inspect", "--isolated", path, "--output-format", fmt]) == 0
    out = capsys.readouterr().out
    obj = json.loads(out)[0] if fmt == "json" else json.loads(out.splitlines()[0])
    assert obj["sections"] == HEADERS
    assert obj["banners"][0]["section"] == "01 OF 03"


def test_inspect_text_shows_section_headers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", str(GOLDEN / "cable_section_headers.txt")]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  section ")]
    assert lines == [
        "  section  18:1  LAKEMOUTH 00000512 002 OF 003  ->  section 2 of 3",
        "  section  22:1  LAKEMOUTH 00000512 003 OF 004  ->  section 3 of 4",
    ]


def test_inspect_sections_empty_without_headers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", str(GOLDEN / "ok_memo_original.txt"),
                 "--output-format", "json-lines"]) == 0
    assert json.loads(capsys.readouterr().out)["sections"] == []


@pytest.mark.skipif(not SEED_003.exists(), reason="shared seeds not available")
def test_inspect_seed_cable_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", str(SEED_003), "--output-format", "json"]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert [(h["text"], h["number"], h["of"], h["line"]) for h in obj["sections"]] == [
        ("MOSCOW 00005154 002 OF 004", 2, 4, 27),
        ("MOSCOW 00005154 003 OF 004", 3, 4, 50),
        ("MOSCOW 00005154 004 OF 004", 4, 4, 74),
    ]


# --- never an exception --------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"\xff\xfe" + b),
    st.binary(max_size=300).map(lambda b: b"\x00\x00\xfe\xff" + b),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
))
def test_read_bytes_raises_only_read_error(data: bytes) -> None:
    try:
        src = read_bytes(data)
    except ReadError as err:  # MK001: a PDF or DOCX that its reader cannot open
        assert err.code in ("MK001", "MK002", "MK003", "MK004")
    else:
        assert len(src.text) == len(src.original)
        if src.fallback_encoding is not None:
            assert 0 <= src.fallback_encoding[2] < len(src.original)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_check_text_never_raises(text: str) -> None:
    for f in markings.check_text(text).findings:
        assert f.code != "MK009"


def test_stdin_scanner_failure_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scanner crash on standard-input bytes gives MK009, as for a file, not an exception."""
    import markings.scan
    from markings.engine import check_bytes

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("scanner bug")

    monkeypatch.setattr(markings.scan, "build", boom)
    rep = check_bytes(b"SECRET\n\n(S) Text.\n\nSECRET\n")
    assert [f.code for f in rep.findings] == ["MK009"]
    assert "RuntimeError" in rep.findings[0].message
