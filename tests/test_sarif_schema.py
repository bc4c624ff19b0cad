"""SARIF output is checked against a schema, not only spot-checked.

(a) Always: our own subset schema, ``tests/data/sarif-subset.schema.json``. It covers
    what we emit and adds GitHub code scanning's extra requirements.
(b) The official OASIS SARIF 2.1.0 schema, validated as draft-04. It is not vendored:
    ``.ci/fetch_sarif_schema.py`` (run by ``.ci/run``) writes a checked copy to
    ``.ci/cache/sarif-schema-2.1.0.json``; ``$MARKINGS_SARIF_SCHEMA`` points at another
    copy. Without either the test skips locally, but fails under CI (``$CI`` set).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from markings.cli import main
from markings.findings import Finding, Severity, Span, fingerprint
from markings.output import OutputContext, render

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the [test] extra")

ROOT = Path(__file__).resolve().parent.parent
SUBSET = Path(__file__).parent / "data" / "sarif-subset.schema.json"
OFFICIAL_CACHED = ROOT / ".ci" / "cache" / "sarif-schema-2.1.0.json"
EXAMPLES = ["examples/memo-mismarked.txt", "examples/memo-correct.txt"]
# Paths that need percent-encoding in a URI reference.
TRICKY = ["docs/memo draft #2.txt", "docs/100% done.txt", "docs/mémo [v1].txt"]
DOCS_URL = "https://docs.example.org/markings/rules/"


def _official_schema_path() -> Path | None:
    env = os.environ.get("MARKINGS_SARIF_SCHEMA")
    if env:
        return Path(env) if Path(env).is_file() else None
    return OFFICIAL_CACHED if OFFICIAL_CACHED.is_file() else None


def _cli_sarif(tmp_path: Path, *paths: str) -> dict[str, Any]:
    out = tmp_path / "out.sarif"
    main(["check", "--output-format", "sarif", "--output-file", str(out), *paths])
    return json.loads(out.read_text(encoding="utf-8"))


def _finding(path: str, code: str = "MK101", sev: Severity = Severity.ERROR) -> Finding:
    return Finding(code=code, name="x", severity=sev, message="Banner `C` is too low.",
                   path=path, line=2, column=3, end_line=2, end_column=6,
                   fingerprint=fingerprint(path, code, "(S)"),
                   related=(Span(start=0, end=3, line=1, column=1, end_line=1,
                                 end_column=4),))


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Real CLI output over the examples, plus rendered edge cases."""
    tmp = tmp_path_factory.mktemp("sarif")
    old = os.getcwd()
    os.chdir(ROOT)  # repo-relative artifact URIs, as in CI
    try:
        out = {"cli-" + Path(p).stem: _cli_sarif(tmp, p) for p in EXAMPLES}
        out["cli-both"] = _cli_sarif(tmp, *EXAMPLES)
        sevs = [Severity.ERROR, Severity.WARNING, Severity.INFO]
        tricky = [_finding(p, sev=s) for p, s in zip(TRICKY, sevs, strict=False)]
        tricky.append(_finding(str(tmp / "outside cwd #1.txt")))  # absolute -> file URI
        out["render-tricky-paths"] = json.loads(
            render(tricky, OutputContext(format="sarif", files=TRICKY)))
        out["render-empty"] = json.loads(render([], OutputContext(format="sarif")))
        out["render-help-uri"] = json.loads(render(
            tricky[:1], OutputContext(format="sarif", extra={"docs_url": DOCS_URL})))
    finally:
        os.chdir(old)
    assert out["cli-memo-mismarked"]["runs"][0]["results"], "example should have findings"
    return out


def _validator(schema: dict[str, Any], cls: Any) -> Any:
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def subset() -> Any:
    return _validator(json.loads(SUBSET.read_text(encoding="utf-8")),
                      jsonschema.Draft202012Validator)


def _errors(validator: Any, log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(log)]


def test_output_matches_subset_schema(logs: dict[str, dict[str, Any]], subset: Any) -> None:
    for name, log in logs.items():
        assert _errors(subset, log) == [], name


def test_output_consistency_beyond_schema(logs: dict[str, dict[str, Any]]) -> None:
    """Cross-field rules a JSON schema cannot state."""
    for name, log in logs.items():
        for run in log["runs"]:
            rules = run["tool"]["driver"]["rules"]
            ids = [r["id"] for r in rules]
            assert len(ids) == len(set(ids)), name
            for res in run["results"]:
                assert res["ruleId"] in ids, (name, res["ruleId"])
                if "ruleIndex" in res:
                    assert rules[res["ruleIndex"]]["id"] == res["ruleId"], name
                for loc in res["locations"] + res.get("relatedLocations", []):
                    reg = loc["physicalLocation"]["region"]
                    start, end = (reg["startLine"], reg["startColumn"]), \
                        (reg["endLine"], reg["endColumn"])
                    assert end > start, (name, reg)  # endColumn is exclusive


def test_tricky_paths_are_percent_encoded(logs: dict[str, dict[str, Any]]) -> None:
    results = logs["render-tricky-paths"]["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris[:3] == ["docs/memo%20draft%20%232.txt", "docs/100%25%20done.txt",
                        "docs/m%C3%A9mo%20%5Bv1%5D.txt"]
    assert uris[3].startswith("file:///") and uris[3].endswith("/outside%20cwd%20%231.txt")


