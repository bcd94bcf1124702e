"""Office Open XML packages (.docx, .xlsx) inspected before anything parses them.

The central directory is read first (entry count, declared sizes, encryption), but never trusted
alone: every entry is then decompressed as a stream with a running cap on the total and on each
entry's ratio, so a bomb stops after a few megabytes of work whatever its headers say. Nothing is
extracted and no XML is parsed here; the few parts that decide the package (content types,
relationships) are scanned as bytes."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from .kinds import Kind

CHUNK = 64 * 1024
KEPT_PART_BYTES = 4 * 1024 * 1024  # [Content_Types].xml and .rels parts are kept to be scanned
HEAD_BYTES = 4096  # where an XML prolog (and so any DOCTYPE) must be

WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
OFFICE_DOCUMENT_REL = re.compile(
    rb"<Relationship\b[^>]*\bType\s*=\s*[\"'][^\"']*/officeDocument[\"'][^>]*>", re.IGNORECASE
)
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(rb"\bTargetMode\s*=\s*[\"']\s*External\s*[\"']", re.IGNORECASE)
ATTRIBUTE = re.compile(rb"\b(Type|Target)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
# A plain web or mail hyperlink in the text is the one external relationship allowed: Word
# fetches nothing for it unless the reader clicks. Linked images, attached templates, frames,
# OLE links and any other scheme (file:, UNC paths) are refused.
HYPERLINK_TYPE = re.compile(rb"/relationships/hyperlink$")
HYPERLINK_TARGET = re.compile(rb"^(https?://|mailto:)[^\\\s]*$", re.IGNORECASE)
CONTENT_TYPE_OF = re.compile(rb"ContentType\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
MACRO_CONTENT = re.compile(rb"macroEnabled|vbaProject|vbaData|ms-office\.activeX|\.keymap", re.IGNORECASE)
EMBEDDED_CONTENT = re.compile(rb"oleObject|package$|ms-office\.activeX", re.IGNORECASE)
DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_unpacked: int
    max_ratio: int
    ratio_floor: int  # entries that unpack to less than this are not judged by their ratio


class PackageRefused(Exception):
    """`reason` is one of the keys of messages.OOXML; `detail` carries figures for it."""

    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _name_is_macro(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(("vbaproject.bin", "vbadata.xml", ".bin")) and "vba" in lowered


def _name_is_embedded(name: str) -> bool:
    lowered = name.lower()
    return (
        "/embeddings/" in f"/{lowered}"
        or "/activex/" in f"/{lowered}"
        or lowered.rsplit("/", 1)[-1].startswith("oleobject")
    )


def inspect(data: bytes, *, limits: Limits) -> Kind:
    """The package's kind (Kind.DOCX or Kind.XLSX) or PackageRefused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise PackageRefused("not_zip") from exc  # not a package at all: none of the accepted kinds
    if len(infos) > limits.max_entries:
        raise PackageRefused("entries", count=len(infos), limit=limits.max_entries)
    if sum(info.file_size for info in infos) > limits.max_unpacked:
        raise PackageRefused("unpacked", limit=limits.max_unpacked)
    names = set()
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageRefused("encrypted")
        name = info.filename
        if name in names or name.startswith("/") or ".." in name.split("/"):
            raise PackageRefused("damaged")
        names.add(name)
        if _name_is_macro(name):
            raise PackageRefused("macros")
        if _name_is_embedded(name):
            raise PackageRefused("embedded")

    kept = _read_all(archive, infos, limits)
    content_types = kept.get("[Content_Types].xml")
    if content_types is None:
        raise PackageRefused("not_office")
    for content_type in CONTENT_TYPE_OF.findall(content_types):
        if MACRO_CONTENT.search(content_type):
            raise PackageRefused("macros")
        if EMBEDDED_CONTENT.search(content_type):
            raise PackageRefused("embedded")
    for name, part in kept.items():
        if name.endswith(".rels"):
            _check_relationships(part)
    return _package_kind(kept, content_types, names)


def _read_all(archive: zipfile.ZipFile, infos, limits: Limits) -> dict[str, bytes]:
    """Decompress every entry as a stream under the caps; keep the parts that decide the package."""
    total = 0
    kept: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        keep = name == "[Content_Types].xml" or name.endswith(".rels")
        buffer = bytearray()
        head = b""
        size = 0
        ratio_cap = max(limits.ratio_floor, info.compress_size * limits.max_ratio)
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if total > limits.max_unpacked:
                        raise PackageRefused("unpacked", limit=limits.max_unpacked)
                    if size > ratio_cap:
                        raise PackageRefused("ratio")
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    if keep:
                        if len(buffer) + len(chunk) > KEPT_PART_BYTES:
                            raise PackageRefused("damaged")
                        buffer += chunk
        except PackageRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as exc:
            raise PackageRefused("damaged") from exc
        if name.lower().endswith((".xml", ".rels", ".vml")) and DOCTYPE.search(head):
            raise PackageRefused("doctype")
        if keep:
            kept[name] = bytes(buffer)
    return kept


def _check_relationships(part: bytes) -> None:
    for relationship in RELATIONSHIP.findall(part):
        if not EXTERNAL.search(relationship):
            continue
        attributes = {key.lower(): (double or single) for key, double, single in ATTRIBUTE.findall(relationship)}
        kind, target = attributes.get(b"type", b""), attributes.get(b"target", b"").strip()
        if HYPERLINK_TYPE.search(kind) and HYPERLINK_TARGET.match(target):
            continue
        raise PackageRefused("external")


def _package_kind(kept: dict[str, bytes], content_types: bytes, names: set[str]) -> Kind:
    """A real Word document or Excel workbook: the package relationship names its main part, and
    the content types give that part the main type of a document (not a template, not
    macro-enabled)."""
    root = kept.get("_rels/.rels")
    if root is None:
        raise PackageRefused("not_office")
    main = OFFICE_DOCUMENT_REL.search(root)
    if main is None:
        raise PackageRefused("not_office")
    target = dict((k.lower(), d or s) for k, d, s in ATTRIBUTE.findall(main.group(0))).get(b"target", b"")
    part = "/" + target.decode("utf-8", "replace").lstrip("/")
    override = re.search(
        rb"<Override\b[^>]*PartName\s*=\s*[\"']" + re.escape(part.encode()) + rb"[\"'][^>]*>",
        content_types,
        re.IGNORECASE,
    )
    if override is None:
        raise PackageRefused("not_office")
    declared = CONTENT_TYPE_OF.search(override.group(0))
    declared_type = declared.group(1).strip().lower() if declared else b""
    if part.lstrip("/") not in names:
        raise PackageRefused("not_office")
    if declared_type == WORD_MAIN.lower():
        return Kind.DOCX
    if declared_type == EXCEL_MAIN.lower():
        return Kind.XLSX
    raise PackageRefused("not_office")
