"""MK0xx: input problems (unreadable, binary, oversized, empty files; a fallback encoding;
internal errors).

MK001-MK004 and MK009 are reported by the engine itself, not by scanning a document model:
their registered check functions yield nothing, they exist so that the codes are documented,
selectable and ignorable like every other rule. The same checks apply to files, standard
input (``markings check -``) and documents given as strings or bytes
(``markings.check_text``, ``markings.engine.check_bytes``). MK005 is an ordinary rule: it
reads what the reader recorded in ``Document.fallback_encoding``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markings.findings import Finding, Severity, Span, fingerprint
from markings.registry import NEVER, Context, Hit, rule

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


@rule("MK001", "unreadable-file", "error",
      needs=(NEVER,))
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


@rule("MK002", "binary-file", "error",
      needs=(NEVER,))
def binary_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file looks binary and has no reader that can extract its text.

    ## What it checks
    The file contains NUL bytes or other binary content and is not a supported document
    format (DOCX and PDF are read when their optional dependencies are installed). Standard
    input and a string given to `markings.check_text` are checked the same way. A UTF-16
    or UTF-32 file with a byte-order mark is text, not binary.

    ## Why
    Markings in an unsupported binary file cannot be checked.

    ## Example
    `markings check image.png` reports `MK002`.

    ## Fix
    Exclude the file, or convert it to a supported format (text, Markdown, HTML, DOCX, PDF).
    """
    return ()


@rule("MK003", "oversized-file", "error",
      needs=(NEVER,))
def oversized_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file is larger than `max-file-size` and was not read.

    ## What it checks
    The file's size exceeds the configured `max-file-size` (20 MB by default); for
    standard input, its size in bytes; for a string, its size encoded as UTF-8.

    ## Why
    Very large files are usually not documents (archives, dumps) and would slow every run.

    ## Example
    A 50 MB log file reports `MK003`.

    ## Fix
    Raise `max-file-size` in `[tool.markings]`, or exclude the file.
    """
    return ()


@rule("MK004", "empty-file", "error",
      needs=(NEVER,))
def empty_file(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file is empty or its text cannot be decoded.

    ## What it checks
    The file has no content, only white space, or no text could be decoded or extracted
    from it. Empty standard input and an empty string given to `markings.check_text` are
    reported the same way.

    ## Why
    An empty or undecodable document cannot carry markings; often it is a truncated copy
    or a wrong encoding.

    ## Example
    An empty `memo.txt` reports `MK004`.

    ## Fix
    Check the file's contents and encoding (UTF-8, or UTF-16 or UTF-32 with a byte-order
    mark; other bytes are read as Windows-1252, see `MK005`).
    """
    return ()


_ENCODING_LABELS = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)"}


@rule("MK005", "input-fallback-encoding", "info",
      needs=("fallback-encoding",))
def input_fallback_encoding(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A file is not valid UTF-8 and was read as Windows-1252 (cp1252).

    ## What it checks
    The bytes of the file (or of standard input) are not valid UTF-8 and carry no
    byte-order mark. markings then reads them as Windows-1252, the usual encoding of such
    files (as Latin-1 when even that fails), and reports where the first byte that is not
    valid UTF-8 stands: its byte offset, and its line and column.

    ## Why
    The guess is usually right, but it is a guess: a character such as `¶` or `§` read in
    the wrong encoding can hide a portion mark or change a marking. Other tools that read
    the file as UTF-8 will fail on it or show replacement characters.

    ## Example
    A memo saved by an old word processor with `café` written as the single byte `E9`
    reports `MK005 The file is not valid UTF-8 (first invalid byte at byte offset 73);
    it was read as Windows-1252 (cp1252).`

    ## Fix
    Re-save the file as UTF-8 (most editors offer the encoding when saving; or run
    `iconv -f cp1252 -t utf-8`). Ignore the rule if the repository deliberately keeps
    Windows-1252 files.
    """
    fb = doc.fallback_encoding
    if fb is None:
        return
    encoding, byte_offset, offset = fb
    offset = max(0, min(offset, len(doc.text) - 1))
    sp = doc.span(offset, offset + 1) if doc.text else Span()
    label = _ENCODING_LABELS.get(encoding, encoding)
    yield Hit(span=sp, key=encoding,
              message=f"The file is not valid UTF-8 (first invalid byte at byte offset "
                      f"{byte_offset}); it was read as {label}. Re-save it as UTF-8.")


@rule("MK009", "internal-error", "error",
      needs=(NEVER,))
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
