"""Read stage: format adapters that turn a file into a :class:`Source`.

Contract (used by ``markings.engine`` and ``markings.scan``):

* ``Source``: ``path``, ``original`` (decoded file text), ``text`` (the *view*: same length
  as ``original``; markup such as HTML tags or inline entity annotations replaced by spaces,
  so offsets map 1:1 back to the file), ``form`` (plain, markdown, html, tokenized, docx,
  pdf), ``notes``.
* ``read_path(path, max_bytes=...) -> Source`` raises ``ReadError`` (with ``code`` MK001
  unreadable, MK002 binary, MK003 oversized, MK004 empty/undecodable) for bad input.
* ``read_bytes(data, path=..., max_bytes=...) -> Source``: the same checks for bytes that
  do not come from a file (standard input); ``check_input_text(text, max_bytes=...)`` the
  same checks for a document given as a string.
* ``source_from_text(text, path=..., form=None) -> Source`` detects the form automatically.

Decoding: a byte-order mark selects UTF-8, UTF-16 or UTF-32 (and is removed); otherwise
UTF-8, and bytes that are not valid UTF-8 are read as Windows-1252 (Latin-1 when not even
that), recorded in ``Source.fallback_encoding`` for the ``MK005`` finding.

Besides the view, a source carries ``breaks``: offsets where the markup implied a line
break that the view cannot show (a ``<p>`` or ``<br>`` tag, a ``¶`` paragraph anchor), so
the scanner can start a logical line there without changing the view's length or lines.
"""

from __future__ import annotations

import html as _html
import os
import re
import stat as _stat
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FORMS", "ReadError", "Source", "check_input_text", "detect_form", "read_bytes",
           "read_path", "source_from_text"]

FORMS = ("plain", "markdown", "html", "tokenized", "docx", "pdf")


