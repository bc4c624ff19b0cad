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


# --- sub-paragraphs, public text, names (audit of issue 4) ---------------------------------

BULLETS = """S E C R E T EXAMPLE 000124

E.O. 12958: DECL: 01/01/2019
TAGS: PREL
SUBJECT: BULLETS

1. (S) The minister privately conceded that the northern pipeline would be delayed
until the spring because the contractor had quietly run out of money. He met Anatoliy
Antonov, MFA Director for Disarmament and Security Affairs, at the ministry.

2. (C) Post may draw on the following points:
-- the harbour authority intends to dredge the eastern channel before the autumn storms
-- the coast guard cutters will be repainted in the naval dockyard during the winter

3. (U) Press reports say that the contractor had quietly run out of money in May.
"""

TOKENIZED = (
    "<code><pre>S E C R E T STATE 000777 E.O. 12958: DECL: 02/11/2019 TAGS: PREL SUBJECT: "
    "TOKENIZED . \nCLASSIFIED BY [PER JANE EXAMPLE  ] , REASONS: 1.4 ( B ) . "
    "<a id='par1' href='#par1'>\u00b6</a>1 . \n( U ) This is an action request . "
    "<a id='par2' href='#par2'>\u00b6</a>2 . \n( S ) The minister privately conceded that "
    "the northern pipeline would be delayed until the spring . \n</pre></code>\n")


@pytest.fixture()
def bullets_index(tmp_path: Path) -> Path:
    src = tmp_path / "b" / "bullets.txt"
    src.parent.mkdir()
    src.write_text(BULLETS)
    (src.parent / "tok.txt").write_text(TOKENIZED)
    db = tmp_path / "b.db"
    stats = build_index([src.parent], db)
    assert stats["documents"] == 2 and stats["public_portions"] == 2
    return db


def _got(db: Path, text: str) -> list[tuple[str, str | None, str | None, int, int]]:
    return [(Path(m.source.path).name, m.source.number, m.source.marking, m.source.level,
             m.source.line) for m in check_against(doc_of(text), db)]


def test_bullet_takes_number_level_and_mark_of_its_paragraph(bullets_index: Path) -> None:
    got = _got(bullets_index, "Blog: the coast guard cutters will be repainted in the naval "
                              "dockyard, they said.")
    assert got == [("bullets.txt", "2", "(C)", 2, 13)]


def test_passage_also_in_unclassified_text_is_not_flagged(bullets_index: Path) -> None:
    # "the contractor had quietly run out of money" is in the (S) and in the (U) paragraph
    assert _got(bullets_index, "We hear that the contractor had quietly run out of money.") == []
    # the (S) paragraph's own words around it still match
    assert _got(bullets_index, "Because the contractor had quietly run out of money, "
                               "he met Anatoliy Antonov") == [("bullets.txt", "1", "(S)", 3, 7)]


def test_name_with_title_is_not_flagged(bullets_index: Path) -> None:
    assert _got(bullets_index, "Yesterday we met Anatoliy Antonov, MFA Director for "
                               "Disarmament and Security Affairs, in Geneva.") == []


def test_source_line_is_the_line_of_the_mark_in_tokenized_cables(bullets_index: Path) -> None:
    got = _got(bullets_index, "He said the minister privately conceded that the northern "
                              "pipeline would be late.")
    assert ("tok.txt", "2", "(S)", 3, 4) in got


def test_unmarked_documents_are_not_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "cable.txt").write_text(SOURCE)
    # a blog that quotes the SECRET paragraph: unmarked, so not trusted as public text
    (folder / "blog.txt").write_text("He said the northern pipeline would be delayed until "
                                     "the spring because the contractor ran out.\n")
    db = tmp_path / "m.db"
    stats = build_index([folder], db)
    assert stats["documents"] == 2 and stats["unmarked"] == 1
    assert len(check_against(doc_of("the northern pipeline would be delayed until the "
                                    "spring"), db)) == 1


@pytest.fixture(scope="module")
def seed_cables_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the three seed cables (000, 001, 003), built once for this module."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared seeds not available")
    cables = [f for f in sorted(seeds.glob("*.txt")) if f.name[:3] in ("000", "001", "003")]
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    build_index(cables, db)
    return db