def _set(path: str, value: Any) -> Any:
    def mutate(log: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = log
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


_DELETE = object()
_RES = "runs.0.results.0"
_LOC = f"{_RES}.locations.0.physicalLocation"
_RULE = "runs.0.tool.driver.rules.0"
BROKEN = {
    "no-version": _set("version", _DELETE),
    "wrong-version": _set("version", "2.0.0"),
    "no-driver-name": _set("runs.0.tool.driver.name", _DELETE),
    "rule-without-help": _set(f"{_RULE}.help", _DELETE),
    "rule-empty-short-description": _set(f"{_RULE}.shortDescription.text", ""),
    "rule-short-description-too-long": _set(f"{_RULE}.shortDescription.text", "x" * 1025),
    "level-fatal": _set(f"{_RES}.level", "fatal"),
    "message-without-text": _set(f"{_RES}.message", {"id": "m1"}),
    "no-locations": _set(f"{_RES}.locations", []),
    "zero-based-line": _set(f"{_LOC}.region.startLine", 0),
    "string-column": _set(f"{_LOC}.region.startColumn", "1"),
    "float-end-column": _set(f"{_LOC}.region.endColumn", 4.5),
    "snippet-in-region": _set(f"{_LOC}.region.snippet", {"text": "SECRET"}),
    "uri-with-space": _set(f"{_LOC}.artifactLocation.uri", "docs/a b.txt"),
    "uri-with-fragment": _set(f"{_LOC}.artifactLocation.uri", "docs/a#2.txt"),
    "uri-bare-percent": _set(f"{_LOC}.artifactLocation.uri", "docs/100%.txt"),
    "fingerprint-not-string": _set(f"{_RES}.partialFingerprints.markings/v1", 42),
    "unknown-result-property": _set(f"{_RES}.severity", "error"),
    "column-kind-bytes": _set("runs.0.columnKind", "bytes"),
    "base-uri-no-trailing-slash": _set("runs.0.originalUriBaseIds.%SRCROOT%.uri",
                                       "file:///work"),
}


@pytest.fixture(scope="module")
def small_log(logs: dict[str, dict[str, Any]], subset: Any) -> dict[str, Any]:
    """Real output trimmed to the rules its results use (keeps negative tests fast)."""
    log = copy.deepcopy(logs["cli-memo-mismarked"])
    run = log["runs"][0]
    used = {r["ruleId"] for r in run["results"]}
    rules = [r for r in run["tool"]["driver"]["rules"] if r["id"] in used]
    run["tool"]["driver"]["rules"] = rules
    for res in run["results"]:
        res["ruleIndex"] = [r["id"] for r in rules].index(res["ruleId"])
    assert _errors(subset, log) == []
    return log


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_sarif_fails_subset_schema(case: str, small_log: dict[str, Any],
                                          subset: Any) -> None:
    log = copy.deepcopy(small_log)
    BROKEN[case](log)
    assert not subset.is_valid(log), f"subset schema accepted a broken document ({case})"


def test_output_matches_official_sarif_schema(logs: dict[str, dict[str, Any]]) -> None:
    path = _official_schema_path()
    if path is None:
        env = os.environ.get("MARKINGS_SARIF_SCHEMA")
        where = f"MARKINGS_SARIF_SCHEMA={env!r} is not a file" if env else \
            f"MARKINGS_SARIF_SCHEMA unset and {OFFICIAL_CACHED} missing"
        msg = (f"official SARIF 2.1.0 schema not available ({where}); run "
               "`python .ci/fetch_sarif_schema.py` or point MARKINGS_SARIF_SCHEMA at a copy")
        if os.environ.get("CI") or env:
            pytest.fail(msg)
        pytest.skip(msg)
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    official = _validator(schema, jsonschema.Draft4Validator)
    for name, log in logs.items():
        assert _errors(official, log) == [], name
    broken = copy.deepcopy(logs["cli-memo-mismarked"])
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert _errors(official, broken), "official schema should reject level 'fatal'"


def test_help_uri_only_with_a_configured_docs_url(logs: dict[str, dict[str, Any]]) -> None:
    """The project has no stable published address: rules link to their page only when
    `docs-url` says where the pages are."""
    for name, log in logs.items():
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        uris = [r.get("helpUri") for r in rules]
        if name == "render-help-uri":
            assert uris == [f"{DOCS_URL}{r['id']}.md" for r in rules]
        else:
            assert uris == [None] * len(rules), name


@pytest.mark.parametrize("docs_url,want", [
    ("https://docs.example.org/rules", "https://docs.example.org/rules/MK101.md"),
    ("https://docs.example.org/rules/", "https://docs.example.org/rules/MK101.md"),
    ("https://docs.example.org/rules/{code}/", "https://docs.example.org/rules/MK101/"),
    (None, None),
    ("", None),
])
def test_help_uri_forms(docs_url: str | None, want: str | None) -> None:
    from markings.output.sarif import help_uri

    assert help_uri("MK101", docs_url) == want


def test_docs_url_from_the_configuration_reaches_sarif(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text((ROOT / EXAMPLES[0]).read_text(encoding="utf-8"),
                                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".markings.toml").write_text('select = ["MK101"]\n')
    assert main(["check", "a.txt", "--output-format", "sarif"]) == 1
    rules = json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]["rules"]
    assert all("helpUri" not in r for r in rules)
    (tmp_path / ".markings.toml").write_text(f'select = ["MK101"]\ndocs-url = "{DOCS_URL}"\n')
    assert main(["check", "a.txt", "--output-format", "sarif"]) == 1
    rules = json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: r["helpUri"] for r in rules}["MK101"] == f"{DOCS_URL}MK101.md"
    (tmp_path / ".markings.toml").write_text('docs-url = "docs/rules"\n')
    assert main(["check", "a.txt", "--output-format", "sarif"]) == 2
    assert "`docs-url` must be an http(s) URL" in capsys.readouterr().err
