"""The half-year report's chart: cases per month and per category, as a PNG.

Drawn with matplotlib's Agg renderer on a bare ``Figure`` (no pyplot, no
window, no network), in DejaVu Sans, which matplotlib ships and which has
every Vietnamese letter.
"""

from __future__ import annotations

import io

from .half_year import Figures, category_label


def png(figures: Figures) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 7.2), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    by_month, by_category = figure.subplots(2, 1, height_ratios=(1, 1.15))

    labels = [f"{month:02d}/{year}" for year, month in figures.per_month]
    values = list(figures.per_month.values())
    bars = by_month.bar(labels, values, color="#1f4e79")
    by_month.bar_label(bars, padding=2, fontsize=8)
    by_month.set_title("Số phản ánh, tố giác tiếp nhận theo tháng", fontsize=11)
    by_month.set_ylabel("Số hồ sơ")
    by_month.tick_params(axis="x", labelsize=8)
    by_month.margins(y=0.15)

    names = [category_label(code) for code in figures.by_category]
    counts = list(figures.by_category.values())
    bars = by_category.barh(names[::-1], counts[::-1], color="#c55a11")
    by_category.bar_label(bars, padding=2, fontsize=8)
    by_category.set_title("Số phản ánh, tố giác theo loại nội dung", fontsize=11)
    by_category.set_xlabel("Số hồ sơ")
    by_category.tick_params(axis="y", labelsize=8)
    by_category.margins(x=0.12)
    by_month.yaxis.set_major_locator(MaxNLocator(integer=True))
    by_category.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axes in (by_month, by_category):
        axes.spines[["top", "right"]].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
