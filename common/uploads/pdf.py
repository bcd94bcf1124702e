"""PDF files: a real structure (header, cross-reference table or stream, trailer, objects that
parse — pypdf reads them), and nothing active inside: no JavaScript, no launch actions, no
embedded files, no other format hidden in or before it (a PDF/HTML polyglot, an executable with a
PDF header). Names are compared after pypdf has decoded them, so «/J#61vaScript» is «/JavaScript»;
the raw bytes are scanned as well, for objects pypdf would skip."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

HEADER_TOLERANCE = 1024  # readers accept this much before «%PDF-»; more is another file with a PDF inside
TAIL = 2048
MAX_OBJECTS = 200_000
MAX_DEPTH = 64

JAVASCRIPT_NAMES = {"/JS", "/JavaScript"}
LAUNCH_NAMES = {"/Launch"}
EMBEDDED_NAMES = {"/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"}

# Markup a browser would run or render, and executable headers: never inside a PDF or an image.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|object|embed|svg|meta\s+http-equiv)\b|<!doctype\s+html|<\?php|javascript\s*:",
    re.IGNORECASE,
)
EXECUTABLE = re.compile(rb"This program cannot be run in DOS mode|\x7fELF[\x01\x02][\x01\x02]\x01\x00")
HEADER = re.compile(rb"%PDF-\d\.\d")
STREAM = re.compile(rb"(?<!end)stream\r?\n.*?endstream", re.DOTALL)  # compressed bytes: names there mean nothing
RAW_NAME = re.compile(rb"/[^\s/\[\]()<>{}%]+")
HEX = re.compile(rb"#([0-9A-Fa-f]{2})")

logger = logging.getLogger(__name__)


class PdfRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hidden_content(data: bytes) -> bool:
    """Markup or an executable anywhere in the bytes (a polyglot)."""
    return bool(MARKUP.search(data) or EXECUTABLE.search(data))


def _raw_names(data: bytes) -> set[str]:
    names = set()
    for token in RAW_NAME.findall(STREAM.sub(b" ", data)):
        if b"#" in token:
            token = HEX.sub(lambda match: bytes([int(match.group(1), 16)]), token)
        names.add(token.decode("latin-1"))
    return names


def _verdict(names: set[str]) -> str | None:
    if names & JAVASCRIPT_NAMES:
        return "javascript"
    if names & LAUNCH_NAMES:
        return "launch"
    if names & EMBEDDED_NAMES:
        return "embedded"
    return None


def inspect(data: bytes) -> None:
    """Raise PdfRefused with a reason key of messages.PDF, or return for a clean PDF."""
    start = data.find(b"%PDF-", 0, HEADER_TOLERANCE + 5)
    if start < 0:
        raise PdfRefused("prefix")
    if start and (data[:start].strip(b"\x00\t\n\r\x0c ") or hidden_content(data[:start])):
        raise PdfRefused("prefix")
    if not HEADER.match(data, start):
        raise PdfRefused("damaged")
    line_end = min((i for i in (data.find(b"\n", start), data.find(b"\r", start)) if i >= 0), default=start)
    if data[line_end + 1 : line_end + 3] == b"MZ" or hidden_content(data):
        raise PdfRefused("polyglot")
    tail = data[-TAIL:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise PdfRefused("damaged")
    verdict = _verdict(_raw_names(data))
    if verdict:
        raise PdfRefused(verdict)
    _walk_objects(data)


def _walk_objects(data: bytes) -> None:
    """Every object of the cross-reference must parse; none may carry an active or embedded part."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        root = reader.trailer.get("/Root")
        catalog = root.get_object() if root is not None else None
        if not isinstance(catalog, DictionaryObject) or "/Pages" not in catalog:
            raise PdfRefused("damaged")
        references = [(number, generation) for generation, numbers in reader.xref.items() for number in numbers]
        references += [(number, 0) for number in reader.xref_objStm]
        if len(references) > MAX_OBJECTS:
            raise PdfRefused("damaged")
        for number, generation in references:
            if generation == 65535:
                continue
            obj = reader.get_object(IndirectObject(number, generation, reader))
            if obj is None:
                raise PdfRefused("damaged")
            verdict = _verdict(_names_in(obj))
            if verdict:
                raise PdfRefused(verdict)
        if len(reader.pages) < 1:
            raise PdfRefused("damaged")
    except PdfRefused:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError…) for damage
        logger.info("PDF refused as damaged: %s: %s", type(exc).__name__, exc)
        raise PdfRefused("damaged") from exc


def _names_in(obj, depth: int = 0) -> set[str]:
    """Keys and name values of one object, direct children included (indirect ones are walked
    on their own)."""
    names: set[str] = set()
    if depth > MAX_DEPTH:
        return names
    if isinstance(obj, DictionaryObject):  # stream objects are dictionaries too
        for key, value in obj.items():
            names.add(str(key))
            if isinstance(value, NameObject):
                names.add(str(value))
            elif isinstance(value, (DictionaryObject, ArrayObject)):
                names |= _names_in(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if isinstance(value, NameObject):
                names.add(str(value))
            elif isinstance(value, (DictionaryObject, ArrayObject)):
                names |= _names_in(value, depth + 1)
    return names
