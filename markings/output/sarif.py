"""SARIF 2.1.0 for GitHub code scanning (no snippets, no context regions)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from markings.findings import Finding, Severity, Span
from markings.output import OutputContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM = {Severity.ERROR: "error", Severity.WARNING: "warning",
            Severity.INFO: "recommendation"}


def _uri(path: str) -> str:
    """A repo-relative URI reference when possible (stable across runs), else a file URI.

    Relative paths are percent-encoded (RFC 3986 ``uri-reference``): besides spaces,
    ``%``, ``#``, ``?``, brackets and non-ASCII characters must be escaped, or consumers
    read a fragment/query or reject the URI.
    """
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return p.resolve().as_uri()
    return quote(p.as_posix(), safe="/")


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    end_line = max(end_line, line)
    if end_line == line:
        end_column = max(end_column, column + 1)
    return {"startLine": max(line, 1), "startColumn": max(column, 1),
            "endLine": max(end_line, 1), "endColumn": max(end_column, 1)}


def _location(uri: str, sp: Span | Finding) -> dict[str, object]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                                 "region": _region(sp.line, sp.column, sp.end_line,
                                                   sp.end_column)}}


def help_uri(code: str, docs_url: str | None) -> str | None:
    """The URL of a rule's page under the configured ``docs-url``: ``{code}`` in it is
    replaced by the code, otherwise ``<docs-url>/<code>.md``; None without a base (this
    project has no stable published address, so nothing is made up)."""
    if not docs_url:
        return None
    if "{code}" in docs_url:
        return docs_url.replace("{code}", code)
    return docs_url.rstrip("/") + f"/{code}.md"


def rule_descriptors(docs_url: str | None = None) -> list[dict[str, object]]:
    """One reportingDescriptor per registered rule, documented from the registry; with
    ``docs_url``, each has a ``helpUri`` (:func:`help_uri`)."""
    from markings.registry import all_rules

    out: list[dict[str, object]] = []
    for r in all_rules():
        doc = r.doc or r.summary
        tags = ["classification-markings", r.family]
        if r.catalogue:
            tags.append(f"catalogue-{r.catalogue}")
        d: dict[str, object] = {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary[:1024]},
            "fullDescription": {"text": doc},
            "help": {"text": doc, "markdown": f"**{r.code} {r.name}**\n\n{doc}"},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"tags": tags, "precision": "high",
                           "problem.severity": _PROBLEM[r.severity]},
        }
        uri = help_uri(r.code, docs_url)
        if uri is not None:
            d["helpUri"] = uri
        out.append(d)
    return out


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render one SARIF log with one run."""
    from markings import __version__

    docs_url = ctx.extra.get("docs_url")
    rules = rule_descriptors(docs_url if isinstance(docs_url, str) else None)
    index = {str(r["id"]): i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        uri = _uri(f.path)
        res: dict[str, object] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(uri, f)],
            "partialFingerprints": {"markings/v1": f.fingerprint},
        }
        if f.code in index:
            res["ruleIndex"] = index[f.code]
        if f.related:
            res["relatedLocations"] = [{"id": i, **_location(uri, sp)}
                                       for i, sp in enumerate(f.related[:10])]
        results.append(res)
    cwd = Path(os.getcwd()).resolve().as_uri()
    cwd += "" if cwd.endswith("/") else "/"  # uriBaseId URIs end with "/" (not "file:////")
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "markings", "version": __version__,
                                "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/markings/",
                                "rules": rules}},
            "automationDetails": {"id": "markings/"},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd}},
            "invocations": [{"executionSuccessful": True,
                             "workingDirectory": {"uri": cwd}}],
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