@pytest.mark.corpus
def test_seed_bullets_and_public_paragraphs(seed_cables_db: Path) -> None:
    db = seed_cables_db

    def got(text: str) -> list[tuple[str, str | None, str | None]]:
        return [(Path(m.source.path).name[:3], m.source.number, m.source.marking)
                for m in check_against(doc_of(text), db)]

    # 003 paragraph 12 (C) bullets; 001 paragraph 8 (S) talking points
    assert got("In the context of potential violations of international regimes and UNSCR "
               "resolutions, Russia needs to hear the concerns of key European partners") == [
        ("003", "12", "(C)")]
    # ... under the block heading (S/REL to RUSSIA) of paragraph 8, not under its (S)
    assert got(
        "We have recently seen press reports indicating that Rosoboronexport has signed a "
        "contract with the St. Petersburg-based Leningrad Optical-Mechanical Association") == [
        ("001", "8", "(S/REL to RUSSIA)")]
    # 001 paragraph 5 is (U): quoting it is no leak, though a phrase of it recurs in (S) text
    assert got("On November 19, 2008 the Russian News & Information Agency Novosti (RIA "
               "Novosti) reported that Rosoboronexport signed a major contract for the sale "
               "of Igla-S MANPADS to Venezuela.") == []
    assert got("the U.S. Department of Treasury's Office of Foreign Assets Control") == []
    assert got("Anatoliy Antonov, MFA Director for Disarmament and Security Affairs") == []


# --- build safety ---------------------------------------------------------------------------

_KILLABLE = """
import sys, time
import markings.index as mi
real = mi._load
def slow(path, cfg):
    doc = real(path, cfg)
    if path.endswith("c3.txt"):
        print("ready", flush=True)
        time.sleep(60)
    return doc
mi._load = slow
mi.build_index([sys.argv[1]], sys.argv[2])
"""


