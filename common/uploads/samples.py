"""Small valid files for demo data and benchmarks (and tests): a one-page PDF with a correct
cross-reference table, a tiny PNG. They pass every check of this package."""

from __future__ import annotations

import struct
import zlib


def build_pdf(objects: list[bytes], *, prefix: bytes = b"", header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog) with a correct
    cross-reference table and trailer."""
    out = bytearray(prefix + header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf(text: str = "Document", *, catalog: bytes = b"", extra: tuple[bytes, ...] = (), prefix: bytes = b"") -> bytes:
    """A one-page PDF showing `text` (Latin-1); `catalog` and `extra` add to it (for tests)."""
    content = b"BT /F1 12 Tf 20 100 Td (" + text.encode("latin-1", "replace") + b") Tj ET"
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            *extra,
        ],
        prefix=prefix,
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int = 8, height: int = 8) -> bytes:
    """A white greyscale PNG."""
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )
