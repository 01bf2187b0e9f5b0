"""Headline numbers, tables and sentences shared by the scenario notebooks (02, 03): how many
schools meet the standard at the end, when the county first passes, how the final CVs move
relative to the baseline, and which CVs stay above their ceiling.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from balance_sim.report.labels import headline_label, indicator_label, level_label, standard_name
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
        items.append(headline(f"share_meeting_final_{tag}", label, final_value(shares, name, "share_meeting"), digits=1,
                              percent=True))
    items += [certified_headline(comparison, BASELINE, language, "certified_year_baseline"),
              certified_headline(comparison, scenario, language, "certified_year_scenario")]
    differences = final_differences(comparison)
    mine = differences[differences["scenario"] == scenario]
    items.append(headline("cv_change_mean", headline_label("cv_change_mean", language), mine["difference"].mean()))
    for key, lower in (("cvs_lower", True), ("cvs_higher", False)):
        moved = mine["detectable"] & ((mine["difference"] < 0) == lower)
        items.append(headline(key, headline_label(key, language), int(moved.sum()), digits=0))
    return items


EFFECT_WORDS = {
    "en": {"lower": "smaller gap", "higher": "larger gap", "none": "no detectable effect"},
    "zh": {"lower": "差距缩小", "higher": "差距扩大", "none": "无可检测的影响"},
}


def effect_word(row, language: str = "en") -> str:
    """'smaller gap', 'larger gap' or 'no detectable effect' for a paired difference row."""
    kind = "none" if not row["detectable"] else ("lower" if row["difference"] < 0 else "higher")
    return EFFECT_WORDS[language][kind]


def difference_table(comparison: Comparison, names: Mapping[str, str], language: str = "en",
                     keys=None) -> Styler:
    """Per scenario, level and indicator: the final-year CV of the baseline and the scenario
    (means over the replications), the paired difference, its 90% interval and what it means."""
    rows = final_differences(comparison)
    if keys is not None:
        rows = rows[rows["key"].isin(list(keys))]
    frame = pd.DataFrame({
        "scenario": [names.get(n, n) for n in rows["scenario"]],
        "level": [level_label(v, language) for v in rows["level"]],
        "indicator": [indicator_label(k, language) for k in rows["key"]],
        "baseline_cv": rows["baseline"].to_numpy(), "scenario_cv": rows["value"].to_numpy(),
        "difference": rows["difference"].to_numpy(), "low": rows["low"].to_numpy(), "high": rows["high"].to_numpy(),
        "effect": [effect_word(r, language) for _, r in rows.iterrows()],
    })
    caption = {"en": f"Final-year CVs, scenario − baseline, paired over {comparison.replications} replications "
                     f"({comparison.years[-1]}, {QUALITY})",
               "zh": f"{comparison.years[-1]} 年差异系数：情景 − 基准（{comparison.replications} 次模拟配对比较，{standard_name(QUALITY, 'zh')}）"}
    return styled(frame, language, caption[language],
                  formats={c: "{:+.3f}" if c in ("difference", "low", "high") else "{:.3f}"
                           for c in ("baseline_cv", "scenario_cv", "difference", "low", "high")})


def effect_sentence(comparison: Comparison, scenario: str, keys, language: str = "en") -> str:
    """The final-year CV changes of `keys` against the baseline, paired over the replications
    with 90% intervals: how many fall, rise or show no detectable effect, naming the largest."""
    differences = final_differences(comparison)
    rows = differences[(differences["scenario"] == scenario) & differences["key"].isin(list(keys))]
    zh = language == "zh"

    def name(r):
        return (f"{level_label(r.level, language)}{indicator_label(r.key, language)}" if zh
                else f"{indicator_label(r.key).lower()} ({level_label(r.level).lower()})")

    def phrase(r):
        return f"{name(r)} {r.difference:+.3f} [{r.low:+.3f}, {r.high:+.3f}]"

    def listed(part, largest_first):
        part = part.sort_values("difference", ascending=largest_first)
        shown = [phrase(r) for r in part.head(2).itertuples()]
        more = len(part) - len(shown)
        if zh:
            return "；".join(shown) + (f" 等 {len(part)} 项" if more else "")
        return "; ".join(shown) + (f" and {more} more" if more else "")

    lower = rows[rows["detectable"] & (rows["difference"] < 0)]
    higher = rows[rows["detectable"] & (rows["difference"] > 0)]
    none = rows[~rows["detectable"]]
    n, year, total = comparison.replications, comparison.years[-1], len(rows)
    if zh:
        parts = [f"与基准配对比较（{n} 次模拟，90% 区间），{year} 年 {total} 个差异系数中"]
        parts.append(f"{len(lower)} 个下降（{listed(lower, True)}）" if len(lower) else "没有一个下降")
        if len(higher):
            parts.append(f"{len(higher)} 个上升（{listed(higher, False)}）")
        if len(none):
            parts.append(f"{len(none)} 个无可检测的影响（区间包含 0）")
        return "，".join(parts) + "。"
    parts = [f"fall for {len(lower)} ({listed(lower, True)})" if len(lower) else "fall for none"]
    if len(higher):
        parts.append(f"rise for {len(higher)} ({listed(higher, False)})")
    if len(none):
        parts.append(f"show no detectable effect for {len(none)} (the interval holds zero)")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (f"Paired with the baseline over {n} replications (90% intervals), of these {total} CVs in {year} "
            f"{joined}; the table above gives each.")


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
        return (f"在该情景下，全县在 {year} 年达到{standard_name(QUALITY, 'zh')}标准。" if zh else
                f"Under this scenario the county first passes {QUALITY} in {year}.")
    parts = [f"{level_label(r.level, language)}{indicator_label(r.key, language)}（{r.cv:.3f}，上限 {r.ceiling:.2f}）" if zh
             else f"{indicator_label(r.key).lower()} in {level_label(r.level).lower()} schools "
                  f"({r.cv:.3f} against {r.ceiling:.2f})" for r in failing.itertuples()]
    if zh:
        return (f"到 {last} 年全县仍未达到{standard_name(QUALITY, 'zh')}标准" + (f"，仍超出上限的差异系数：{'；'.join(parts)}。" if parts
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
               "zh": f"{comparison.years[-1]} 年各情景比较（{standard_name(QUALITY, 'zh')}；{comparison.replications} 次模拟的中位数）"}[language]
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
