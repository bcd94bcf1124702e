"""Small inline SVG charts (no scripts, no CDN): bars people read at a glance."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR_COLOR = "#c62828"
SECOND_COLOR = "#ef9a9a"
TEXT = 'font-family="Roboto, Arial, sans-serif" font-size="12" fill="#37474f"'


def horizontal_bars(items, *, width=640, label_width=220, row_height=24, empty="Нет данных"):
    """items: [(label, value, href or "")]. One bar per item, longest first as given."""
    items = list(items)
    if not items:
        return mark_safe(f'<p class="pf-muted">{escape(empty)}</p>')
    top = max(value for _, value, _ in items) or 1
    bar_space = width - label_width - 60
    height = row_height * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" role="img">']
    for index, (label, value, href) in enumerate(items):
        y = 4 + index * row_height
        bar = max(int(bar_space * value / top), 1 if value else 0)
        text = escape(label if len(label) <= 34 else label[:33] + "…")
        row = (
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" {TEXT}>{text}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar}" height="{row_height - 8}" rx="3" fill="{BAR_COLOR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{label_width + bar + 6}" y="{y + 16}" {TEXT}>{value}</text>'
        )
        parts.append(f'<a href="{escape(href)}">{row}</a>' if href else row)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def weekly_columns(points, *, width=640, height=200):
    """points: [{"week": date, "violated": n, "still_open": m}]: a column per week, the part
    still open drawn darker."""
    points = list(points)
    if not points:
        return mark_safe("")
    top = max(point["violated"] for point in points) or 1
    chart_height = height - 40
    step = (width - 40) / len(points)
    column = max(step * 0.6, 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" role="img">']
    parts.append(f'<line x1="30" y1="{chart_height + 10}" x2="{width - 5}" y2="{chart_height + 10}" stroke="#b0bec5"/>')
    for index, point in enumerate(points):
        x = 35 + index * step
        total_h = int(chart_height * point["violated"] / top)
        open_h = int(chart_height * point["still_open"] / top)
        base = chart_height + 10
        label = point["week"].strftime("%d.%m")
        title = (
            f'неделя с {point["week"]:%d.%m.%Y}: нарушено сроков {point["violated"]}, '
            f'из них не выполнено {point["still_open"]}'
        )
        parts.append(
            f'<g><title>{escape(title)}</title>'
            f'<rect x="{x:.1f}" y="{base - total_h}" width="{column:.1f}" height="{total_h}" fill="{SECOND_COLOR}"/>'
            f'<rect x="{x:.1f}" y="{base - open_h}" width="{column:.1f}" height="{open_h}" fill="{BAR_COLOR}"/>'
            f'<text x="{x + column / 2:.1f}" y="{base - total_h - 4}" text-anchor="middle" {TEXT}>'
            f'{point["violated"] or ""}</text>'
            f'<text x="{x + column / 2:.1f}" y="{height - 10}" text-anchor="middle" {TEXT}>{label}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
