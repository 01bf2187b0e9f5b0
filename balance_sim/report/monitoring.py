"""What notebook 01 (county monitoring) shows: headline numbers, tables and a conclusion in plain
words, built from an `Assessment` (`balance_sim.assessment`) and the county's own targets
(`balance_sim.targets.county_targets`). Figures are in `monitoring_figures.py`.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from balance_sim.assessment import Assessment
from balance_sim.standards.rules import MARGINAL_NOTE
from balance_sim.report.labels import (headline_label, indicator_label, level_label, level_word, standard_name,
                                       unit_label, value_label)
from balance_sim.report.summary import Headline, headline
from balance_sim.report.tables import styled

ONE_OFF, PER_YEAR = "one-off", "per year"  # `basis` of a shortfall's cost (balance_sim.shortfalls)


def _of(n: int, language: str) -> str:
    return headline_label("of", language, n=n)


def _of_counted(assessment: Assessment, language: str) -> str:
    """"of 59 counted (4 left out: teaching point with fewer than 50 pupils)": what a count of
    sections counts."""
    n = int(assessment.levels["schools"].sum())
    excluded = assessment.excluded
    if excluded.empty:
        return _of(n, language)
    reasons = excluded["reason"].value_counts()
    why = ("；" if language == "zh" else "; ").join(
        f"{count} × {reason_text(reason, language)}" if len(reasons) > 1 else reason_text(reason, language)
        for reason, count in reasons.items())
    return headline_label("of_counted", language, n=n, left=len(excluded), why=why)


REASONS_ZH = {"teaching point with fewer than 50 pupils": "不足 50 人的教学点"}


def reason_text(reason: str, language: str) -> str:
    return REASONS_ZH.get(reason, reason) if language == "zh" else reason


def excluded_table(assessment: Assessment, language: str = "en") -> Styler | str:
    """The sections the standard leaves out of the assessment, each with its reason."""
    excluded = assessment.excluded
    if excluded.empty:
        return "所有学校（学段）均计入评估。" if language == "zh" else "Every school section is counted."
    frame = excluded[["county", "level", "school_id", "name", "school_type", "students", "reason"]].copy()
    frame["reason"] = [reason_text(r, language) for r in frame["reason"]]
    caption = {"en": f"School sections left out of the assessment ({len(frame)}), and why",
               "zh": f"未计入评估的学校（学段）（{len(frame)} 所）及原因"}[language]
    return styled(frame, language, caption, formats={"students": "{:,.0f}"})


def _largest_cv(assessment: Assessment, level: str) -> pd.Series:
    rows = assessment.indicators[assessment.indicators["level"] == level]
    return rows.loc[(rows["cv"] / rows["cv_max"]).astype(float).idxmax()]


def _costs(assessment: Assessment) -> dict[str, float]:
    by_basis = assessment.shortfalls.groupby("basis")["cost_yuan"].sum()
    return {basis: float(by_basis.get(basis, 0.0)) for basis in (ONE_OFF, PER_YEAR)}


def headlines(assessment: Assessment, targets: pd.DataFrame, language: str = "en") -> list[Headline]:
    """The numbers a reader needs first: verdict, CVs against their ceilings, schools meeting the
    per-school standard, the cost of the shortfalls and the urban–rural balance coefficient."""
    std = assessment.standard.name
    verdicts = assessment.verdict
    if len(verdicts) == 1:
        items = [headline("verdict", headline_label("verdict", language, standard=std),
                          value_label("verdict", next(iter(verdicts.values())), language))]
    else:
        passing = sum(v == "pass" for v in verdicts.values())
        items = [headline("counties_passing", headline_label("counties_passing", language, standard=std),
                          passing, _of(len(verdicts), language))]
    failing = int((~assessment.indicators["cv_pass"].astype(bool)).sum())
    items.append(headline("cvs_above_ceiling", headline_label("cvs_above_ceiling", language), failing,
                          _of(len(assessment.indicators), language)))
    for level in assessment.levels["level"].unique():
        name = level_word(level, language)
        composite = assessment.levels.loc[assessment.levels["level"] == level, "composite_cv"].astype(float)
        if composite.notna().all():
            items.append(headline(f"composite_cv_{level}", headline_label("composite_cv", language, level=name),
                                  composite.mean()))
        worst = _largest_cv(assessment, level)
        label = headline_label("largest_cv", language, level=name, indicator=indicator_label(worst["key"], language))
        items.append(headline(f"largest_cv_{level}", label, worst["cv"], f"(≤ {float(worst['cv_max']):.2f})"))
    meeting = assessment.levels["schools_meeting_standard"]
    if meeting.notna().all():
        items.append(headline("schools_meeting_standard", headline_label("schools_meeting_standard", language),
                              int(meeting.sum()), _of_counted(assessment, language)))
        costs = _costs(assessment)
        yuan = "元" if language == "zh" else "yuan"
        items.append(headline("shortfall_one_off_yuan", headline_label("shortfall_one_off", language),
                              costs[ONE_OFF], yuan, digits=0))
        items.append(headline("shortfall_per_year_yuan", headline_label("shortfall_per_year", language),
                              costs[PER_YEAR], yuan, digits=0))
    balance = targets.loc[targets["key"] == "urban_rural_balance", "value"].astype(float)
    if len(balance) == 1:
        items.append(headline("urban_rural_balance", headline_label("urban_rural_balance", language),
                              balance.iloc[0]))
    return items


def indicator_table(assessment: Assessment, language: str = "en") -> Styler:
    """Per level and indicator: weighted mean, CV, ceiling, pass mark, schools below the minimum."""
    frame = assessment.indicators.copy()
    frame["indicator"] = [indicator_label(k, language, unit=True) for k in frame["key"]]
    columns = ["county", "level", "indicator", "mean", "cv", "cv_max", "cv_pass", "marginal", "schools_below_minimum"]
    if "marginal" in frame:  # ≈: within rounding of the ceiling, read the verdict with care
        frame["marginal"] = frame["marginal"].map(lambda m: "≈" if m is True or m == 1 else "")
    else:
        columns.remove("marginal")
    if frame["schools_below_minimum"].isna().all():
        columns.remove("schools_below_minimum")
    caption = {"en": f"Enrolment-weighted CV of each indicator ({assessment.standard.name})",
               "zh": f"各指标校际差异系数（按在校生数加权，{standard_name(assessment.standard.name, 'zh')}）"}[language]
    return styled(frame[columns], language, caption,
                  formats={"mean": "{:,.2f}", "cv": "{:.3f}", "cv_max": "{:.2f}"}, flags=["cv_pass"])


def school_costs(assessment: Assessment) -> pd.DataFrame:
    """Per school section failing the per-school rule: indicators lacking and the cost of filling
    them, one-off and per year (yuan), most expensive first."""
    gaps = assessment.shortfalls
    columns = ["county", "level", "school_id", "name", "indicators_lacking", "cost_one_off_yuan", "cost_per_year_yuan"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    keys = ["county", "level", "school_id", "name"]
    cost = gaps.pivot_table(index=keys, columns="basis", values="cost_yuan", aggfunc="sum", fill_value=0.0)
    out = gaps.groupby(keys)["key"].count().rename("indicators_lacking").to_frame().join(cost)
    out = out.rename(columns={ONE_OFF: "cost_one_off_yuan", PER_YEAR: "cost_per_year_yuan"})
    out = out.reindex(columns=columns[4:], fill_value=0.0).reset_index()
    return out.sort_values(["cost_one_off_yuan", "cost_per_year_yuan"], ascending=False, ignore_index=True)


def school_table(assessment: Assessment, language: str = "en", top: int = 15) -> Styler:
    """The `top` school sections whose shortfalls cost most to fill."""
    frame = school_costs(assessment).head(top)
    frame["level"] = frame["level"].astype(object)
    caption = {"en": f"School sections below the per-school minimums: the {top} costliest to bring up to standard",
               "zh": f"未达到学校标准的学校：补齐缺口费用最高的 {top} 所"}[language]
    return styled(frame, language, caption, formats={"cost_one_off_yuan": "{:,.0f}", "cost_per_year_yuan": "{:,.0f}"})


def targets_table(targets: pd.DataFrame, language: str = "en") -> Styler:
    """The county's own targets (docs/sources.md#county-targets): value, target, rule and status."""
    frame = targets.assign(indicator=targets[language])[["county", "indicator", "value", "rule", "target", "status", "unit"]]
    frame = frame.assign(value=[_target_number(v, u) for v, u in zip(frame["value"], frame["unit"])],
                         target=[_target_number(v, u) for v, u in zip(frame["target"], frame["unit"])],
                         unit=[unit_label(u, language) for u in frame["unit"]])
    caption = {"en": "The county's own targets", "zh": "县级均衡发展目标"}[language]
    return styled(frame, language, caption)


