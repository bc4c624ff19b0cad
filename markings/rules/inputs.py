"""MK0xx: input problems (unreadable, binary, oversized, empty files; internal errors).

These rules are reported by the engine itself, not by scanning a document model: the
registered check functions yield nothing, they exist so that the codes are documented,
selectable and ignorable like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markings.findings import Finding, Severity, fingerprint
from markings.registry import Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document

_NAMES = {
    "MK001": "unreadable-file",
    "MK002": "binary-file",
    "MK003": "oversized-file",
    "MK004": "empty-file",
    "MK009": "internal-error",
}

_FIXES = {
    "MK001": "Check that the path exists and is readable.",
    "MK002": "Exclude the file, or convert it to a supported format.",
    "MK003": "Raise `max-file-size` or exclude the file.",
    "MK004": "Check the file's contents and encoding.",
    "MK009": "Please report this as a bug.",
}


def input_finding(err: Any, path: str) -> Finding:
    """Turn a :class:`markings.read.ReadError` (``code``, ``message``) into a finding."""
    code = str(getattr(err, "code", "") or "MK001")
    if code not in _NAMES:
        code = "MK001"
    message = str(getattr(err, "message", "") or err or "The file could not be read.")
    fix = _FIXES[code]
    if fix.split()[0].lower() not in message.lower():
        message = f"{message.rstrip('.')}. {fix}"
    return Finding(code=code, name=_NAMES[code], severity=Severity.ERROR, message=message,
                   path=path, fingerprint=fingerprint(path, code, code))


@rule("MK001", "unreadable-file", "error")
def unreadable_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file could not be opened or read.

    ## What it checks
    The path given (or found in a directory) cannot be read: it does not exist, permission
    is denied, or reading failed.

    ## Why
    A document that is not checked is not known to be correctly marked. The rest of the
    batch is still checked, but the run fails.

    ## Example
    `markings check missing.txt` reports `MK001` for `missing.txt`.

    ## Fix
    Check that the path exists and is readable, or exclude it.
    """
    return ()


@rule("MK002", "binary-file", "error")
def binary_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file looks binary and has no reader that can extract its text.

    ## What it checks
    The file contains NUL bytes or other binary content and is not a supported document
    format (DOCX and PDF are read when their optional dependencies are installed).

    ## Why
    Markings in an unsupported binary file cannot be checked.

    ## Example
    `markings check image.png` reports `MK002`.

    ## Fix
    Exclude the file, or convert it to a supported format (text, Markdown, HTML, DOCX, PDF).
    """
    return ()


@rule("MK003", "oversized-file", "error")
def oversized_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file is larger than `max-file-size` and was not read.

    ## What it checks
    The file's size exceeds the configured `max-file-size` (20 MB by default).

    ## Why
    Very large files are usually not documents (archives, dumps) and would slow every run.

    ## Example
    A 50 MB log file reports `MK003`.

    ## Fix
    Raise `max-file-size` in `[tool.markings]`, or exclude the file.
    """
    return ()


@rule("MK004", "empty-file", "error")
def empty_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file is empty or its text cannot be decoded.

    ## What it checks
    The file has no content, or no text could be decoded or extracted from it.

    ## Why
    An empty or undecodable document cannot carry markings; often it is a truncated copy
    or a wrong encoding.

    ## Example
    An empty `memo.txt` reports `MK004`.

    ## Fix
    Check the file's contents and encoding (UTF-8, UTF-16 with BOM, or Latin-1).
    """
    return ()


@rule("MK009", "internal-error", "error")
def internal_error(doc: Document, ctx: Context) -> Iterable[Hit]:
    """markings failed while checking a document (a bug in markings).

    ## What it checks
    A rule or the document builder raised an unexpected exception. The failure is reported
    for that document and the rest of the batch is still checked.

    ## Why
    A silent crash would let a mismarked document pass; the run fails instead.

    ## Example
    `MK009 Rule MK101 (banner-below-portion-max) failed on this document: KeyError.`

    ## Fix
    Please report the bug with the rule code and, if you can share it, a minimal document.
    Meanwhile the rule can be ignored with `--ignore`.
    """
    return ()
