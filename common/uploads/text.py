"""Text tables (CSV): no binary data, a known encoding. Decoding is left to the reader."""

from __future__ import annotations

CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))  # never in a text table
ENCODINGS = ("utf-8-sig", "cp1251")
PROBE = 256 * 1024


class TextRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def inspect(data: bytes) -> str:
    """The encoding of a text table, or TextRefused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TextRefused("utf16")
    if b"\x00" in data:
        raise TextRefused("binary")
    probe = data[:PROBE]
    if len(probe) - len(probe.translate(None, CONTROL_BYTES)) > len(probe) / 100:
        raise TextRefused("binary")
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TextRefused("encoding")
