"""Figures of notebook 01 (county monitoring): CVs against their ceilings, the weakest schools
indicator by indicator, and the schools that weigh most on a failing CV.

Each figure carries a title, axis labels with units, and English or Chinese text (`language`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from balance_sim.assessment import Assessment
from balance_sim.report.figures import finish, new_axes, use_language
from balance_sim.report.labels import indicator_label, level_label, pick

PASS_COLOUR, FAIL_COLOUR, CEILING_COLOUR = "#4c72b0", "#c44e52", "#333333"

_TEXT = {
    "cv_title": {"en": "{county}: CV of each indicator across schools ({standard})",
                 "zh": "{county}：各指标校际差异系数（{standard}）"},
    "cv_axis": {"en": "Coefficient of variation (enrolment-weighted SD ÷ mean)", "zh": "差异系数（加权标准差 ÷ 平均值）"},
    "ceiling": {"en": "ceiling", "zh": "上限"},
    "weak_title": {"en": "{county}: the {n} weakest school sections, value as a share of {basis}",
                   "zh": "{county}：最薄弱的 {n} 所学校，各指标相对{basis}的比例"},
    "minimum": {"en": "the per-school minimum", "zh": "学校最低标准"},
    "mean": {"en": "the county mean", "zh": "全县平均值"},
    "ratio_axis": {"en": "value ÷ {basis} (1 = at {basis})", "zh": "实际值 ÷ {basis}（1 = 等于{basis}）"},
    "lever_title": {"en": "{county}: schools that weigh most on each failing CV",
                    "zh": "{county}：对超标差异系数影响最大的学校"},
    "lever_axis": {"en": "CV reduction if the school were at the county mean", "zh": "该校达到全县平均水平时差异系数的降幅"},
    "none_failing": {"en": "Every CV is within its ceiling: no school holds the county back on a CV.",
                     "zh": "各指标差异系数均在上限以内。"},
}


def _text(key: str, language: str, **fields: object) -> str:
    return pick(_TEXT, key, language, **fields)


def _first_county(frame: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    # Figures show one county; the tables and files hold them all.
    county = frame["county"].iloc[0]
    return county, frame[frame["county"] == county]


def cv_figure(assessment: Assessment, language: str = "en", out_dir: str | Path | None = None) -> Figure:
    """Horizontal bars: each indicator's CV per level, its ceiling marked, failing bars in red."""
    use_language(language)
    county, rows = _first_county(assessment.indicators)
    levels = list(rows["level"].unique())
    fig, axes = new_axes(10, 1.2 + 0.45 * len(rows), nrows=len(levels), sharex=True, squeeze=False)
    for ax, level in zip(axes[:, 0], levels):
        part = rows[rows["level"] == level].iloc[::-1]
        names = [indicator_label(k, language) for k in part["key"]]
        colours = [PASS_COLOUR if ok else FAIL_COLOUR for ok in part["cv_pass"].astype(bool)]
        y = np.arange(len(part))
        ax.barh(y, part["cv"].astype(float), color=colours)
        ax.vlines(part["cv_max"].astype(float), y - 0.4, y + 0.4, color=CEILING_COLOUR, linewidth=2,
                  label=_text("ceiling", language))
        ax.set_yticks(y, names, fontsize=8)
        ax.set_title(level_label(level, language), loc="left", fontsize=10)
        ax.legend(loc="lower right", fontsize=8)
    axes[-1, 0].set_xlabel(_text("cv_axis", language))
    title = _text("cv_title", language, county=county, standard=assessment.standard.name)
    return finish(fig, title, out_dir, "cv_by_indicator")


def _ratios(assessment: Assessment, county: str) -> tuple[pd.DataFrame, str]:
    schools = assessment.schools[assessment.schools["county"] == county].copy()
    if schools["minimum"].notna().any():
        schools["share"] = schools["ratio"].astype(float)
        return schools, "minimum"
    # Without per-school minimums (basic-2012), compare each school with the county's weighted mean.
    means = assessment.indicators.set_index(["county", "level", "key"])["mean"]
    index = pd.MultiIndex.from_frame(schools[["county", "level", "key"]])
    schools["share"] = schools["value"].to_numpy(dtype=float) / means.reindex(index).to_numpy(dtype=float)
    return schools, "mean"


def weakest_schools_figure(assessment: Assessment, language: str = "en", out_dir: str | Path | None = None,
                           n: int = 15) -> Figure:
    """Heat map of the `n` weakest sections (lowest worst ratio): each indicator's value as a
    share of the per-school minimum (or of the county mean when the standard has none)."""
    use_language(language)
    county = assessment.schools["county"].iloc[0]
    schools, basis_key = _ratios(assessment, county)
    basis = _text(basis_key, language)
    schools["row"] = schools["name"].astype(str) + " · " + [level_label(v, language) for v in schools["level"]]
    grid = schools.pivot_table(index="row", columns="key", values="share", aggfunc="first")
    grid = grid.loc[grid.min(axis=1).sort_values().index[:n]]
    fig, ax = new_axes(10, 1.6 + 0.32 * len(grid))
    image = ax.imshow(grid.clip(0, 2).to_numpy(dtype=float), cmap="RdBu", vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [indicator_label(k, language) for k in grid.columns],
                  rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(grid)), grid.index, fontsize=8)
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(_text("ratio_axis", language, basis=basis))
    title = _text("weak_title", language, county=county, n=len(grid), basis=basis)
    return finish(fig, title, out_dir, "weakest_schools")


def leverage_figure(assessment: Assessment, language: str = "en", out_dir: str | Path | None = None,
                    top: int = 6) -> Figure | None:
    """For each failing CV, the `top` schools whose move to the county mean would lower it most.
    Prints a sentence and returns None when every CV is within its ceiling."""
    use_language(language)
    if assessment.contributions.empty:
        print(_text("none_failing", language))
        return None
    county, rows = _first_county(assessment.contributions)
    groups = list(rows.groupby(["level", "key"], sort=False))
    fig, axes = new_axes(10, 1.0 + 0.35 * top * len(groups), nrows=len(groups), squeeze=False)
    for ax, ((level, key), part) in zip(axes[:, 0], groups):
        part = part.nsmallest(top, "rank").iloc[::-1]
        ax.barh(part["name"].astype(str), part["cv_reduction"].astype(float), color=FAIL_COLOUR)
        ax.set_title(f"{level_label(level, language)} · {indicator_label(key, language)}", loc="left", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
    axes[-1, 0].set_xlabel(_text("lever_axis", language))
    return finish(fig, _text("lever_title", language, county=county), out_dir, "schools_that_weigh_most")
