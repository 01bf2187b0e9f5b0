"""What notebook 02 (new funds to rural schools) shows: the baseline against a scenario that sends
a larger share of incremental funds to rural schools (`funding.rural_share`, docs/sources.md#moe-2005: "new funds go
mainly to rural schools"); the yuan that move, the gaps that close, and when the county passes.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from balance_sim.report.labels import headline_label, indicator_label, level_label
from balance_sim.report.parameters import specs
from balance_sim.report.scenario_story import comparison_tables, effect_sentence, outcome_headlines, outcome_sentence
from balance_sim.report.scenarios import BASELINE, Comparison
from balance_sim.report.summary import Headline, headline
from balance_sim.scenarios.earmark import earmark_use as scenario_earmark_use
from balance_sim.sim import default_policy

SCENARIO = "new_funds_to_rural"
LEVER = "funding.rural_share"
# The quality-2017 indicators that money buys (buildings, grounds, equipment, classrooms).
RESOURCE_KEYS = ("teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
                 "multimedia_classrooms_per_100")
CAPITAL_PREFIX = "capital_"  # funding-ledger items bought with new funds


def scenarios(rural_share: float) -> dict[str, dict[str, object]]:
    """The scenario of this notebook as key-path changes to the default policy."""
    return {SCENARIO: {LEVER: rural_share}}


def names(rural_share: float, language: str = "en") -> dict[str, str]:
    """How the baseline and the scenario are called in legends and tables."""
    default = float(default_policy().value(LEVER))
    if language == "zh":
        return {BASELINE: f"基准：新增经费 {default:.0%} 用于农村", SCENARIO: f"情景：新增经费 {rural_share:.0%} 用于农村"}
    return {BASELINE: f"Baseline: {default:.0%} of new funds to rural schools",
            SCENARIO: f"Scenario: {rural_share:.0%} of new funds to rural schools"}


def funding_by_group(comparison: Comparison) -> pd.DataFrame:
    """Per scenario, group of schools (rural, non_rural, county) and item: yuan over the simulated
    years, mean over replications."""
    parts = []
    for name, result in comparison.results.items():
        total = result.funding.groupby(["group", "item"], observed=True)["yuan"].sum() / result.replications
        parts.append(total.reset_index().assign(scenario=name))
    out = pd.concat(parts, ignore_index=True)
    out["group"], out["item"] = out["group"].astype(str), out["item"].astype(str)
    return out[["scenario", "group", "item", "yuan"]]


def _new_funds(funding: pd.DataFrame, scenario: str, group: str | None = None) -> float:
    """Yuan of new funds (the capital items `rural_share` divides) over the years, one group or all.
    Salaries and public funds are left out: they follow teachers and pupils, not the lever."""
    rows = funding[(funding["scenario"] == scenario) & funding["item"].str.startswith(CAPITAL_PREFIX)]
    if group is not None:
        rows = rows[rows["group"] == group]
    return float(rows["yuan"].sum())


def earmark_use(comparison: Comparison, scenario: str) -> dict[str, float]:
    """What `scenario`'s rural schools did with their earmark (balance_sim.scenarios.earmark)."""
    return scenario_earmark_use(comparison.results[scenario])


def where_rural_lags(comparison: Comparison, keys=RESOURCE_KEYS) -> pd.DataFrame:
    """Base year, per level and indicator: the pupil-weighted mean of rural and of other school
    sections, and whether rural sections lag (the direction a rural earmark can close)."""
    schools = comparison.results[BASELINE].schools
    base = schools[(schools["year"] == comparison.years[0]) & (schools["replication"] == 0) & schools["open"]]
    base = base[base["students"] > 0]
    rows = []
    for (level, rural), part in base.groupby([base["level"].astype(str), base["location"].astype(str) == "rural"]):
        weights = part["students"].to_numpy(float)
        for key in keys:
            values = part[key].to_numpy(float)
            rows.append({"level": level, "rural": rural, "key": key, "mean": float((values * weights).sum() / weights.sum())})
    table = pd.DataFrame(rows).pivot_table(index=["level", "key"], columns="rural", values="mean", sort=False)
    table.columns = ["non_rural" if not c else "rural" for c in table.columns]
    table["rural_lags"] = table["rural"] < table["non_rural"]
    return table.reset_index()


