"""``markings inspect``: the object schema (pinned key sets), the parsed authority block
(Classified By authority, reasons and positions), the human rendering, unreadable files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from markings.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
DOCS = ROOT / "tests" / "fixtures" / "documents"
SEED_000 = Path("/work/shared/seeds/000_b85210d0df942529.txt")

CABLE = str(GOLDEN / "ok_cable_plain.txt")  # a seed-like State cable
MEMO = str(GOLDEN / "ok_memo_original.txt")  # an ISOO-style memo with a CAB

TOP_KEYS = ["path", "form", "style", "profile", "date", "date_source", "cable_id", "overall",
            "rollup", "banners", "portions", "captions", "sections", "authority", "notes",
            "code", "error"]
SPAN = ["line", "column", "end_line", "end_column"]
BANNER_KEYS = ["text", "canonical", *SPAN, "error", "position", "section"]
PORTION_KEYS = ["kind", "number", "text", "canonical", *SPAN, "error", "paragraph"]
AUTHORITY_KEYS = ["eo_line", "classified_by", "derived_from", "declassify_on", "compilation"]
DECLASS_KEYS = ["text", "kind", "date", "date_format", "ambiguous", "exemptions", "retired",
                "event", "valid_date"]
SUB_KEYS = {
    "eo_line": ["present", "eo", "na", "declassify", *SPAN],
    "classified_by": ["present", "authority", "reasons", "reasons_canonical", *SPAN],
    "derived_from": ["present", "text", "sources_list", *SPAN],
    "declassify_on": ["present", *DECLASS_KEYS, *SPAN],
}
REASON_KEYS = ["text", "section", "letters", "canonical", *SPAN]


def _inspect(capsys: pytest.CaptureFixture[str], *paths: str,
             fmt: str = "json-lines") -> list[dict[str, Any]]:
    main(["inspect", "--isolated", *paths, "--output-format", fmt])
    out = capsys.readouterr().out
    if fmt == "json":
        return json.loads(out)  # type: ignore[no-any-return]
    return [json.loads(x) for x in out.splitlines()]


# --- the schema ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CABLE, MEMO])
@pytest.mark.parametrize("fmt", ["json", "json-lines"])
def test_key_sets_are_pinned(path: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    (obj,) = _inspect(capsys, path, fmt=fmt)
    assert list(obj) == TOP_KEYS
    assert obj["banners"] and all(list(b) == BANNER_KEYS for b in obj["banners"])
    assert obj["portions"] and all(list(p) == PORTION_KEYS for p in obj["portions"])
    assert all(list(p["paragraph"]) == SPAN for p in obj["portions"])
    a = obj["authority"]
    assert list(a) == AUTHORITY_KEYS
    for key, keys in SUB_KEYS.items():
        assert list(a[key]) == keys, key
    assert a["classified_by"]["reasons"]
    assert all(list(r) == REASON_KEYS for r in a["classified_by"]["reasons"])
    assert (obj["code"], obj["error"]) == (None, None)


def test_cable_and_memo_values(capsys: pytest.CaptureFixture[str]) -> None:
    cable, memo = _inspect(capsys, CABLE, MEMO)
    head = ("form", "style", "profile", "date", "date_source", "cable_id", "overall", "rollup")
    assert [cable[k] for k in head] == [
        "plain", "cable", "state-cable", "2007-03-22", "dtg", "07PORTVALE318",
        "CONFIDENTIAL//NOFORN", "CONFIDENTIAL//NOFORN"]
    assert [memo[k] for k in head] == [
        "plain", "memo", "isoo", "2019-05-14", "memo-date", None,
        "SECRET//NOFORN", "SECRET//NOFORN"]
    p = [q for q in cable["portions"] if q["text"] == "(C/NF)"][0]
    assert [p[k] for k in ("text", "canonical", "line", "column", "kind", "number")] == [
        "(C/NF)", "(C//NF)", 23, 4, "numbered", "2"]
    assert [p["paragraph"][k] for k in SPAN] == [23, 1, 24, 41]


def test_unreadable_file_has_every_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing.txt")
    for fmt in ("json", "json-lines"):
        bad, good = _inspect(capsys, missing, MEMO, fmt=fmt)
        assert list(bad) == list(good) == TOP_KEYS
        assert bad["code"] == "MK001" and bad["error"].startswith("Cannot read the file")
        empty = {k: v for k, v in bad.items() if k not in ("path", "code", "error")}
        assert all(v in (None, []) for v in empty.values())
    assert main(["inspect", "--isolated", missing]) == 1


# --- the authority block ----------------------------------------------------------------------

CLASSIFIED_BY = [
    # (file, authority as written, reasons, Classified By span, first reason line:col)
    (CABLE, "Deputy Chief of Mission R. Example", "1.4(b), 1.4(d)", (17, 1, 17, 50), (18, 9)),
    (MEMO, "K. Lindqvist, Chief, Coastal Survey Group", "1.4(a)", (20, 1, 20, 57), (21, 9)),
    (str(GOLDEN / "ok_cable_tokenized.txt"), "ISN/FO JANE EXAMPLE", "1.4(b), 1.4(d), 1.4(h)",
     (2, 1, 2, 39), (2, 54)),
    # no "Reasons" keyword: the connecting "PER" is not part of the authority
    (str(GOLDEN / "cable_1999.txt"), "AMBASSADOR P. EXAMPLE", "1.5(b), 1.5(d)",
     (11, 1, 11, 36), (11, 41)),
    # HTML: the authority lines run together on one line of the file
    (str(DOCS / "memo_html.html"), "Chief, Analysis Branch", None, (8, 4, 8, 41), None),
    (str(GOLDEN / "memo_presence_derivative.txt"), "F. Example, Technical Director", "1.4(a)",
     (13, 1, 13, 46), (15, 9)),
]


@pytest.mark.parametrize("path,authority,reasons,span,reason_pos", CLASSIFIED_BY)
def test_classified_by_is_parsed(path: str, authority: str, reasons: str | None,
                                 span: tuple[int, ...], reason_pos: tuple[int, int] | None,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    (obj,) = _inspect(capsys, path)
    cb = obj["authority"]["classified_by"]
    assert cb["present"] is True
    assert cb["authority"] == authority
    assert cb["reasons_canonical"] == reasons
    assert tuple(cb[k] for k in SPAN) == span
    if reason_pos is not None:
        assert (cb["reasons"][0]["line"], cb["reasons"][0]["column"]) == reason_pos
    # the span is the text as written: "Classified By ... <authority>" (a tokenized
    # cable's entity annotations are blanked by the reader, and not part of the authority)
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if span[0] == span[2]:
        written = lines[span[0] - 1][span[1] - 1:span[3] - 1]
        assert written.lower().startswith("classified by")
        written = written.replace("[PER ", "").replace("]", "")
        assert " ".join(written.split()).endswith(authority)


def test_reasons_carry_section_and_letters(capsys: pytest.CaptureFixture[str]) -> None:
    (obj,) = _inspect(capsys, CABLE)
    (r,) = obj["authority"]["classified_by"]["reasons"]
    assert r == {"text": "1.4 (b) and (d)", "section": "1.4", "letters": ["b", "d"],
                 "canonical": "1.4(b), 1.4(d)", "line": 18, "column": 9, "end_line": 18,
                 "end_column": 24}


def test_other_authority_lines(capsys: pytest.CaptureFixture[str]) -> None:
    cable, memo, derivative = _inspect(capsys, CABLE, MEMO,
                                       str(GOLDEN / "memo_presence_derivative.txt"))
    eo = cable["authority"]["eo_line"]
    assert [eo[k] for k in ("present", "eo", "na", "line", "column")] == [
        True, "12958", False, 11, 1]
    assert eo["declassify"]["text"] == "03/22/2017"
    assert eo["declassify"]["date"] == "2017-03-22"
    assert cable["authority"]["declassify_on"]["present"] is False
    assert cable["authority"]["derived_from"]["present"] is False
    do = memo["authority"]["declassify_on"]
    assert [do[k] for k in ("present", "text", "kind", "date", "line", "column")] == [
        True, "20440514", "date", "2044-05-14", 22, 1]
    assert memo["authority"]["eo_line"]["present"] is False
    df = derivative["authority"]["derived_from"]
    assert [df[k] for k in ("present", "text", "line", "column", "end_column")] == [
        True, "Multiple Sources", 14, 1, 31]


@pytest.mark.skipif(not SEED_000.exists(), reason="shared seeds not available")
def test_seed_cable_classified_by_wraps(capsys: pytest.CaptureFixture[str]) -> None:
    (obj,) = _inspect(capsys, str(SEED_000))
    cb = obj["authority"]["classified_by"]
    assert cb["authority"] == "Political Minister Counselor Kirk Augustine"
    assert cb["reasons_canonical"] == "1.4(b), 1.4(d)"
    assert (cb["line"], cb["reasons"][0]["line"]) == (22, 23)
    assert (obj["date"], obj["date_source"], obj["cable_id"]) == (
        "2005-09-14", "dtg", "05MOSCOW11807")


def test_no_authority_is_null(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("UNCLASSIFIED\n\n(U) A short note.\n\nUNCLASSIFIED\n", encoding="utf-8")
    (obj,) = _inspect(capsys, str(f))
    assert obj["authority"] is None


# --- the human rendering ------------------------------------------------------------------------

def _authority_lines(out: str) -> list[str]:
    lines = out.splitlines()
    i = lines.index("  authority:")
    return lines[i + 1:]


def test_full_output_renders_the_authority_block(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", CABLE]) == 0
    out = capsys.readouterr().out
    first, *head = out.splitlines()[:5]
    assert first.endswith("/ok_cable_plain.txt  (plain, cable, profile state-cable)")
    assert head == [
        "  date:    2007-03-22  (from dtg)",
        "  cable:   07PORTVALE318",
        "  overall: CONFIDENTIAL//NOFORN",
        "  rollup:  CONFIDENTIAL//NOFORN",
    ]
    assert _authority_lines(out) == [
        "    E.O. line      11:1  E.O. 12958  DECL: 03/22/2017  ->  date 2017-03-22",
        "    Classified By  17:1  Deputy Chief of Mission R. Example",
        "    Reasons        18:9  1.4 (b) and (d)  ->  1.4(b), 1.4(d)",
        "    Derived From         -",
        "    Declassify On        -",
    ]
    assert "{" not in out  # no raw dicts


def test_full_output_memo_authority(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", str(GOLDEN / "memo_presence_derivative.txt")]) == 0
    assert _authority_lines(capsys.readouterr().out) == [
        "    E.O. line            -",
        "    Classified By  13:1  F. Example, Technical Director",
        "    Reasons        15:9  1.4(a)  ->  1.4(a)",
        "    Derived From   14:1  Multiple Sources",
        "    Declassify On  16:1  20450923  ->  date 2045-09-23",
    ]


def test_full_output_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing.txt")
    assert main(["inspect", "--isolated", missing]) == 1
    assert capsys.readouterr().out.startswith(f"{missing}  (not read: MK001 Cannot read")


# --- options ----------------------------------------------------------------------------------

def test_inspect_has_no_quiet_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--isolated", "-q", MEMO]) == 2
    assert "-q" in capsys.readouterr().err
    helptext = build_parser().parse_args(["rules"])._parsers["inspect"].format_help()
    assert "--quiet" not in helptext and "Only findings" not in helptext


def test_profile_follows_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".markings.toml").write_text('profile = "capco"\n', encoding="utf-8")
    (tmp_path / "cable.txt").write_text(Path(CABLE).read_text(encoding="utf-8"),
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "cable.txt", "--output-format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["profile"] == "capco"


# --- Classified By lines as the archive has them -------------------------------------------------

CABLE_HEAD = (
    "C O N F I D E N T I A L LAKEMOUTH 000318\n\nSIPDIS\n\nE.O. 12958: DECL: 03/22/2017\n"
    "TAGS: PREL XY\nSUBJECT: (C) QUOTA TALKS\n\n")
CABLE_BODY = "\n\n1. (C) The talks open on April 2.\n\nEXAMPLE\n"


@pytest.mark.parametrize("line,authority,reasons", [
    ("Classified By: Ambassador P. Example, Reasons 1.4 (b) and (d).",
     "Ambassador P. Example", "1.4(b), 1.4(d)"),
    ("Classified By: Classified by: Ambassador P. Example. Reason 1.4 (b)",  # keyword twice
     "Ambassador P. Example", "1.4(b)"),
    ("Classified By: Political Counselor Q. Example for rea sons 1.4 (b) and (d)",  # broken
     "Political Counselor Q. Example", "1.4(b), 1.4(d)"),
    ("Classified By: Economic Counselor R. Example fo \nr reasons 1.4 (b) and (d)",
     "Economic Counselor R. Example", "1.4(b), 1.4(d)"),
    ("Classified By: DCM S. Example for E.O. 12958, Reasons 1.4 (b) and (d).",
     "DCM S. Example", "1.4(b), 1.4(d)"),
    ("Classified By: COM T. EXAMPLE FOR REA...", "COM T. EXAMPLE", None),  # cut off
    ("Classified By: ...", None, None),
    ("CLASSIFIED BY AMBASSADOR U. EXAMPLE PER 1.5 (B) AND (D).",
     "AMBASSADOR U. EXAMPLE", "1.5(b), 1.5(d)"),
])
def test_classified_by_variants(line: str, authority: str | None, reasons: str | None) -> None:
    from markings.inspection import inspect_dict
    from markings.read import read_bytes
    from markings.scan import build

    text = CABLE_HEAD + line + CABLE_BODY
    doc = build(read_bytes(text.encode(), "c.txt"), path="c.txt")
    cb = inspect_dict(doc)["authority"]["classified_by"]
    assert (cb["present"], cb["authority"], cb["reasons_canonical"]) == (True, authority, reasons)
    assert (cb["line"], cb["column"]) == (9, 1)


def test_schema_is_documented() -> None:
    from markings.inspection import AUTHORITY_KEYS as AKEYS
    from markings.inspection import INSPECT_KEYS

    assert list(INSPECT_KEYS) == TOP_KEYS and list(AKEYS) == AUTHORITY_KEYS
    doc = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
    section = doc[doc.index("## `markings inspect`"):]
    rows = [ln.split("|")[1].strip().strip("`") for ln in section.splitlines()
            if ln.startswith("| `")]
    assert [r for r in rows if r in TOP_KEYS] == TOP_KEYS
    assert [r for r in rows if r in AUTHORITY_KEYS] == AUTHORITY_KEYS
