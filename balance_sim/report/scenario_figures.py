"""Figures of the scenario notebooks (02, 03): CV paths with 5–95% bands against their ceilings,
the share of schools meeting the standard, a yearly county series, and final-year differences
from the baseline. Titles, axes and legends in English or Chinese (`language`).
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from balance_sim.report.figures import finish, new_axes, use_language
from balance_sim.report.labels import indicator_label, level_label, pick
from balance_sim.report.scenarios import BASELINE, QUALITY, Comparison, metric_bands, share_meeting
from balance_sim.standards import load_standard

CEILING_COLOUR = "#333333"
_TEXT = {
    "cv_title": {"en": "CV across schools, {standard}: median and 5–95% band over {n} replications",
                 "zh": "校际差异系数（{standard}）：{n} 次模拟的中位数及 5%–95% 区间"},
    "cv_axis": {"en": "CV (enrolment-weighted)", "zh": "差异系数（加权）"},
    "year": {"en": "Year", "zh": "年份"},
    "ceiling": {"en": "ceiling", "zh": "上限"},
    "share_title": {"en": "School sections meeting the {standard} per-school standard",
                    "zh": "达到 {standard} 学校标准的学校比例"},
    "share_axis": {"en": "Share of counted school sections", "zh": "占参评学校比例"},
    "diff_title": {"en": "Final-year CV, scenario minus baseline (below zero: smaller gaps between schools)",
                   "zh": "期末差异系数：情景减基准（小于 0 表示校际差距缩小）"},
    "diff_axis": {"en": "Change in CV (bar: mean over replications; whisker: 90% interval)",
                  "zh": "差异系数变化（柱：各次模拟均值；须线：90% 区间）"},
}


def _text(key: str, language: str, **fields: object) -> str:
    return pick(_TEXT, key, language, **fields)


def _label(names: Mapping[str, str], scenario: str) -> str:
    return names.get(scenario, scenario)


def cv_paths_figure(comparison: Comparison, keys: Sequence[str], names: Mapping[str, str], language: str = "en",
                    out_dir: str | Path | None = None, file_name: str = "cv_paths", standard: str = QUALITY) -> Figure:
    """One panel per level and indicator `keys`: each scenario's median CV path, its 5–95% band,
    and the standard's ceiling."""
    use_language(language)
    bands = metric_bands(comparison, "cv", standard)
    ceilings = load_standard(standard).resources.cv_max
    levels = [lv for lv in ("primary", "junior") if lv in set(bands["level"])]
    fig, axes = new_axes(4.2 * len(keys), 1.2 + 2.8 * len(levels), nrows=len(levels), ncols=len(keys),
                         squeeze=False, sharex=True)
    for row, level in enumerate(levels):
        for col, key in enumerate(keys):
            ax = axes[row, col]
            for scenario in comparison.names:
                part = bands[(bands["scenario"] == scenario) & (bands["level"] == level) & (bands["key"] == key)]
                line, = ax.plot(part["year"], part["p50"], label=_label(names, scenario),
                                linewidth=2.2 if scenario != BASELINE else 1.6)
                ax.fill_between(part["year"], part["p5"], part["p95"], color=line.get_color(), alpha=0.18)
            ax.axhline(ceilings[level], color=CEILING_COLOUR, linestyle="--", linewidth=1,
                       label=_text("ceiling", language))
            name = f"{level_label(level, language)} · {indicator_label(key, language)}"
            ax.set_title(textwrap.fill(name, 24 if language == "zh" else 48), fontsize=8, loc="left")
            ax.set_ylabel(_text("cv_axis", language), fontsize=8)
            ax.set_ylim(bottom=0)
    for ax in axes[-1, :]:
        ax.set_xlabel(_text("year", language))
    axes[0, 0].legend(fontsize=8)
    title = _text("cv_title", language, standard=standard, n=comparison.replications)
    return finish(fig, title, out_dir, file_name)


def share_meeting_figure(comparison: Comparison, names: Mapping[str, str], language: str = "en",
                         out_dir: str | Path | None = None, standard: str = QUALITY) -> Figure:
    """Each scenario's share of school sections meeting the per-school standard, year by year."""
    use_language(language)
    shares = share_meeting(comparison, standard)
    fig, ax = new_axes(8, 4.2)
    for scenario, part in shares.groupby("scenario", sort=False):
        ax.plot(part["year"], part["share_meeting"], marker="o", markersize=3, label=_label(names, scenario))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_xlabel(_text("year", language))
    ax.set_ylabel(_text("share_axis", language))
    ax.legend(fontsize=8)
    return finish(fig, _text("share_title", language, standard=standard), out_dir, "share_meeting")


def series_figure(frame: pd.DataFrame, column: str, names: Mapping[str, str], title: str, axis: str,
                  language: str = "en", out_dir: str | Path | None = None, file_name: str = "series") -> Figure:
    """A yearly county series (one line per scenario), the base year left out (nothing moves yet)."""
    use_language(language)
    fig, ax = new_axes(8, 4.2)
    for scenario, part in frame.groupby("scenario", sort=False):
        part = part.sort_values("year").iloc[1:]
        ax.plot(part["year"], part[column], marker="o", markersize=3, label=_label(names, scenario))
    ax.set_xlabel(_text("year", language))
    ax.set_ylabel(axis)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    return finish(fig, title, out_dir, file_name)


def difference_figure(differences: pd.DataFrame, names: Mapping[str, str], language: str = "en",
                      out_dir: str | Path | None = None) -> Figure:
    """Horizontal bars: final-year CV, scenario minus baseline, for each level and indicator."""
    use_language(language)
    rows = differences.assign(row=[f"{level_label(lv, language)} · {indicator_label(k, language)}"
                                   for lv, k in zip(differences["level"], differences["key"])])
    grid = rows.pivot_table(index="row", columns="scenario", values="difference", sort=False)
    has_interval = {"low", "high"} <= set(rows.columns)
    if has_interval:
        low = rows.pivot_table(index="row", columns="scenario", values="low", sort=False).reindex_like(grid)
        high = rows.pivot_table(index="row", columns="scenario", values="high", sort=False).reindex_like(grid)
    fig, ax = new_axes(10, 1.2 + 0.32 * len(grid) * max(1, grid.shape[1]) ** 0.5)
    height = 0.8 / grid.shape[1]
    y = np.arange(len(grid))
    for i, scenario in enumerate(grid.columns):
        # The whisker is the 90% interval of the paired difference over the replications.
        error = (np.vstack([grid[scenario] - low[scenario], high[scenario] - grid[scenario]])
                 if has_interval else None)
        ax.barh(y + i * height, grid[scenario], height=height, label=_label(names, scenario), xerr=error,
                error_kw={"elinewidth": 1, "capsize": 2, "ecolor": "#333333"})
    ax.axvline(0, color=CEILING_COLOUR, linewidth=1)
    ax.set_yticks(y + height * (grid.shape[1] - 1) / 2, grid.index, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_text("diff_axis", language))
    ax.legend(fontsize=8)
    return finish(fig, _text("diff_title", language), out_dir, "final_differences")
