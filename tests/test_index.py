"""The classified-portion index: build, check, common phrases, safety, and the seed article."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from markings.config import Config
from markings.engine import check_text
from markings.index import build_index, check_against, index_info, tokens
from markings.read import read_path, source_from_text
from markings.scan import build

SHARED = Path(__file__).resolve().parents[2] / "shared"

SOURCE = """S E C R E T EXAMPLE 000123

E.O. 12958: DECL: 01/01/2019
TAGS: PREL
SUBJECT: FIXTURE

1. (S) The minister privately conceded that the northern pipeline would be delayed
until the spring because the contractor had quietly run out of money.

2. (U) The embassy will follow up with the ministry next week.
"""


def doc_of(text: str, path: str = "checked.txt"):  # type: ignore[no-untyped-def]
    return build(source_from_text(text, path=path), path=path)


@pytest.fixture()
def index(tmp_path: Path) -> Path:
    src = tmp_path / "src" / "cable.txt"
    src.parent.mkdir()
    src.write_text(SOURCE)
    db = tmp_path / "idx.db"
    stats = build_index([src.parent], db)
    assert stats["documents"] == 1 and stats["portions"] == 1 and stats["shingles"] > 10
    return db


@pytest.mark.parametrize(("text", "expected"), [
    # a verbatim quote of the SECRET paragraph in an unmarked article
    ("Blog. He said 'the northern pipeline would be delayed until the spring' today.", 1),
    # case, punctuation and line breaks do not matter
    ("THE NORTHERN PIPELINE -- would be\ndelayed, until the SPRING!", 1),
    # seven words are below the minimum run of eight
    ("Reporters wrote the northern pipeline would be delayed until now.", 0),
    # text of the UNCLASSIFIED paragraph never matches
    ("The embassy will follow up with the ministry next week, it said.", 0),
    # unrelated text
    ("The weather in the capital was mild and dry all week long again.", 0),
])
def test_check_against_unmarked_document(index: Path, text: str, expected: int) -> None:
    matches = check_against(doc_of(text), index)
    assert len(matches) == expected
    for m in matches:
        assert m.source.number == "1" and m.source.marking == "(S)" and m.source.line == 7
        assert m.words >= 8


def test_passage_marked_at_source_level_is_not_flagged(index: Path) -> None:
    marked = ("SECRET\n\n(S) He said the northern pipeline would be delayed until the spring.\n\n"
              "SECRET\n")
    assert check_against(doc_of(marked), index) == []
    lower = ("CONFIDENTIAL\n\n(C) He said the northern pipeline would be delayed until the "
             "spring.\n\nCONFIDENTIAL\n")
    (m,) = check_against(doc_of(lower), index)
    assert m.level == 2 and m.source.level == 3


def test_common_phrases_shared_by_many_documents_do_not_match(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    boiler = "we appreciate the continued cooperation of the host government on this matter"
    for i in range(6):
        (folder / f"c{i}.txt").write_text(
            SOURCE.replace("The minister privately", f"Item {i}. {boiler}. The minister"))
    db = tmp_path / "many.db"
    build_index([folder], db)
    article = doc_of(f"Officials said {boiler} again.")
    assert check_against(article, db, max_df=5) == []
    assert len(check_against(article, db, max_df=10)) == 6


def test_rule_uses_against_setting(index: Path) -> None:
    text = "Blog. He said the northern pipeline would be delayed until the spring.\n"
    on = check_text(text, path="a.txt", config=Config(settings={"against": str(index)}))
    hits = [f for f in on.findings if f.code == "MK740"]
    assert len(hits) == 1
    assert "paragraph 1" in hits[0].message and "SECRET" in hits[0].message
    assert "pipeline" not in hits[0].message
    off = check_text(text, path="a.txt", config=Config())
    assert not [f for f in off.findings if f.code == "MK740"]


def test_interrupted_build_keeps_previous_index(tmp_path: Path, index: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = index_info(index)
    import markings.index as mi

    def boom(path: str, cfg: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(mi, "_load", boom)
    src = tmp_path / "src"
    with pytest.raises(KeyboardInterrupt):
        build_index([src], index)
    assert index_info(index) == before
    assert sqlite3.connect(index).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(tmp_path.glob(".*.tmp"))


def test_not_an_index_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    sqlite3.connect(bad).execute("CREATE TABLE meta(key TEXT, value TEXT)").connection.commit()
    with pytest.raises(ValueError):
        check_against(doc_of("anything at all"), bad)
    with pytest.raises(FileNotFoundError):
        check_against(doc_of("anything"), tmp_path / "missing.db")


def test_tokens_ignore_inline_annotations() -> None:
    words = [w for _, _, w in tokens("[PER Antonov  ] said <a href='#x'>\u00b6</a>2 . Hi")]
    assert words == ["antonov", "said", "2", "hi"]


@pytest.mark.corpus
def test_seed_article_flags_exactly_its_cable_quotations(tmp_path: Path) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared seeds not available")
    files = sorted(seeds.glob("*.txt"))
    cables = [f for f in files if f.name[:3] in ("000", "001", "003")]
    article = next(f for f in files if f.name.startswith("002"))
    db = tmp_path / "seeds.db"
    build_index(cables, db)
    doc = build(read_path(str(article)), path=str(article))
    got = sorted((doc.text[m.start:m.end].split()[0], Path(m.source.path).name[:3],
                  m.source.number) for m in check_against(doc, db))
    assert got == [
        ("Russia", "003", "8"),
        ("That", "000", "2"),
        ("That", "001", "4"),
        ("a", "003", "8"),
        ("stressed", "000", "2"),
        ("stressed", "001", "4"),
    ]
