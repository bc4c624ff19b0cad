"""The engine skips a rule only where it cannot report: proven by running it anyway.

A rule declares the facts it needs (``@rule(needs=...)``, see
:func:`markings.document.document_facts`); ``check_document`` skips it on a document that
lacks them. Here every rule is run on every document it would be skipped for (fixtures,
shared seeds, the shared corpus when present) under every marking profile, and must report
nothing and raise nothing; and ``check_document`` gives the same findings with and without
the skip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from markings import engine
from markings.config import Config
from markings.document import Document, document_facts, marking_facts
from markings.read import read_path
from markings.registry import MARKING_PROFILES, NEVER, all_rules
from markings.scan import build

from _documents import CORPUS, ROOT, built_documents, document_files

def _skipped_rules_report_nothing(docs: Iterator[Document], profiles: tuple[str, ...]
                                  ) -> int:
    """Run each rule that the engine would skip; return how many (rule, document,
    profile) runs were checked."""
    rules = [r for r in all_rules() if r.needs]
    checked = 0
    for doc in docs:
        for profile in profiles:
            for today in (None, dt.date(2026, 1, 1)):
                ctx = engine.make_context(Config(today=today), profile)
                facts = engine.facts_for(doc, ctx)
                skipped = [r for r in rules if not r.may_fire(facts)]
                for r in skipped:
                    hits = list(r.check(doc.model_copy(), ctx))
                    assert hits == [], (doc.path, profile, r.code, hits[:1])
                    checked += 1
    return checked


def test_skipped_rules_report_nothing_on_fixtures_and_seeds() -> None:
    checked = _skipped_rules_report_nothing(
        built_documents(document_files(corpus=False)), MARKING_PROFILES)
    assert checked > 1000  # the skip is not vacuous


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_skipped_rules_report_nothing_on_the_corpus() -> None:
    files = sorted(CORPUS.glob("*.txt"))
    checked = _skipped_rules_report_nothing(built_documents(files), ("state-cable",))
    assert checked > 10 * len(files)


def test_check_document_same_with_and_without_skip() -> None:
    files = document_files(corpus=False)
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.txt"))[::7]
    cfg = Config(today=dt.date(2026, 1, 1))
    n = 0
    for doc in built_documents(files):
        fast = engine.check_document(doc.model_copy(), cfg)
        plain = engine.check_document(doc.model_copy(), cfg, skip=False)
        assert fast == plain, doc.path
        n += len(plain)
    assert n > 100  # the documents do give findings


def test_rules_that_report_elsewhere_are_always_skipped() -> None:
    never = [r.code for r in all_rules() if frozenset((NEVER,)) in r.needs]
    assert {"MK001", "MK009", "MK901"} <= set(never)
    for doc in built_documents(document_files(corpus=False)[:5]):
        assert NEVER not in doc.facts()


def test_document_facts_name_the_markings_content() -> None:
    from markings.parse import parse_marking

    m = parse_marking("(S//REL TO USA, GBR//FOUO)")
    facts = marking_facts(m)
    assert {"level:S", "FOUO", "<rel-to>"} <= facts
    assert marking_facts(m) is facts  # cached by identity
    doc = Document(path="x.txt")
    assert document_facts(doc) == {"style:unmarked", "undated"}


def test_settings_that_are_set_are_facts() -> None:
    from markings.registry import Context, get_rule

    doc = Document(path="x.txt")
    plain = engine.facts_for(doc, Context())
    ctx = Context(settings={"analytic_product": True, "against": None})
    facts = engine.facts_for(doc, ctx)
    assert facts == plain | {"setting:analytic_product"}
    rule = get_rule("MK314")
    assert rule is not None and rule.may_fire(facts) and not rule.may_fire(plain)


def test_runnable_rules_keep_order_and_cache() -> None:
    rules = engine._selected_tuple(Config(), "capco", None)
    facts = frozenset({"banner"})
    got = engine.runnable_rules(rules, facts)
    assert got == tuple(r for r in rules if r.may_fire(facts))
    assert engine.runnable_rules(rules, facts) is got
    assert len(got) < len(rules)


def test_findings_built_without_validation_equal_validated_ones() -> None:
    """The engine's Finding fast path gives what pydantic's validation gives, on every
    finding of the fixtures, the seeds and a sample of the corpus."""
    import pickle

    files = document_files(corpus=False)
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.txt"))[::5]
    cfg = Config(today=dt.date(2026, 1, 1))
    n = 0
    for doc in built_documents(files):
        profile = engine.profile_for(doc, cfg)
        ctx = engine.make_context(cfg, profile)
        for r in engine.selected_rules(cfg, profile, doc.path):
            for hit in r.check(doc, ctx):
                fast = engine._finding_of(r, hit, doc.path)
                plain = engine.to_finding(r, hit, doc.path)
                assert fast == plain and hash(fast) == hash(plain)
                assert list(fast.__dict__.items()) == list(plain.__dict__.items())
                assert fast.model_fields_set == plain.model_fields_set
                assert fast.model_dump_json() == plain.model_dump_json()
                assert pickle.loads(pickle.dumps(fast)) == plain
                n += 1
    assert n > 200


def test_finding_fast_path_leaves_unusual_hits_to_validation() -> None:
    from markings.findings import Severity, Span
    from markings.registry import Hit, get_rule

    r = get_rule("MK101")
    assert r is not None
    sp = Span(start=1, end=2)
    hit = Hit(sp, "m", related=[sp], severity="info")  # type: ignore[arg-type]
    f = engine._finding_of(r, hit, "a.txt")
    assert f.related == (sp,) and f.severity is Severity.INFO
    assert f == engine.to_finding(r, hit, "a.txt")


def test_facts_hold_the_consistency_tokens() -> None:
    """The consistency rules test the document's facts for the tokens they look for: the
    facts hold every token of every marking those rules read."""
    from markings.rules import consistency

    n = 0
    corpus = sorted(CORPUS.glob("*.txt"))[::3] if CORPUS.is_dir() else []
    for doc in built_documents(document_files(corpus=False) + corpus):
        tokens: set[str] = set()
        for _, m in consistency._refs_list(doc):
            tokens |= consistency._tokens(m)
        assert tokens <= doc.facts(), doc.path
        n += len(tokens)
    assert n > (300 if CORPUS.is_dir() else 50)  # fixtures and seeds alone hold ~100


def test_check_document_drops_only_its_own_memo() -> None:
    f = ROOT / "tests" / "fixtures" / "documents" / "cable_state_ok.txt"
    doc = build(read_path(f), path=str(f))
    first = engine.check_document(doc)
    assert "_memo" not in doc.__dict__  # nothing the rules kept outlives the check
    assert engine.check_document(doc) == first  # and the next check computes it again
    doc.overall_memo()  # a caller's own memo is left alone
    assert engine.check_document(doc) == first
    assert "overall" in doc.__dict__["_memo"][1]


def test_context_settings_are_the_settings_fields() -> None:
    from markings.config import Settings

    for cfg in (Config(), Config(settings=Settings(analytic_product=True)),
                Config(redaction_profile="foia")):
        ctx = engine.make_context(cfg, "capco")
        want = dict(cfg.settings)
        if cfg.redaction_profile:
            want.setdefault("redaction_profile", cfg.redaction_profile)
        assert ctx.settings == want and list(ctx.settings) == list(want)


def test_facts_leave_the_portion_marks_memo_as_computed_alone() -> None:
    n = 0
    for doc in built_documents(document_files(corpus=False)):
        doc.facts()
        got = doc.portion_marks_memo()
        want = tuple(doc.portion_marks)
        assert len(got) == len(want) and all(a is b for a, b in zip(got, want)), doc.path
        n += len(want)
    assert n > 100
