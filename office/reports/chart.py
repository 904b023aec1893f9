"""The half-year report's chart: cases per month and per category, as a PNG.

Drawn with matplotlib's Agg renderer on a bare ``Figure`` (no pyplot, no
window, no network), in Times New Roman like the rest of the report (Nghị
định 30/2020, Phụ lục I), or the metric-compatible Liberation Serif where
Times New Roman is not installed (Debian: fonts-liberation2, free to ship;
the PNG holds pixels only, no font is embedded). DejaVu Serif, which
matplotlib ships, is the last resort: ``font_name`` says which one was used
so that the command can tell the Office.

A period that starts or ends inside a month (the default cut-off is the 15th)
labels that month with the days it covers, so a half month is not read as a
quiet month.
"""

from __future__ import annotations

import io
from datetime import timedelta
from functools import cache

from .half_year import Figures, category_label

SERIF = ("Times New Roman", "Liberation Serif", "Tinos")
LAST_RESORT = "DejaVu Serif"


@cache
def font_name() -> str:
    """The first of SERIF that matplotlib can use, looking in the system's font folders if need be."""
    from matplotlib import font_manager

    def known() -> set[str]:
        return {entry.name for entry in font_manager.fontManager.ttflist}

    if not known() & set(SERIF):
        # matplotlib's font cache was built before the font was installed: add the files directly.
        for path in font_manager.findSystemFonts():
            name = path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower()
            if name.startswith(("times", "liberationserif", "tinos")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
    names = known()
    return next((name for name in SERIF if name in names), LAST_RESORT)


def month_labels(figures: Figures) -> list[str]:
    """ "07/2026", or "05/2026 (từ 16/5)" for a month the period covers only in part."""
    start, last = figures.period.start, figures.period.last_day
    labels = []
    for year, month in figures.per_month:
        label = f"{month:02d}/{year}"
        if (start.year, start.month) == (year, month) and start.day > 1:
            label += f"\n(từ {start.day}/{month})"
        if (last.year, last.month) == (year, month) and (last + timedelta(days=1)).month == month:
            label += f"\n(đến {last.day}/{month})"
        labels.append(label)
    return labels


def png(figures: Figures) -> bytes:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context({"font.family": "serif", "font.serif": [font_name(), LAST_RESORT]}):
        figure = Figure(figsize=(8, 7.2), dpi=150, layout="constrained")
        FigureCanvasAgg(figure)
        by_month, by_category = figure.subplots(2, 1, height_ratios=(1, 1.15))

        values = list(figures.per_month.values())
        bars = by_month.bar(month_labels(figures), values, color="#1f4e79")
        by_month.bar_label(bars, padding=2, fontsize=9)
        by_month.set_title("Số phản ánh, tố giác tiếp nhận theo tháng", fontsize=12)
        by_month.set_ylabel("Số hồ sơ", fontsize=10)
        by_month.tick_params(axis="x", labelsize=9)

        names = [category_label(code) for code in figures.by_category]
        counts = list(figures.by_category.values())
        bars = by_category.barh(names[::-1], counts[::-1], color="#c55a11")
        by_category.bar_label(bars, padding=2, fontsize=9)
        by_category.set_title("Số phản ánh, tố giác theo loại nội dung", fontsize=12)
        by_category.set_xlabel("Số hồ sơ", fontsize=10)
        by_category.tick_params(axis="y", labelsize=9)
        by_month.yaxis.set_major_locator(MaxNLocator(integer=True))
        by_category.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Counts start at zero; with nothing to count, the axis still reads 0 to 1, not -0.06 to 0.06.
        by_month.set_ylim(0, max([*values, 1]) * 1.15)
        by_category.set_xlim(0, max([*counts, 1]) * 1.12)
        for axes in (by_month, by_category):
            axes.spines[["top", "right"]].set_visible(False)

        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
