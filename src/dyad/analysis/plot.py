"""A dyad series as a timeline picture: events per period stacked by quad class over the mean PLOVER score."""

from __future__ import annotations

import os
from datetime import timedelta

from dyad.analysis.actors import node_name
from dyad.analysis.series import DyadSeries

__all__ = ["plot_series"]

# Cooperation in greens, conflict in oranges and reds; verbal lighter than material.
_QUAD_STYLE = (
    (1, "verbal cooperation", "#a6d96a"),
    (2, "material cooperation", "#1a9641"),
    (3, "verbal conflict", "#fdae61"),
    (4, "material conflict", "#d7191c"),
)
_WIDTH = {"day": 0.8, "week": 5.0, "month": 22.0}


def plot_series(series: DyadSeries, path: str | os.PathLike[str], title: str | None = None) -> None:
    """Draw the series to a PNG (or any format matplotlib infers from the file name)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    starts = [p.start for p in series.points]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]}, constrained_layout=True
    )
    base = [0] * len(starts)
    width = _WIDTH.get(series.by, 20.0)
    for quad, label, colour in _QUAD_STYLE:
        counts = [p.by_quad.get(quad, 0) for p in series.points]
        top.bar(starts, counts, width=width, bottom=base, color=colour, label=label, align="edge",
                edgecolor="white", linewidth=0.5)
        base = [b + c for b, c in zip(base, counts, strict=True)]
    for p, total in zip(series.points, base, strict=True):
        if p.reports > total:
            top.annotate(f"{p.reports} rep.", (p.start, total), textcoords="offset points", xytext=(2, 2),
                         fontsize=7, color="#555555")
    top.set_ylabel(f"events per {series.by}")
    top.legend(loc="upper left", fontsize=8, frameon=False, ncols=4)
    top.grid(axis="y", alpha=0.3)
    top.set_ylim(0, max(base, default=0) * 1.25 + 1)

    # Scores sit at the middle of their bars.
    scored = [(p.start + timedelta(days=width / 2), p.mean_score) for p in series.points if p.mean_score is not None]
    if scored:
        xs, ys = zip(*scored)
        bottom.axhline(0, color="#888888", linewidth=0.8)
        bottom.plot(xs, ys, color="#333333", linewidth=1, marker="o", markersize=4)
        bottom.fill_between(xs, ys, 0, where=[y >= 0 for y in ys], color="#1a9641", alpha=0.25, interpolate=True)
        bottom.fill_between(xs, ys, 0, where=[y < 0 for y in ys], color="#d7191c", alpha=0.25, interpolate=True)
    bottom.set_ylim(-10.5, 10.5)
    bottom.set_ylabel("mean PLOVER score")
    bottom.grid(axis="y", alpha=0.3)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(bottom.xaxis.get_major_locator()))

    other = node_name(series.b) if series.b else "everyone"
    arrow = "→" if series.directed else "↔"
    fig.suptitle(title or f"{node_name(series.a)} {arrow} {other}: {series.events} events "
                 f"from {series.reports} reports, by {series.by}")
    fig.savefig(path, dpi=120)
    plt.close(fig)
