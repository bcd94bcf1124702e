"""JPEG and PNG images: decoded by Pillow, but only after the declared dimensions are checked
against a pixel limit, so a 1 KB file that claims 100,000 × 100,000 points never allocates."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from .kinds import Kind

FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG"}


class ImageRefused(Exception):
    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def inspect(data: bytes, kind: Kind, *, max_pixels: int) -> tuple[int, int]:
    """(width, height) of a whole, decodable image of `kind`, or ImageRefused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[FORMATS[kind]]) as image:
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise ImageRefused("damaged")
                if width * height > max_pixels:
                    raise ImageRefused("pixels", width=width, height=height)
                if kind is Kind.JPEG:
                    # Decoding at 1/8 scale still reads the whole entropy-coded stream, at a
                    # fraction of the memory of a full decode.
                    image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
                image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("pixels", width=0, height=0) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise ImageRefused("damaged") from exc
    return width, height
