"""Golden end-to-end tests: real text documents through the whole pipeline.

Every document in ``tests/fixtures/golden/`` (``.txt``, ``.md``, ``.html``, and the odd
binary or empty file) has a sidecar ``<name>.expected.json``::

    {"config": {"today": "2025-06-01", "profile": "auto", ...},
     "findings": [{"code", "name", "severity", "line", "column",
                   "end_line", "end_column", "message"}, ...]}

``config`` holds :class:`markings.config.Config` fields in kebab-case. ``today`` is required
so that date rules are stable. String values of ``settings.deny_list`` and
``settings.against`` are paths relative to the golden directory.

The test runs :func:`markings.engine.check_file` with that config and compares the findings
exactly. After a deliberate change of behaviour, regenerate the sidecars with::

    MARKINGS_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and read every changed finding before committing (``git diff tests/fixtures/golden``); see
``docs/testing.md``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from markings.config import Config
from markings.engine import check_file
from markings.registry import all_rules

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
SIDECAR = ".expected.json"
UPDATE = os.environ.get("MARKINGS_UPDATE_GOLDEN") == "1"
FIELDS = ("code", "name", "severity", "line", "column", "end_line", "end_column", "message")
PATH_SETTINGS = ("deny_list", "against")
DEFAULT_CONFIG = {"today": "2025-06-01"}

# Rules that no single golden text document can trigger, with the reason.
NOT_FROM_TEXT = {
    # The engine's own guard: a rule or the scanner crashed. A golden file that produced it
    # would document a bug, not a behaviour.
    "MK009": "internal-error only reports bugs in markings",
    # An unreadable file needs file-system permissions (or a directory named like a
    # document), which git cannot store portably; tests/test_read.py covers it.
    "MK001": "needs an unreadable path, which a checked-in fixture cannot be",
    # Needs an index of other documents (`markings check --against INDEX`); covered by
    # tests/test_index.py.
    "MK740": "needs an index database of other documents",
    # "Engine rules" that document a behaviour and never report anything.
    "MK513": "documents how LIMDIS captions are read; yields nothing",
    "MK514": "documents how UNCLAS EFTO is read; yields nothing",
}

# Rules that should fire from a text document but currently cannot (scanner gaps). When one
# starts to fire, add a golden document for it and remove it from here.
KNOWN_GAPS: dict[str, str] = {}


def documents() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir()
                  if p.is_file() and not p.name.endswith(SIDECAR) and not p.name.startswith("."))


def sidecar_of(doc: Path) -> Path:
    return doc.with_name(doc.name + SIDECAR)


def load_sidecar(doc: Path) -> dict[str, Any]:
    side = sidecar_of(doc)
    if not side.exists():
        if not UPDATE:
            pytest.fail(f"{doc.name} has no sidecar {side.name}; run with "
                        "MARKINGS_UPDATE_GOLDEN=1 to create one, then review it")
        return {"config": dict(DEFAULT_CONFIG), "findings": []}
    return json.loads(side.read_text(encoding="utf-8"))


def config_of(raw: dict[str, Any]) -> Config:
    raw = json.loads(json.dumps(raw))  # deep copy
    settings = raw.get("settings", {})
    for key in PATH_SETTINGS:
        if isinstance(settings.get(key), str):
            settings[key] = str(GOLDEN / settings[key])
    return Config.model_validate(raw)


def run(doc: Path, raw_config: dict[str, Any]) -> list[dict[str, Any]]:
    report = check_file(doc, config=config_of(raw_config))
    return [{k: (getattr(f, k).value if k == "severity" else getattr(f, k)) for k in FIELDS}
            for f in report.findings]


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.name)
def test_golden(doc: Path) -> None:
    expected = load_sidecar(doc)
    raw_config = expected.get("config", {})
    assert "today" in raw_config, f"{doc.name}: pin `today` in the sidecar config"
    actual = run(doc, raw_config)
    if UPDATE:
        out = {k: v for k, v in expected.items() if k not in ("config", "findings")}
        out.update({"config": raw_config, "findings": actual})
        sidecar_of(doc).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
        return
    assert actual == expected["findings"]


def test_every_document_has_a_sidecar_and_every_sidecar_a_document() -> None:
    docs = {p.name for p in documents()}
    sides = {p.name[:-len(SIDECAR)] for p in GOLDEN.glob("*" + SIDECAR)}
    assert sides == docs


def test_correct_documents_are_quiet() -> None:
    """Files named ``ok_*`` are correct documents: no errors or warnings (INFO allowed)."""
    for doc in documents():
        if not doc.name.startswith("ok_") or not sidecar_of(doc).exists():
            continue
        findings = json.loads(sidecar_of(doc).read_text(encoding="utf-8"))["findings"]
        loud = [f for f in findings if f["severity"] != "info"]
        assert not loud, (doc.name, loud)


def test_golden_files_cover_every_rule() -> None:
    """The union of expected codes covers every registered rule but the allow-list."""
    seen: set[str] = set()
    for side in GOLDEN.glob("*" + SIDECAR):
        seen.update(f["code"] for f in json.loads(side.read_text(encoding="utf-8"))["findings"])
    registered = {r.code for r in all_rules()}
    missing = registered - seen - set(NOT_FROM_TEXT) - set(KNOWN_GAPS)
    assert not missing, f"no golden document triggers {sorted(missing)}"
    fixed = set(KNOWN_GAPS) & seen
    assert not fixed, f"{sorted(fixed)} now fire: remove them from KNOWN_GAPS"
    stale = (set(NOT_FROM_TEXT) | set(KNOWN_GAPS)) - registered
    assert not stale, f"allow-list names unregistered rules {sorted(stale)}"
