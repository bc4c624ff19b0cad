"""markings: validate classification markings and redactions in documents.

Library use::

    import markings
    m = markings.parse_marking("(S//REL TO USA, GBR)")
    m.banner()                      # 'SECRET//REL TO USA, GBR'
    markings.rollup([m, markings.parse_marking("(C//NF)")]).banner()   # 'SECRET//NOFORN'
    markings.explain([m, markings.parse_marking("(C)")]).nf_reason     # 'fdr-missing'
    report = markings.check_file("memo.txt")

Names are imported lazily so that ``import markings`` stays cheap for the pre-commit hook.
"""

from __future__ import annotations

# Not ``from typing import ...``: importing ``typing`` (with ``re`` and ``collections``) is
# most of the cost of a bare ``import markings``; type checkers know this constant.
TYPE_CHECKING = False

__version__ = "0.1.0"

_EXPORTS = {
    # marking core
    "parse_marking": "markings.parse",
    "parse_banner": "markings.parse",
    "parse_portion": "markings.parse",
    "parse_declass": "markings.parse",
    "parse_authority_line": "markings.parse",
    "parse_eo_line": "markings.parse",
    "parse_classified_by": "markings.parse",
    "render_banner": "markings.render",
    "render_portion": "markings.render",
    "rollup": "markings.combine",
    "explain": "markings.combine",
    "compare": "markings.combine",
    "Marking": "markings.model",
    "Level": "markings.model",
    "AuthorityBlock": "markings.model",
    "DeclassValue": "markings.model",
    "MarkingSyntaxError": "markings.model",
    # documents and checks
    "Document": "markings.document",
    "check_text": "markings.engine",
    "check_file": "markings.engine",
    "check_paths": "markings.engine",
    "check_document": "markings.engine",
    "inspect_file": "markings.engine",
    "Config": "markings.config",
    "Finding": "markings.findings",
    "Report": "markings.findings",
    "Severity": "markings.findings",
}

__all__ = [
    "AuthorityBlock",
    "Config",
    "DeclassValue",
    "Document",
    "Finding",
    "Level",
    "Marking",
    "MarkingSyntaxError",
    "Report",
    "Severity",
    "check_document",
    "check_file",
    "check_paths",
    "check_text",
    "compare",
    "explain",
    "inspect_file",
    "parse_authority_line",
    "parse_banner",
    "parse_classified_by",
    "parse_declass",
    "parse_eo_line",
    "parse_marking",
    "parse_portion",
    "render_banner",
    "render_portion",
    "rollup",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'markings' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from markings.config import Config
    from markings.document import Document
    from markings.engine import check_document, check_file, check_paths, check_text, inspect_file
    from markings.findings import Finding, Report, Severity
    from markings.model import AuthorityBlock, DeclassValue, Level, Marking, MarkingSyntaxError
    from markings.parse import (
        parse_authority_line,
        parse_banner,
        parse_classified_by,
        parse_declass,
        parse_eo_line,
        parse_marking,
        parse_portion,
    )
    from markings.render import render_banner, render_portion
    from markings.combine import compare, explain, rollup