class ReadError(Exception):
    """A file that cannot be read as a document; ``code`` is the MK0xx rule code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:  # picklable across processes
        return (ReadError, (self.code, self.message))


@dataclass
class Source:
    """A decoded document and its *view* (same length, markup blanked)."""

    path: str
    original: str
    text: str
    form: str = "plain"
    notes: list[str] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # logical line starts implied by markup
    # Set when the bytes were not valid UTF-8: (encoding used, byte offset of the first
    # invalid byte, the offset of its character in ``original``).
    fallback_encoding: tuple[str, int, int] | None = None

    def __post_init__(self) -> None:
        if len(self.text) != len(self.original):  # the 1:1 offset guarantee
            raise ValueError("view text must have the same length as the original")


# --- form detection -----------------------------------------------------------------------

_ANNOT_RE = re.compile(r"\[(?:LOC|PER|ORG|MISC) ([^\[\]\n]{0,200}?) *\]")
_ANNOT_START_RE = re.compile(r"\[(?:LOC|PER|ORG|MISC) ")
_TAG_RE = re.compile(r"<(?:!--.*?--|[A-Za-z/!?][^<>]{0,2000}?)>", re.DOTALL)
_HTML_DOC_RE = re.compile(r"^\s*(?:<!DOCTYPE\s+html|<html\b|<\?xml[^>]*>\s*<html\b)", re.IGNORECASE)
_HTML_TAG_HINT = re.compile(
    r"<(?:p|div|br|span|table|td|tr|li|ul|ol|h[1-6]|body|head|b|i|em|strong|a\s)[\s/>]",
    re.IGNORECASE)
_MD_HINT = re.compile(r"^(?:#{1,6} \S|```|[-*] \S|\d+\. \S|> \S)", re.MULTILINE)
_CODE_PRE = "<code><pre>"
_ENCODED_BREAK_RE = re.compile(r"&#(?:[xX]0*[aA]|0*10);")


def detect_form(text: str, path: str | None = None) -> str:
    """Guess the form of ``text`` by content first, then by the file extension."""
    head = text[:20000]
    # ("[" first: one fast scan for a character most texts do not hold)
    if "[" in head and _ANNOT_START_RE.search(head) and len(_ANNOT_RE.findall(head)) >= 3:
        return "tokenized"
    if "<" in head and _CODE_PRE in head:
        # a published cable page: the text inside <code><pre> with its line breaks encoded
        # as ``&#x000A;`` and links around TAGS and paragraph anchors; no line break is
        # lost, so it is read as HTML (tags blanked, entities decoded); without encoded
        # line breaks it is tokenized text
        return "html" if _ENCODED_BREAK_RE.search(head) else "tokenized"
    if _HTML_DOC_RE.match(head):
        return "html"
    ext = os.path.splitext(path or "")[1].lower()
    if ext in (".html", ".htm", ".xhtml"):
        return "html"
    if "<" in head and len(_HTML_TAG_HINT.findall(head)) >= 3 and head.count("\n") < 20 * max(
            1, len(_HTML_TAG_HINT.findall(head))):
        return "html"
    if ext in (".md", ".markdown"):
        return "markdown"
    if _hash_at_line_start(head) and re.search(r"^#{1,6} \S", head, re.MULTILINE) and len(_MD_HINT.findall(head)) >= 3:
        return "markdown"
    return "plain"


def _hash_at_line_start(head: str) -> bool:
    """``"\\n#" in head or head.startswith("#")``, read from the (few) ``#`` of ``head``:
    most cables hold one ``#`` and no ``\\n#``, which the plain test learns only after
    reading the whole head (tests/test_read.py)."""
    i = head.find("#")
    while i != -1:
        if i == 0 or head[i - 1] == "\n":
            return True
        i = head.find("#", i + 1)
    return False


# --- view builders (same length as the input) ---------------------------------------------

def _blank(s: str) -> str:
    """Spaces for ``s``, keeping its newlines so line numbers stay right."""
    if "\n" not in s:
        return " " * len(s)
    return "".join("\n" if ch == "\n" else " " for ch in s)


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|tr|li|h[1-6]|pre|table|ul|ol|blockquote|section|article|hr|dt|dd|"
    r"title|header|footer)\b", re.IGNORECASE)
_SKIP_BLOCK = re.compile(r"<(script|style|head)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _html_view(text: str) -> tuple[str, list[int]]:
    """Blank tags (and script/style bodies), decode entities in place padded with spaces."""
    out = list(text)
    breaks: list[int] = []
    for m in _SKIP_BLOCK.finditer(text):
        out[m.start():m.end()] = _blank(m.group(0))
    for m in _TAG_RE.finditer(text):
        s, e = m.start(), m.end()
        if out[s] != "<":  # inside an already blanked script/style body
            continue
        out[s:e] = _blank(m.group(0))
        if _BLOCK_TAG.match(m.group(0)):
            breaks.append(e)
    if "&" in text:
        _decode_entities(text, out)
    return "".join(out), breaks


_ANCHOR_TAG = re.compile(r"<a\b[^<>]{0,500}>|</a>", re.IGNORECASE)


def _tokenized_view(text: str) -> tuple[str, list[int]]:
    """Blank the cable wrappers, the anchor tags and the entity annotation syntax."""
    out = list(text)
    breaks: list[int] = []
    for tag in ("<code><pre>", "</pre></code>"):
        i = text.find(tag)
        while i != -1:
            out[i:i + len(tag)] = " " * len(tag)
            i = text.find(tag, i + 1)
    for m in _ANCHOR_TAG.finditer(text):
        out[m.start():m.end()] = " " * (m.end() - m.start())
    for m in _ANNOT_RE.finditer(text):
        s, e = m.start(), m.end()
        inner_s = m.start(1)
        out[s:inner_s] = " " * (inner_s - s)  # "[LOC " -> spaces
        inner_e = m.end(1)
        out[inner_e:e] = " " * (e - inner_e)  # trailing "  ]" -> spaces
    i = text.find("\u00b6")
    while i != -1:
        breaks.append(i)
        i = text.find("\u00b6", i + 1)
    if "&" in text:
        _decode_entities(text, out)
    return "".join(out), breaks


def _decode_entities(text: str, out: list[str]) -> None:
    """Decode HTML entities of ``text`` into ``out`` in place, padded to the entity's length.

    The published cable pages encode their line breaks as ``&#x000A;``: it becomes a line
    break in the view (padding first, so the next line starts at its first character).
    The view keeps its length, so offsets still map 1:1 to the file; line numbers are taken
    from the file's own line breaks (see ``markings.scan``).
    """
    for m in _ENTITY_RE.finditer(text):
        s, e = m.start(), m.end()
        if out[s] != "&":  # inside blanked markup
            continue
        dec = _html.unescape(m.group(0))
        if len(dec) > e - s or dec == m.group(0):
            continue
        dec = dec.replace("\xa0", " ").replace("\r", " ")
        if dec == "\n":
            out[s:e] = list(" " * (e - s - 1) + "\n")
        else:
            out[s:e] = list(dec + " " * (e - s - len(dec)))



def source_from_text(text: str, path: str = "<text>", form: str | None = None) -> Source:
    """Build a :class:`Source` for ``text``, detecting its form unless ``form`` is given."""
    f = form if form in FORMS else detect_form(text, path)
    notes: list[str] = []
    if f == "html":
        view, breaks = _html_view(text)
    elif f == "tokenized":
        view, breaks = _tokenized_view(text)
        notes.append("tokenized cable text: entity annotations and anchors blanked")
    else:
        view, breaks = text, []
    if "\r" in view:  # CR of CRLF counts as whitespace, not as a character of a marking
        view = view.replace("\r", " ")
    return Source(path=path, original=text, text=view, form=f, notes=notes, breaks=breaks)


# --- files --------------------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _bom(data: bytes) -> tuple[bytes, str, str] | None:
    for mark, codec, label in _BOMS:
        if data.startswith(mark):
            return mark, codec, label
    return None


def _decode(data: bytes, notes: list[str],
            fallback: list[tuple[str, int, int]] | None = None) -> str:
    """Decode ``data``; a fallback to a single-byte encoding is appended to ``fallback``."""
    skip = 0
    found = _bom(data)
    if found is not None:
        mark, codec, label = found
        if codec != "utf-8":
            try:
                text = data[len(mark):].decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError("MK004", f"The {label} byte-order mark is followed by bytes "
                                         f"that are not valid {label} (at byte offset "
                                         f"{exc.start + len(mark)}).") from None
            notes.append(f"{label} byte-order mark: decoded as {codec.upper()}")
            return text
        skip = len(mark)
        notes.append("UTF-8 byte-order mark removed")
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
    try:
        text = data[skip:].decode("cp1252")
        encoding, label = "cp1252", "Windows-1252"
    except UnicodeDecodeError:
        text = data[skip:].decode("latin-1")
        encoding, label = "latin-1", "Latin-1"
    notes.append(f"not valid UTF-8 (first invalid byte at offset {offset}); decoded as {label}")
    if fallback is not None:  # single-byte encodings: one character per byte
        fallback.append((encoding, offset, offset - skip))
    return text


def decode_bytes(data: bytes) -> str:
    """``data`` decoded as the readers decode a text file (for showing excerpts)."""
    try:
        return _decode(data, [])
    except ReadError:
        return data.decode("utf-8", errors="replace")


_TEXT_BYTES = bytes([9, 10, 12, 13]) + bytes(range(0x20, 0x100))


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return True
    sample = data[:8192]
    if not sample:
        return False
    bad = len(sample.translate(None, _TEXT_BYTES))
    return bad / len(sample) > 0.10


def _extract_docx(path: Any) -> str:
    try:
        import docx  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ReadError("MK001", "Cannot read .docx files: the optional extra is missing; "
                                 "install it with `pip install markings[docs]` "
                                 "(python-docx).") from exc
    try:
        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                parts.append(" | ".join(c.text for c in row.cells))
        head = []
        for sec in d.sections:  # banners usually sit in headers and footers
            head.extend(p.text for p in sec.header.paragraphs if p.text.strip())
        foot = []
        for sec in d.sections:
            foot.extend(p.text for p in sec.footer.paragraphs if p.text.strip())
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("MK001", f"Cannot read this .docx file ({type(exc).__name__}).") from exc
    return "\n\n".join(head[:1] + parts + foot[:1])


def _extract_pdf(path: Any) -> str:
    try:
        import pypdf  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ReadError("MK001", "Cannot read .pdf files: the optional extra is missing; "
                                 "install it with `pip install markings[docs]` (pypdf).") from exc
    try:
        reader = pypdf.PdfReader(path)
        pages = [(pg.extract_text() or "") for pg in reader.pages]
    except Exception as exc:
        raise ReadError("MK001", f"Cannot read this PDF file ({type(exc).__name__}).") from exc
    return "\n\f\n".join(pages)


def read_path(path: str | os.PathLike[str], max_bytes: int = 20_000_000) -> Source:
    """Read a file into a :class:`Source`; bad input raises :class:`ReadError` only."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise ReadError("MK001", f"Cannot read the file ({exc.strerror or type(exc).__name__})."
                        ) from exc
    if _stat.S_ISDIR(st.st_mode):
        raise ReadError("MK001", "This path is a directory, not a document.")
    if not _stat.S_ISREG(st.st_mode):
        raise ReadError("MK001", "This path is not a regular file.")
    if max_bytes and st.st_size > max_bytes:
        raise ReadError("MK003", f"The file is {st.st_size:,} bytes, larger than the limit of "
                                 f"{max_bytes:,} bytes; raise max-file-size to check it.")
    try:
        # a plain file descriptor: no buffered file object per document (a tenth of the
        # reading time of a corpus pass)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            if not max_bytes:
                data = _read_fd(fd, -1)
            else:
                # read(n) allocates n bytes up front: ask for the file's size (plus one, to
                # see a file that grew since the stat), then for the rest up to the limit
                data = _read_fd(fd, min(max_bytes, st.st_size) + 1)
                if len(data) > st.st_size:
                    data += _read_fd(fd, max_bytes + 1 - len(data))
        finally:
            os.close(fd)
    except OSError as exc:
        raise ReadError("MK001", f"Cannot read the file ({exc.strerror or type(exc).__name__})."
                        ) from exc
    return _from_bytes(data, p, max_bytes, "file", p)


