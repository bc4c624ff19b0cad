"""Read stage: form detection, same-length views, and bad input as ReadError only."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings.read import ReadError, detect_form, read_path, source_from_text


@pytest.mark.parametrize(("text", "path", "form"), [
    ("SECRET//NOFORN\n\n(S//NF) Body.\n", "memo.txt", "plain"),
    ("# Title\n\n- item\n- item\n- item\n", "notes.md", "markdown"),
    ("# (U) Title\n\n- (U) one\n- (U) two\n1. (U) three\n", "memo.txt", "markdown"),
    ("<!DOCTYPE html><html><body><p>(U) x</p></body></html>", "page.txt", "html"),
    ("<p>(U) a</p><p>(U) b</p><div>(U) c</div>", "x.txt", "html"),
    ("plain words", "page.html", "html"),
    ("<code><pre>S E C R E T STATE 014070</pre></code>", "c.txt", "tokenized"),
    # a published cable page: line breaks encoded, nothing lost -> read as HTML
    ("<code><pre>S E C R E T STATE 014070 &#x000A;SIPDIS &#x000A;</pre></code>", "c.html",
     "html"),
    ("[LOC Moscow  ] and [PER Antonov  ] met [ORG MFA  ] staff", "c.txt", "tokenized"),
    ("REF: (A) THE HAGUE 2929 <<Israel>> AT&T &D;", "05X1.txt", "plain"),
])
def test_detect_form(text: str, path: str, form: str) -> None:
    assert detect_form(text, path) == form
    src = source_from_text(text, path=path)
    assert src.form == form
    assert len(src.text) == len(src.original)


@pytest.mark.parametrize(("html", "visible"), [
    ("<p>(S) Hello &amp; bye</p>", "(S) Hello &"),
    ("<p>(U) x &lt;y&gt;</p>", "(U) x <"),
    ("<b>SECRET</b>//<i>NOFORN</i>", "SECRET"),
    ("<script>var s = '(S)';</script><p>(U) ok</p>", "(U) ok"),
])
def test_html_view_blanks_tags_and_decodes_entities(html: str, visible: str) -> None:
    src = source_from_text("<html>" + html + "</html>", path="x.html")
    assert len(src.text) == len(src.original)
    assert visible in src.text
    assert "<p>" not in src.text and "&amp;" not in src.text
    if "script" in html:
        assert "(S)" not in src.text  # script bodies are not document text


def test_html_keeps_line_numbers() -> None:
    html = "<html>\n<body>\n<p\nclass='x'>(U) a</p>\n</body></html>\n"
    src = source_from_text(html, path="x.html")
    assert src.text.count("\n") == html.count("\n")


def test_tokenized_view_keeps_inner_text() -> None:
    raw = ("<code><pre>S E C R E T STATE 014070 NOFORN E.O. 12958: [LOC DECL:  ] 01/29/2019 "
           "<a id='par3' href='#par3'>\u00b6</a>3 . \n( [LOC S/NF  ] ) The [MISC Igla-S  ] x"
           "</pre></code>")
    src = source_from_text(raw, path="c.txt")
    assert src.form == "tokenized"
    assert len(src.text) == len(raw)
    assert "[LOC" not in src.text and "<a " not in src.text and "<code>" not in src.text
    assert "S/NF" in src.text and "Igla-S" in src.text and "DECL:" in src.text
    assert src.text.index("S/NF") == raw.index("S/NF")  # offsets map 1:1
    assert any(src.original[b] == "\u00b6" for b in src.breaks)


def test_tokenized_view_decodes_entities() -> None:
    raw = ("<code><pre>S E C R E T STATE 014070 [LOC NOFORN  ] [PER X  ] [ORG Y  ] &#x000A;"
           "E.O. 12958: N/A &#x000A;TAGS: PREL &amp; PGOV &#x000A;\u00b61. ( S ) Text"
           "</pre></code>")
    src = source_from_text(raw, path="c.txt")
    assert src.form == "tokenized"
    assert len(src.text) == len(raw)
    assert "&#x" not in src.text and "&amp;" not in src.text
    assert "PREL &" in src.text
    # the line break sits on the entity's last character, the next line starts clean
    i = raw.index("&#x000A;E.O.")
    assert src.text[i:i + 8] == " " * 7 + "\n"
    assert src.text.splitlines()[1] == "E.O. 12958: N/A " + " " * 7
    assert src.text.index("TAGS") == raw.index("TAGS")  # offsets map 1:1


def test_cable_page_line_numbers_are_the_files() -> None:
    from markings.scan import build

    raw = ("<code><pre>C O N F I D E N T I A L KYIV 000417 &#x000A;E.O. 12958: DECL: "
           "04/02/2017 &#x000A;TAGS: PREL&#x000A;SUBJECT: TEST &#x000A;&#x000A;"
           "<a id='par1' href='#par1'>\u00b6</a>1. (C) One. &#x000A;&#x000A;"
           "<a id='par2' href='#par2'>\u00b6</a>2. (S) Two.</pre></code>\n")
    doc = build(source_from_text(raw, path="p.html"))
    assert doc.form == "html" and doc.style == "cable"
    assert doc.authority is not None and doc.authority.decl is not None
    assert doc.authority.decl.raw == "04/02/2017"  # no "&#x000A;" in the value
    marks = [(p.number, p.mark.text, p.mark.span.line, p.mark.span.column)
             for p in doc.portions if p.mark]
    col = raw.index("(S)") + 1
    assert marks[-1] == ("2", "(S)", 1, col)  # the file has one line
    assert [p.number for p in doc.portions if p.kind == "numbered"] == ["1", "2"]


@pytest.mark.parametrize(("payload", "code"), [
    (b"", "MK004"),
    (b"   \n\n\t ", "MK004"),
    (b"\x00\x01\x02binary\x00", "MK002"),
    (bytes(range(32)) * 50, "MK002"),
])
def test_bad_content(tmp_path: Path, payload: bytes, code: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(payload)
    with pytest.raises(ReadError) as exc:
        read_path(f)
    assert exc.value.code == code
    assert exc.value.message


def test_oversized_checked_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"SECRET\n" * 1000)
    with pytest.raises(ReadError) as exc:
        read_path(f, max_bytes=100)
    assert exc.value.code == "MK003"


def test_directory_and_missing(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as exc:
        read_path(tmp_path)
    assert exc.value.code == "MK001"
    with pytest.raises(ReadError) as exc2:
        read_path(tmp_path / "nope.txt")
    assert exc2.value.code == "MK001"


@pytest.mark.parametrize(("payload", "note", "expect"), [
    (b"\xef\xbb\xbfSECRET\n", "byte-order mark", "SECRET\n"),
    ("SECRET \u00b61. caf\u00e9\n".encode("cp1252"), "Windows-1252", "SECRET \u00b61. caf\u00e9\n"),
    ("(U) na\u00efve\n".encode(), None, "(U) na\u00efve\n"),
])
def test_decoding(tmp_path: Path, payload: bytes, note: str | None, expect: str) -> None:
    f = tmp_path / "doc.txt"
    f.write_bytes(payload)
    src = read_path(f)
    assert src.original == expect
    if note:
        assert any(note in n for n in src.notes)
    else:
        assert not src.notes


def test_crlf_keeps_length(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"SECRET\r\n\r\n(S) Body.\r\n")
    src = read_path(f)
    assert len(src.text) == len(src.original)
    assert "\r" not in src.text


def test_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("SECRET//NOFORN")
    d.add_paragraph("(S//NF) Body of the memo.")
    d.add_paragraph("SECRET//NOFORN")
    f = tmp_path / "memo.docx"
    d.save(str(f))
    src = read_path(f)
    assert src.form == "docx"
    assert "(S//NF) Body of the memo." in src.text
    from markings.scan import build

    doc = build(src)
    assert [b.text for b in doc.banners] == ["SECRET//NOFORN", "SECRET//NOFORN"]
    assert [p.mark.text for p in doc.portions if p.mark] == ["(S//NF)"]


def _tiny_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offs:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    f = tmp_path / "memo.pdf"
    f.write_bytes(_tiny_pdf("SECRET//NOFORN"))
    src = read_path(f)
    assert src.form == "pdf"
    assert "SECRET//NOFORN" in src.text


def test_broken_pdf_is_read_error(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    f = tmp_path / "broken.pdf"
    f.write_bytes(b"%PDF-1.4\nthis is not a pdf\n")
    with pytest.raises(ReadError) as exc:
        read_path(f)
    assert exc.value.code in ("MK001", "MK004")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_read_path_raises_only_read_error(tmp_path_factory: pytest.TempPathFactory,
                                         data: bytes) -> None:
    f = tmp_path_factory.mktemp("fuzz") / "x.txt"
    f.write_bytes(data)
    try:
        src = read_path(f)
    except ReadError as err:
        assert err.code in ("MK001", "MK002", "MK003", "MK004")
    else:
        assert len(src.text) == len(src.original)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="#\n a\u00b6", max_size=40))
def test_hash_at_line_start_same_as_plain_test(head: str) -> None:
    from markings.read import _hash_at_line_start

    assert _hash_at_line_start(head) == ("\n#" in head or head.startswith("#"))


@pytest.mark.parametrize("size", [0, 1, 5, 4096, 70000])
@pytest.mark.parametrize("n", [-1, 0, 1, 4, 5, 6, 70001])
def test_read_fd_reads_what_a_buffered_file_reads(tmp_path: Path, size: int, n: int) -> None:
    import os

    from markings.read import _read_fd

    f = tmp_path / "x.bin"
    f.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    with open(f, "rb") as fh:
        want = [fh.read(n), fh.read(3)]
    fd = os.open(f, os.O_RDONLY)
    try:
        got = [_read_fd(fd, n), _read_fd(fd, 3)]
    finally:
        os.close(fd)
    assert got == want


def test_read_path_limit_and_growth(tmp_path: Path) -> None:
    """The limit still applies to what is read (the size from the stat aside)."""
    f = tmp_path / "big.txt"
    f.write_text("SECRET\n" * 10)
    assert read_path(f, max_bytes=0).text == "SECRET\n" * 10
    assert read_path(f, max_bytes=70).text == "SECRET\n" * 10
    with pytest.raises(ReadError) as exc:
        read_path(f, max_bytes=69)
    assert exc.value.code == "MK003"