def headlines(comparison: Comparison, rural_share: float, language: str = "en") -> list[Headline]:
    """The lever, the extra yuan rural schools receive, how much of the earmark they could use,
    and the outcomes against the baseline."""
    funding = funding_by_group(comparison)
    years = len(comparison.years) - 1
    lever = headline_label("lever", language, lever=specs()["rural_share"].label(language))
    extra = _new_funds(funding, SCENARIO, "rural") - _new_funds(funding, BASELINE, "rural")
    used = earmark_use(comparison, SCENARIO)["share_used"]
    return [
        headline("rural_share", lever, rural_share, digits=0, percent=True),
        headline("rural_yuan_difference", headline_label("rural_yuan_difference", language, years=years), extra,
                 "元" if language == "zh" else "yuan", digits=0),
        headline("rural_earmark_used", headline_label("rural_earmark_used", language, years=years), used, digits=0,
                 percent=True),
        *outcome_headlines(comparison, SCENARIO, language),
    ]


def tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Raw tables for the files, plus the funding by group and item."""
    return {**comparison_tables(comparison), "funding": funding_by_group(comparison)}


def conclusion(comparison: Comparison, rural_share: float, language: str = "en") -> Markdown:
    """The result in plain words: the money that moves, how much rural schools could use, where
    they lag, and the gaps that move (paired differences with 90% intervals)."""
    funding = funding_by_group(comparison)
    extra = _new_funds(funding, SCENARIO, "rural") - _new_funds(funding, BASELINE, "rural")
    use = earmark_use(comparison, SCENARIO)
    default = float(default_policy().value(LEVER))
    years = len(comparison.years) - 1
    lags = where_rural_lags(comparison)
    behind = [(r.level, r.key) for r in lags.itertuples() if r.rural_lags]
    ahead = [(r.level, r.key) for r in lags.itertuples() if not r.rural_lags]
    zh = language == "zh"

    def names(pairs):
        if zh:
            return "、".join(f"{level_label(lv, 'zh')}{indicator_label(k, 'zh')}" for lv, k in pairs)
        return "; ".join(f"{indicator_label(k).lower()} ({level_label(lv).lower()})" for lv, k in pairs)

    if zh:
        text = (f"**新增经费用于农村学校的比例由 {default:.0%} 提高到 {rural_share:.0%}，{years} 年间农村学校多获得新增经费约 "
                f"{extra / 1e4:,.0f} 万元**。专项给农村学校的 {use['earmarked'] / 1e4:,.0f} 万元中，农村学校能用于补齐和提升的为 "
                f"{use['share_used']:.0%}，期末仍结转 {use['carried_over'] / 1e4:,.0f} 万元（只留给农村学校，不挪作他用）。")
        text += (f"基期农村学校落后的指标：{names(behind) or '无'}；其余 {len(ahead)} 项农村学校领先"
                 "（农村学校学生少，生均面积往往较大；城镇学校拥挤），所以更大的专项比例缩小前者的差距，可能扩大后者的差距。")
    else:
        text = (f"**Raising the share of new funds for rural schools from {default:.0%} to {rural_share:.0%} gives "
                f"rural schools about {extra / 1e6:,.1f} million yuan more of new funds over {years} years.** Of the "
                f"{use['earmarked'] / 1e6:,.1f} million yuan earmarked for them, rural schools could use "
                f"{use['share_used']:.0%} on their gaps to the floor and the upgrade target; "
                f"{use['carried_over'] / 1e6:,.1f} million yuan is still carried over for them at the end (it stays "
                "with rural schools and is not given to others).")
        text += (f" In the base year rural schools lag the others on {names(behind) or 'none of these indicators'}"
                 f" and lead on the other {len(ahead)} (few pupils give rural schools large areas per pupil; "
                 "town schools are crowded), so a larger earmark narrows the first gaps and can widen the others.")
    return Markdown(text + " " + effect_sentence(comparison, SCENARIO, RESOURCE_KEYS, language) + " "
                    + outcome_sentence(comparison, SCENARIO, language))