def _read_fd(fd: int, n: int) -> bytes:
    """Up to ``n`` bytes from ``fd`` (all of them when ``n`` is negative), fewer only at the
    end of the file: what ``read(n)`` of a buffered binary file gives."""
    chunks: list[bytes] = []
    while n != 0:
        chunk = os.read(fd, n if n > 0 else 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        if n > 0:
            n -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bytes(data: bytes, path: str = "<stdin>", *, max_bytes: int = 20_000_000) -> Source:
    """A :class:`Source` for ``data`` that did not come from a file (standard input), with
    the same checks as :func:`read_path`: bad input raises :class:`ReadError` only."""
    import io

    return _from_bytes(data, path, max_bytes, "input", io.BytesIO(data))


def _from_bytes(data: bytes, p: str, max_bytes: int, what: str, handle: Any) -> Source:
    if max_bytes and len(data) > max_bytes:
        raise ReadError("MK003", f"The {what} is larger than the limit of {max_bytes:,} bytes.")
    if not data:
        raise ReadError("MK004", f"The {what} is empty.")
    ext = os.path.splitext(p)[1].lower()
    if data.startswith(b"PK\x03\x04") and (ext == ".docx" or b"word/" in data[:4096]):
        return _finish(p, _extract_docx(handle), "docx", [])
    if data.startswith(b"%PDF-"):
        return _finish(p, _extract_pdf(handle), "pdf", [])
    found = _bom(data)
    if (found is None or found[1] == "utf-8") and _looks_binary(data):
        raise ReadError("MK002", f"The {what} looks binary (NUL bytes or mostly non-text), "
                                 "not a text document.")
    notes: list[str] = []
    fallback: list[tuple[str, int, int]] = []
    text = _decode(data, notes, fallback)
    if found is not None and found[1] != "utf-8":
        check_input_text(text, max_bytes=0, what=what)  # binary behind a UTF-16/32 mark
    elif not text or text.isspace():
        raise ReadError("MK004", f"The {what} contains no text.")
    src = source_from_text(text, path=p)
    src.notes[:0] = notes
    src.fallback_encoding = fallback[0] if fallback else None
    return src


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # as _TEXT_BYTES


def check_input_text(text: str, *, max_bytes: int = 20_000_000, what: str = "input") -> None:
    """Raise :class:`ReadError` for a decoded document that a file reader would reject:
    larger than ``max_bytes`` in UTF-8 (MK003), binary (MK002), empty or blank (MK004)."""
    if max_bytes and len(text) * 4 > max_bytes:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > max_bytes:
            raise ReadError("MK003", f"The {what} is {size:,} bytes, larger than the limit of "
                                     f"{max_bytes:,} bytes; raise max-file-size to check it.")
    if "\x00" in text[:65536]:
        raise ReadError("MK002", f"The {what} looks binary (NUL characters), not a text "
                                 "document.")
    sample = text[:8192]
    if sample and len(_CONTROL_RE.findall(sample)) / len(sample) > 0.10:
        raise ReadError("MK002", f"The {what} looks binary (mostly control characters), "
                                 "not a text document.")
    if not text or text.isspace():
        raise ReadError("MK004", f"The {what} is empty." if not text else
                        f"The {what} contains no text.")


def _finish(path: str, text: str, form: str, notes: list[str]) -> Source:
    if not text.strip():
        raise ReadError("MK004", f"No text could be extracted from this {form} file "
                                 "(scanned images are not supported).")
    text = text.replace("\x00", "")
    view = text.replace("\r", " ")
    return Source(path=path, original=text, text=view, form=form, notes=notes)