def test_killed_build_keeps_old_index_and_next_build_cleans_up(tmp_path: Path,
                                                               index: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    before = index_info(index)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"c{i}.txt").write_text(SOURCE.replace("minister", f"minister {i}"))
    proc = subprocess.Popen([sys.executable, "-c", _KILLABLE, str(folder), str(index)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        temp = index.with_name(f".{index.name}.{proc.pid}.tmp")
        assert temp.exists()  # the build was writing its private copy
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert temp.exists()  # SIGKILL leaves the temporary file behind ...
    assert index_info(index) == before  # ... and the old index intact
    assert sqlite3.connect(index).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stats = build_index([folder], index)  # ... the next build removes it
    assert stats["stale_removed"] == 1 and stats["documents"] == 6
    assert not temp.exists() and not list(tmp_path.glob(".*.tmp"))
    assert index_info(index)["documents"] == 6


def test_build_refuses_missing_paths_and_empty_results(tmp_path: Path, index: Path) -> None:
    from markings.index import EmptyIndexError

    before = index_info(index)
    with pytest.raises(FileNotFoundError, match="nosuch"):
        build_index([tmp_path / "nosuch"], index)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EmptyIndexError, match="no readable document"):
        build_index([empty], index)
    (empty / "blog.txt").write_text("Nothing is marked in this text at all.\n")
    with pytest.raises(EmptyIndexError, match="none has a classified portion"):
        build_index([empty], index)
    assert index_info(index) == before
    assert not list(tmp_path.glob(".*.tmp"))
    stats = build_index([empty], index, force=True)
    assert stats["portions"] == 0 and index_info(index)["documents"] == 0


def test_build_does_not_remove_temp_files_of_live_builds(tmp_path: Path) -> None:
    import os

    from markings.index import clean_stale_temps

    target = tmp_path / "x.db"
    live = tmp_path / f".x.db.{os.getppid()}.tmp"  # our parent process is alive
    other = tmp_path / ".y.db.1.tmp"  # another index's file
    live.write_text("")
    other.write_text("")
    assert clean_stale_temps(target) == []
    assert live.exists() and other.exists()


def test_index_of_an_older_schema_asks_for_a_rebuild(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("CREATE TABLE meta(key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema', '1')")
    conn.commit()
    conn.close()
    with pytest.raises(ValueError, match="older version"):
        check_against(doc_of("anything at all"), old)
    text = tmp_path / "t.txt"
    text.write_text("not a database")
    with pytest.raises(ValueError, match="not a markings index"):
        check_against(doc_of("anything at all"), text)


# --- command line ---------------------------------------------------------------------------

def test_cli_against_is_validated_once_with_exit_2(tmp_path: Path, index: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from markings.cli import main

    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("He said the northern pipeline would be delayed until "
                                     "the spring.\n")
    (tmp_path / "notdb.txt").write_text("hello\n")
    for bad, words in (("missing.db", "no such index"),
                       ("notdb.txt", "not a markings index")):
        code = main(["check", "--isolated", "--against", bad, "a.txt", "b.txt"])
        out = capsys.readouterr()
        assert code == 2, bad
        assert out.err.count(words) == 1 and "MK009" not in out.out + out.err
    code = main(["check", "--isolated", "--against", str(index), "--output-format",
                 "concise", "a.txt"])
    assert code == 1 and "a.txt:1:9: MK740" in capsys.readouterr().out


def test_cli_index_build_exits_2_on_missing_path_or_nothing_found(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from markings.cli import main

    db = tmp_path / "i.db"
    assert main(["index", "build", str(tmp_path / "nosuch"), "--db", str(db)]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    empty = tmp_path / "e"
    empty.mkdir()
    assert main(["index", "build", str(empty), "--db", str(db)]) == 2
    assert "no readable document" in capsys.readouterr().err and not db.exists()
    assert main(["index", "build", str(empty), "--db", str(db), "--force"]) == 0
    assert db.exists()
    src = tmp_path / "s"
    src.mkdir()
    (src / "cable.txt").write_text(SOURCE)
    assert main(["index", "build", str(src), "--db", str(db)]) == 0
    assert "portions: 1" in capsys.readouterr().out


def test_golden_leak_index_is_built_from_its_source(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/fixtures/golden/aux/leak_index.db (used by redaction_leak.txt) is current.

    If this fails after a change of the index, rebuild it from tests/fixtures/golden:
    ``python -m markings index build aux/leak_source.txt --db aux/leak_index.db``.
    """
    golden = Path(__file__).parent / "fixtures" / "golden"
    monkeypatch.chdir(golden)
    fresh = tmp_path / "aux" / "leak_index.db"  # same depth: same relative source path
    fresh.parent.mkdir()
    (tmp_path / "aux" / "leak_source.txt").write_text(
        (golden / "aux" / "leak_source.txt").read_text())
    monkeypatch.chdir(tmp_path)
    build_index(["aux/leak_source.txt"], fresh)

    def dump(db: Path) -> list[object]:
        conn = sqlite3.connect(db)
        try:
            return [conn.execute("SELECT key, value FROM meta WHERE key != 'built' "
                                 "ORDER BY key").fetchall(),
                    *(conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                      for t in ("documents", "portions", "shingles"))]
        finally:
            conn.close()

    assert dump(golden / "aux" / "leak_index.db") == dump(fresh), (
        "rebuild aux/leak_index.db (see this test's docstring)")


def test_own_unclassified_text_does_not_excuse_own_quotation(tmp_path: Path) -> None:
    """A document in the index that quotes a SECRET paragraph in its own (U) paragraph is
    still flagged: its own text is not "public text of the indexed set"."""
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "cable.txt").write_text(SOURCE)
    quoting = folder / "memo.txt"
    quoting.write_text("UNCLASSIFIED\n\n(U) He said the northern pipeline would be delayed "
                       "until the spring because the contractor had quietly run out.\n\n"
                       "UNCLASSIFIED\n")
    db = tmp_path / "set.db"
    build_index([folder], db)
    doc = build(read_path(str(quoting)), path=str(quoting))
    assert [(Path(m.source.path).name, m.source.number) for m in check_against(doc, db)] == [
        ("cable.txt", "1")]


# --- dissemination controls, block headings, conflicting sources (review of issue 4) ------

CONTROLLED = """S E C R E T EXAMPLE 000125

E.O. 12958: DECL: 01/01/2019
TAGS: PREL
SUBJECT: CONTROLLED

1. (S//NF) The liaison service confirmed that the cargo would be unloaded at the
northern pier under cover of the annual naval exercise.

2. (S//REL TO USA, GBR) The allied frigate will shadow the freighter until it leaves
the territorial waters of the southern republic.

3. (S) Post may draw on the following points:
(S//REL TO USA, GBR, AUS) Begin points:
-- the harbour authority intends to dredge the eastern channel before the autumn storms
-- the coast guard cutters will be repainted in the naval dockyard during the winter
"""

NF_QUOTE = "the cargo would be unloaded at the northern pier under cover of the annual naval"
REL_QUOTE = "the allied frigate will shadow the freighter until it leaves the territorial waters"


@pytest.fixture()
def controlled_index(tmp_path: Path) -> Path:
    src = tmp_path / "c" / "controlled.txt"
    src.parent.mkdir()
    src.write_text(CONTROLLED)
    db = tmp_path / "c.db"
    build_index([src.parent], db)
    return db


def _memo(banner: str, portion: str, quote: str) -> str:
    return f"{banner}\n\n{portion} We learned that {quote} as planned.\n\n{banner}\n"


@pytest.mark.parametrize(("banner", "portion", "quote", "expected"), [
    # NOFORN source in a document releasable to foreign partners: a spill at the same level
    ("SECRET//REL TO USA, GBR", "(S//REL TO USA, GBR)", NF_QUOTE,
     [("1", ("NOFORN",), "(S//REL TO USA, GBR)", "(S//NF)")]),
    ("SECRET", "(S)", NF_QUOTE, [("1", ("NOFORN",), "(S)", "(S//NF)")]),
    ("SECRET//NOFORN", "(S//NF)", NF_QUOTE, []),
    ("CONFIDENTIAL//NOFORN", "(C//NF)", NF_QUOTE, [("1", ("level",), "(C//NF)", "(S//NF)")]),
    # REL TO list of the passage not covered by the source's list
    ("SECRET//REL TO USA, GBR, AUS", "(S//REL TO USA, GBR, AUS)", REL_QUOTE,
     [("2", ("REL TO",), "(S//REL TO USA, AUS, GBR)", "(S//REL TO USA, GBR)")]),
    ("SECRET//REL TO USA, GBR", "(S//REL TO USA, GBR)", REL_QUOTE, []),
    ("SECRET//NOFORN", "(S//NF)", REL_QUOTE, []),
])
def test_dissemination_controls_are_compared(controlled_index: Path, banner: str,
                                             portion: str, quote: str,
                                             expected: list[object]) -> None:
    got = [(m.source.number, m.reasons, m.own_marking, m.required)
           for m in check_against(doc_of(_memo(banner, portion, quote)), controlled_index)]
    assert got == expected


def test_bullets_take_the_mark_of_their_block_heading(controlled_index: Path) -> None:
    text = _memo("SECRET//REL TO USA, GBR, AUS", "(S//REL TO USA, GBR, AUS)",
                 "the coast guard cutters will be repainted in the naval dockyard")
    assert check_against(doc_of(text), controlled_index) == []  # (S//REL TO USA, GBR, AUS)
    (m,) = check_against(doc_of(_memo("CONFIDENTIAL", "(C)", "the coast guard cutters will "
                                      "be repainted in the naval dockyard")), controlled_index)
    assert (m.source.number, m.source.marking) == ("3", "(S//REL TO USA, GBR, AUS)")


def test_noforn_rule_message(controlled_index: Path) -> None:
    text = _memo("SECRET//REL TO USA, GBR", "(S//REL TO USA, GBR)", NF_QUOTE)
    rep = check_text(text, path="memo.txt",
                     config=Config(settings={"against": str(controlled_index)}))
    (hit,) = [f for f in rep.findings if f.code == "MK740"]
    assert hit.severity.value == "error"
    assert hit.message == (
        "Passage of 16 words reproduces SECRET text (NOFORN) of "
        f"{controlled_index.parent / 'c' / 'controlled.txt'}, paragraph 1 (line 7, (S//NF)), "
        "but the passage is marked (S//REL TO USA, GBR): NOFORN text may not appear in a "
        "passage without NOFORN. Mark the passage at least `(S//NF)` (and the document), "
        "or remove the quotation.")


def test_unclassified_copy_in_another_document_is_a_conflict_not_a_pass(
        tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "cable.txt").write_text(SOURCE)
    # another document quotes the SECRET sentence in a paragraph marked (U): mis-marked
    (folder / "memo.txt").write_text(
        "UNCLASSIFIED\n\n1. (U) Background.\n\n2. (U) He said the northern pipeline would be "
        "delayed until the spring because the contractor had quietly run out of money.\n\n"
        "UNCLASSIFIED\n")
    db = tmp_path / "set.db"
    build_index([folder], db)
    text = "Blog. He said the northern pipeline would be delayed until the spring.\n"
    (m,) = check_against(doc_of(text), db)
    assert (Path(m.source.path).name, m.source.number) == ("cable.txt", "1")
    assert [(Path(c.path).name, c.number, c.marking) for c in m.conflicts] == [
        ("memo.txt", "2", "(U)")]
    rep = check_text(text, path="a.txt", config=Config(settings={"against": str(db)}))
    (hit,) = [f for f in rep.findings if f.code == "MK740"]
    assert hit.severity.value == "warning"
    assert "marked SECRET in" in hit.message and "memo.txt, paragraph 2 (line 5, (U))" \
        in hit.message and "at least `(S)`" in hit.message and "pipeline" not in hit.message


@pytest.mark.corpus
def test_seed_noforn_paragraph_in_rel_to_memo(seed_cables_db: Path) -> None:
    db = seed_cables_db
    memo = ("SECRET//REL TO USA, GBR\n\n(S//REL TO USA, GBR) At the end of January we received "
            "reports that the GOV deployed ten Venezuelan specialists to Kolomna, Russia, to "
            "begin training on the Igla-S MANPADS.\n\nSECRET//REL TO USA, GBR\n")
    got = [(Path(m.source.path).name[:3], m.source.number, m.source.marking, m.reasons)
           for m in check_against(doc_of(memo), db)]
    assert got == [("001", "6", "(S/NF)", ("NOFORN",))]


BOILER = ("Post is requested to approach appropriate host government officials to discuss the "
          "matter")


@pytest.mark.parametrize(("marks", "expected"), [
    # the same sentence classified alike in three documents: quoted text, it matches
    (["(S)", "(S)", "(S)"], [(False, 3)]),
    # ... one (U) copy of it: the markings conflict, reported as a warning
    (["(S)", "(S)", "(U)"], [(True, 2)]),
    # written at whatever level its paragraph has: formulaic text, never a match
    (["(S)", "(C)", "(S)"], []),
    (["(S)", "(U)", "(U)"], []),
])
def test_text_marked_differently_in_several_documents_is_boilerplate(
        tmp_path: Path, marks: list[str], expected: list[tuple[bool, int]]) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    for i, mark in enumerate(marks):
        (folder / f"c{i}.txt").write_text(SOURCE.replace(
            "1. (S) The minister", f"1. {mark} {BOILER} number {i}.\n\n3. (S) The minister"))
    db = tmp_path / "set.db"
    build_index([folder], db)
    got = check_against(doc_of(f"Blog: {BOILER}, they wrote."), db)
    assert [(bool(m.conflicts), len({m.source.path for m in got})) for m in got[:1]] == expected


def test_cable_transmission_and_marking_lines_are_not_text() -> None:
    header = ("VZCZCXRO1697\nPP RUEHBC RUEHDE\nDE RUEHTRO #0694/01 2381525\nZNY CCCCC ZZH\n"
              "P R 261525Z AUG 09\nFM AMEMBASSY TRIPOLI\nTO RUEHC/SECSTATE WASHDC PRIORITY 5195\n"
              "INFO RUEHEE/ARAB LEAGUE COLLECTIVE\nRUEHLO/AMEMBASSY LONDON 1139\n"
              "C O N F I D E N T I A L SECTION 01 OF 05 TRIPOLI 000694\n"
              "Classified By: J. Example for reasons 1.4 (b) and (d).\n"
              "FM radio is to be used.\n")
    assert [w for _, _, w in tokens(header)] == [
        "tripoli", "000694", "classified", "by", "j", "example", "for", "fm", "radio", "is",
        "to", "be", "used"]


def test_configured_index_does_not_block_other_commands(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`settings.against` naming an index not built yet: `index build` and `config` still run;
    `check` refuses it (exit 2)."""
    from markings.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".markings.toml").write_text('[settings]\nagainst = "idx.db"\n')
    (tmp_path / "a.txt").write_text("SECRET\n\n(S) The northern pipeline would be delayed "
                                    "until the spring, he said.\n\nSECRET\n")
    assert main(["config"]) == 0
    capsys.readouterr()
    assert main(["check", "a.txt"]) == 2
    assert "no such index" in capsys.readouterr().err
    assert main(["index", "build", "a.txt", "--db", "idx.db"]) == 0
    assert (tmp_path / "idx.db").is_file()
