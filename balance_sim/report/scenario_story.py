"""Headline numbers, tables and sentences shared by the scenario notebooks (02, 03): how many
schools meet the standard at the end, when the county first passes, how the final CVs move
relative to the baseline, and which CVs stay above their ceiling.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from balance_sim.report.labels import headline_label, indicator_label, level_label
from balance_sim.report.scenarios import (BASELINE, QUALITY, Comparison, final_differences, final_value,
                                          first_years, metric_bands, share_meeting)
from balance_sim.report.summary import Headline, headline
from balance_sim.report.tables import styled
from balance_sim.standards import load_standard


def word(key: str, language: str) -> str:
    return headline_label(key, language)


def certified_headline(comparison: Comparison, scenario: str, language: str, key: str) -> Headline:
    """The first year the county passes quality-2017 under `scenario` (text says when it does not)."""
    year = comparison.results[scenario].first_year_meeting.get(QUALITY)
    who = word("baseline_word" if scenario == BASELINE else "scenario_word", language)
    label = headline_label("certified_year", language, standard=QUALITY, scenario=who)
    if year is None:
        return Headline(key, label, None, "", headline_label("not_reached", language, year=comparison.years[-1]))
    return headline(key, label, year, digits=0)


def outcome_headlines(comparison: Comparison, scenario: str, language: str = "en") -> list[Headline]:
    """Final share meeting the standard and first year passing, baseline and scenario; the mean
    change of the final-year CVs."""
    shares = share_meeting(comparison)
    items = []
    for name, tag in ((BASELINE, "baseline"), (scenario, "scenario")):
        who = word(f"{tag}_word", language)
        label = headline_label("share_meeting_final", language, standard=QUALITY, year=comparison.years[-1], scenario=who)
        items.append(headline(f"share_meeting_final_{tag}", label, final_value(shares, name, "share_meeting")))
    items += [certified_headline(comparison, BASELINE, language, "certified_year_baseline"),
              certified_headline(comparison, scenario, language, "certified_year_scenario")]
    differences = final_differences(comparison)
    mine = differences[differences["scenario"] == scenario]
    items.append(headline("cv_change_mean", headline_label("cv_change_mean", language), mine["difference"].mean()))
    for key, lower in (("cvs_lower", True), ("cvs_higher", False)):
        moved = mine["detectable"] & ((mine["difference"] < 0) == lower)
        items.append(headline(key, headline_label(key, language), int(moved.sum()), digits=0))
    return items


def effect_sentence(comparison: Comparison, scenario: str, keys, language: str = "en") -> str:
    """The final-year CV changes of `keys` against the baseline, paired over the replications
    with 90% intervals: which fall, which rise, and which show no detectable effect."""
    differences = final_differences(comparison)
    rows = differences[(differences["scenario"] == scenario) & differences["key"].isin(list(keys))]
    zh = language == "zh"

    def name(r):
        return (f"{level_label(r.level, language)}{indicator_label(r.key, language)}" if zh
                else f"{indicator_label(r.key).lower()} ({level_label(r.level).lower()})")

    def phrase(r):
        return f"{name(r)} {r.difference:+.3f} [{r.low:+.3f}, {r.high:+.3f}]"

    lower = [phrase(r) for r in rows.itertuples() if r.detectable and r.difference < 0]
    higher = [phrase(r) for r in rows.itertuples() if r.detectable and r.difference > 0]
    none = [name(r) for r in rows.itertuples() if not r.detectable]
    n, year = comparison.replications, comparison.years[-1]
    if zh:
        parts = [f"与基准配对比较（{n} 次模拟，90% 区间），{year} 年差异系数"]
        parts += [f"下降：{'；'.join(lower)}" if lower else "没有可检测的下降"]
        if higher:
            parts.append(f"上升：{'；'.join(higher)}")
        if none:
            parts.append(f"无可检测的影响（区间包含 0）：{'、'.join(none)}")
        return "，".join(parts) + "。"
    parts = [f"Paired with the baseline over {n} replications (90% intervals), the {year} CVs "
             + (f"fall for {'; '.join(lower)}" if lower else "fall for none of these indicators")]
    if higher:
        parts.append(f"rise for {'; '.join(higher)}")
    if none:
        parts.append(f"show no detectable effect (the interval holds zero) for {'; '.join(none)}")
    return ", ".join(parts[:-1]) + (", and " if len(parts) > 1 else "") + parts[-1] + "." if len(parts) > 1 \
        else parts[0] + "."


def still_failing(comparison: Comparison, scenario: str) -> pd.DataFrame:
    """Final-year median CVs of `scenario` above their quality-2017 ceiling (level, key, cv, ceiling)."""
    bands = metric_bands(comparison, "cv", QUALITY)
    last = bands[(bands["scenario"] == scenario) & (bands["year"] == comparison.years[-1])]
    ceiling = last["level"].map(dict(load_standard(QUALITY).resources.cv_max)).astype(float)
    failing = last[last["p50"] > ceiling]
    return pd.DataFrame({"level": failing["level"], "key": failing["key"], "cv": failing["p50"],
                         "ceiling": ceiling[failing.index]}).reset_index(drop=True)


def outcome_sentence(comparison: Comparison, scenario: str, language: str = "en") -> str:
    """When the county passes (or not) and which CVs stay above their ceiling, in plain words."""
    last = comparison.years[-1]
    year = comparison.results[scenario].first_year_meeting.get(QUALITY)
    failing = still_failing(comparison, scenario)
    zh = language == "zh"
    if year is not None:
        return (f"在该情景下，全县在 {year} 年达到 {QUALITY} 标准。" if zh else
                f"Under this scenario the county first passes {QUALITY} in {year}.")
    parts = [f"{level_label(r.level, language)}{indicator_label(r.key, language)}（{r.cv:.3f}，上限 {r.ceiling:.2f}）" if zh
             else f"{indicator_label(r.key).lower()} in {level_label(r.level).lower()} schools "
                  f"({r.cv:.3f} against {r.ceiling:.2f})" for r in failing.itertuples()]
    if zh:
        return (f"到 {last} 年全县仍未达到 {QUALITY} 标准" + (f"，仍超出上限的差异系数：{'；'.join(parts)}。" if parts
                else "：各差异系数已在上限以内，但达标学校比例不足。"))
    return (f"By {last} the county still does not pass {QUALITY}" +
            (f": the CVs still above their ceiling are {'; '.join(parts)}." if parts else
             ": every CV is within its ceiling, but too few schools meet the per-school standard."))


def comparison_table(comparison: Comparison, names: Mapping[str, str], language: str = "en") -> Styler:
    """Per scenario: the final year's share of schools meeting the standard, the first year the
    county passes, and the mean final-year CV, next to the baseline's."""
    shares = share_meeting(comparison)
    bands = metric_bands(comparison, "cv", QUALITY)
    last = bands[bands["year"] == comparison.years[-1]].groupby("scenario", sort=False)["p50"].mean()
    frame = pd.DataFrame({
        "scenario": [names.get(n, n) for n in comparison.names],
        "share_meeting": [final_value(shares, n, "share_meeting") for n in comparison.names],
        "certified_year": [comparison.results[n].first_year_meeting.get(QUALITY) for n in comparison.names],
        "mean_cv": [float(last[n]) for n in comparison.names],
    })
    caption = {"en": f"Scenarios in {comparison.years[-1]} ({QUALITY}; medians over {comparison.replications} replications)",
               "zh": f"{comparison.years[-1]} 年各情景比较（{QUALITY}；{comparison.replications} 次模拟的中位数）"}[language]
    return styled(frame, language, caption,
                  formats={"share_meeting": "{:.1%}", "certified_year": "{:.0f}", "mean_cv": "{:.3f}"})


def comparison_tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Raw tables for the files: CV bands, share meeting, final differences, first years."""
    return {
        "paths": metric_bands(comparison, "cv", QUALITY),
        "share_meeting": share_meeting(comparison),
        "scenarios": final_differences(comparison),
        "certification": first_years(comparison),
    }
