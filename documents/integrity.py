"""Is a stored file byte for byte the one written? Its SHA-256 and size, read in chunks: checked on
every download of an issued .docx and its PDF (views.py), and by the drill's invariant checker."""

from __future__ import annotations

import hashlib


def file_matches(field_file, sha256: str, size: int | None) -> bool:
    """False for a file replaced, truncated, grown or lost, and for one with no checksum."""
    if not sha256:
        return False
    digest, read = hashlib.sha256(), 0
    try:
        with field_file.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 16), b""):
                digest.update(chunk)
                read += len(chunk)
    except OSError:
        return False
    return read == size and digest.hexdigest() == sha256


def docx_intact(document) -> bool:
    return file_matches(document.file, document.sha256, document.size)


def pdf_intact(document) -> bool:
    return file_matches(document.pdf_file, document.pdf_sha256, document.pdf_size)
