"""Charts as PNG images inside generated documents (the аналитическая справка's bars by
municipality): drawn with Pillow (pinned) and a TrueType font with Cyrillic from the system —
Liberation Sans (installed with LibreOffice; .ci/run installs fonts-liberation) or DejaVu Sans.
No network, no browser. A kind's builder puts a `Picture` into the context; rendering turns it
into an image of the .docx (rendering.render_docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
BAR = (198, 40, 40)
PREVIOUS = (239, 154, 154)
TARGET = (38, 50, 56)
TEXT = (38, 50, 56)
GRID = (207, 216, 220)


@dataclass(frozen=True)
class Picture:
    """A PNG to place in a document, `width_mm` wide."""

    png: bytes
    width_mm: float = 160


@lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)  # no Cyrillic glyphs: the numbers still read


def bar_chart(rows, *, title: str = "", target=None, unit: str = "%", scale: int = 2) -> Picture:
    """Horizontal bars, one per row (label, value, previous value or None): this period's bar
    dark, last period's a thin light one under it, the target a vertical line. Values are
    numbers (Decimal or float); None draws no bar and prints «нет данных»."""
    from PIL import Image, ImageDraw

    rows = list(rows)
    font, small = _font(13 * scale), _font(11 * scale)
    # room above the bars for the title and for the target's label
    label_w, bar_w, row_h, top = 230 * scale, 330 * scale, 30 * scale, (40 if title else 22) * scale
    width, height = label_w + bar_w + 70 * scale, top + row_h * max(len(rows), 1) + 34 * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    if title:
        draw.text((8 * scale, 8 * scale), title, fill=TEXT, font=font)
    values = [float(v) for _, v, p in rows for v in (v, p) if v is not None]
    ceiling = max([*values, float(target) if target is not None else 0, 1.0])
    if unit == "%":
        ceiling = max(ceiling, 100.0) if ceiling > 60 else ceiling * 1.15
    else:
        ceiling *= 1.15

    def x_of(value):
        return label_w + int(bar_w * float(value) / ceiling)

    for n, (label, value, previous) in enumerate(rows):
        y = top + n * row_h
        text = label if len(label) <= 30 else label[:29] + "…"
        draw.text((label_w - 8 * scale, y + row_h // 2), text, fill=TEXT, font=small, anchor="rm")
        if previous is not None:
            draw.rectangle([label_w, y + row_h - 9 * scale, x_of(previous), y + row_h - 5 * scale], fill=PREVIOUS)
        if value is None:
            draw.text((label_w + 4 * scale, y + row_h // 2), "нет данных", fill=TEXT, font=small, anchor="lm")
            continue
        draw.rectangle([label_w, y + 5 * scale, max(x_of(value), label_w + 1), y + row_h - 11 * scale], fill=BAR)
        shown = f"{float(value):.1f}".replace(".", ",").removesuffix(",0") + (" %" if unit == "%" else "")
        draw.text((x_of(value) + 5 * scale, y + row_h // 2 - 3 * scale), shown, fill=TEXT, font=small, anchor="lm")
    bottom = top + row_h * max(len(rows), 1)
    draw.line([label_w, top, label_w, bottom], fill=GRID, width=scale)
    legend_y = bottom + 10 * scale
    draw.rectangle([label_w, legend_y, label_w + 14 * scale, legend_y + 10 * scale], fill=BAR)
    draw.text((label_w + 20 * scale, legend_y + 5 * scale), "отчетный период", fill=TEXT, font=small, anchor="lm")
    draw.rectangle([label_w + 150 * scale, legend_y + 3 * scale, label_w + 164 * scale, legend_y + 7 * scale],
                   fill=PREVIOUS)
    draw.text((label_w + 170 * scale, legend_y + 5 * scale), "предыдущий", fill=TEXT, font=small, anchor="lm")
    if target is not None:
        x = x_of(target)
        for y in range(top, bottom, 6 * scale):
            draw.line([x, y, x, y + 3 * scale], fill=TARGET, width=scale)
        draw.text((x, top - 4 * scale), f"цель {float(target):g}".replace(".", ","), fill=TARGET, font=small,
                  anchor="md")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)  # «optimize» costs seconds a chart; the .docx zips it again
    return Picture(buffer.getvalue())
