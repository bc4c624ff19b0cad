"""The generated reference docs must match the registry and the config schema."""

from __future__ import annotations

from pathlib import Path

from markings.docgen import generate, stale
from markings.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_fresh() -> None:
    bad = stale(ROOT)
    assert not bad, f"stale generated docs {bad}; run `python -m markings.docgen`"


def test_every_rule_has_a_page_with_its_identity() -> None:
    pages = generate()
    for r in all_rules():
        page = pages[f"docs/rules/{r.code}.md"]
        assert f"# {r.code} {r.name}" in page
        assert f"| Severity | {r.severity.value} |" in page
        assert f"[{r.code}]({r.code}.md)" in pages["docs/rules/index.md"]
    assert "`extend-exclude`" in pages["docs/configuration.md"]