def _target_number(value: float, unit: str) -> str:
    """A target's value as its unit reads: shares as percentages, counts of sections whole."""
    if value is None or value != value:
        return "—"
    if unit.startswith("share"):
        return f"{value:.1%}"
    if unit == "school sections":
        return f"{value:,.0f}"
    return f"{value:,.3f}"


def tables(assessment: Assessment, targets: pd.DataFrame, inequality: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables written to the run's folder (CSV, Parquet, Excel), raw numbers, stable columns."""
    levels = assessment.levels.assign(reasons=assessment.levels["reasons"].map("; ".join))
    return {
        "levels": levels,
        "indicators": assessment.indicators,
        "schools": assessment.schools,
        "shortfalls": assessment.shortfalls,
        "costs": school_costs(assessment),
        "contributions": assessment.contributions,
        "targets": targets,
        "inequality": inequality,
        "excluded": assessment.excluded,
    }


def _money(yuan: float, language: str) -> str:
    return f"{yuan / 1e4:,.0f} 万元" if language == "zh" else f"{yuan / 1e6:,.1f} million yuan"


def _failing_cvs(assessment: Assessment, language: str) -> list[str]:
    rows = assessment.indicators[~assessment.indicators["cv_pass"].astype(bool)]
    marginal = rows["marginal"].astype(bool) if "marginal" in rows else pd.Series(False, index=rows.index)
    if language == "zh":
        return [f"{level_label(r.level, 'zh')}{indicator_label(r.key, 'zh')}的差异系数为 {r.cv:.3f}，超过上限 {r.cv_max:.2f}"
                + ("（临界：与上限之差在四舍五入范围内）" if m else "") for r, m in zip(rows.itertuples(), marginal)]
    return [f"in {level_label(r.level).lower()} schools the CV of {indicator_label(r.key).lower()} is "
            + f"{r.cv:.3f}, above its ceiling of {r.cv_max:.2f}" + (f" — {MARGINAL_NOTE}" if m else "")
            for r, m in zip(rows.itertuples(), marginal)]


def conclusion(assessment: Assessment, language: str = "en") -> Markdown:
    """The result in plain words: verdict, what fails, what it would cost, which schools weigh most."""
    std = standard_name(assessment.standard.name, language)
    zh = language == "zh"
    parts = []
    for county, verdict in assessment.verdict.items():
        if zh:
            parts.append(f"**{county}{'达到' if verdict == 'pass' else '未达到'}{std}标准**。")
        else:
            parts.append(f"**{county} {'meets' if verdict == 'pass' else 'does not meet'} the {std} standard.**")
    failing = _failing_cvs(assessment, language)
    if failing:
        parts.append(("；".join(failing) + "。") if zh else (failing[0][0].upper() + "; ".join(failing)[1:] + "."))
    else:
        parts.append("各指标差异系数均在上限以内。" if zh else "Every indicator's CV is within its ceiling.")
    levels = assessment.levels.dropna(subset=["schools_meeting_standard"])
    if not levels.empty:
        counts = [(level_label(r.level, language), int(r.schools_meeting_standard), int(r.schools)) for r in levels.itertuples()]
        costs = _costs(assessment)
        if zh:
            parts.append("达到学校标准的学校：" + "，".join(f"{n}{m}/{t} 所" for n, m, t in counts)
                         + f"。补齐全部缺口约需一次性投入 {_money(costs[ONE_OFF], 'zh')}，每年 {_money(costs[PER_YEAR], 'zh')}。")
        else:
            parts.append(" and ".join(f"{m} of {t} {n.lower()} school sections" for n, m, t in counts)
                         + f" meet the per-school standard. Filling every shortfall would cost about "
                         f"{_money(costs[ONE_OFF], 'en')} once and {_money(costs[PER_YEAR], 'en')} a year.")
    leaders = assessment.contributions.sort_values("cv_reduction", ascending=False)["name"].drop_duplicates().head(3)
    if not leaders.empty:
        names = "、".join(leaders) if zh else ", ".join(leaders)
        parts.append(f"对超标差异系数影响最大的学校是{names}：把它们的指标提高到全县平均水平，差异系数下降最多。" if zh else
                     f"The schools that weigh most on the failing CVs are {names}: bringing them to the county "
                     "mean would lower those CVs the most.")
    return Markdown(("" if zh else " ").join(parts))
