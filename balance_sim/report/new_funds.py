"""What notebook 02 (new funds to rural schools) shows: the baseline against a scenario that sends
a larger share of incremental funds to rural schools (`funding.rural_share`, seed 000: "new funds go
mainly to rural schools"); the yuan that move, the gaps that close, and when the county passes.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from balance_sim.report.labels import headline_label
from balance_sim.report.parameters import specs
from balance_sim.report.scenario_story import comparison_tables, outcome_headlines, outcome_sentence
from balance_sim.report.scenarios import BASELINE, Comparison, final_differences
from balance_sim.report.summary import Headline, headline
from balance_sim.sim import default_policy

SCENARIO = "new_funds_to_rural"
LEVER = "funding.rural_share"
# The quality-2017 indicators that money buys (buildings, grounds, equipment, classrooms).
RESOURCE_KEYS = ("teaching_area_per_student", "equipment_value_per_student", "multimedia_classrooms_per_100")
CAPITAL_PREFIX = "capital_"  # funding-ledger items bought with new funds


def scenarios(rural_share: float) -> dict[str, dict[str, object]]:
    """The scenario of this notebook as key-path changes to the default policy."""
    return {SCENARIO: {LEVER: rural_share}}


def names(rural_share: float, language: str = "en") -> dict[str, str]:
    """How the baseline and the scenario are called in legends and tables."""
    default = float(default_policy().get(LEVER))
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


def headlines(comparison: Comparison, rural_share: float, language: str = "en") -> list[Headline]:
    """The lever, the extra yuan rural schools receive, and the outcomes against the baseline."""
    funding = funding_by_group(comparison)
    years = len(comparison.years) - 1
    lever = headline_label("lever", language, lever=specs()["rural_share"].label(language))
    extra = _new_funds(funding, SCENARIO, "rural") - _new_funds(funding, BASELINE, "rural")
    return [
        headline("rural_share", lever, rural_share, digits=2),
        headline("rural_yuan_difference", headline_label("rural_yuan_difference", language, years=years), extra,
                 "元" if language == "zh" else "yuan", digits=0),
        *outcome_headlines(comparison, SCENARIO, language),
    ]


def tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Raw tables for the files, plus the funding by group and item."""
    return {**comparison_tables(comparison), "funding": funding_by_group(comparison)}


def conclusion(comparison: Comparison, rural_share: float, language: str = "en") -> Markdown:
    """The result in plain words."""
    funding = funding_by_group(comparison)
    rural = {name: _new_funds(funding, name, "rural") for name in (BASELINE, SCENARIO)}
    total = {name: _new_funds(funding, name) for name in (BASELINE, SCENARIO)}
    share = {name: rural[name] / total[name] if total[name] > 0 else 0.0 for name in rural}
    extra = rural[SCENARIO] - rural[BASELINE]
    default = float(default_policy().get(LEVER))
    differences = final_differences(comparison)
    resources = differences[(differences["scenario"] == SCENARIO) & differences["key"].isin(RESOURCE_KEYS)]
    change = float(resources["difference"].mean())
    years = len(comparison.years) - 1
    # Under the need rule money follows what schools lack, so the share written in the policy is a
    # ceiling for rural schools, not what they get: say so when the two differ.
    capped = share[SCENARIO] < rural_share - 0.05
    if language == "zh":
        text = (f"**新增经费用于农村学校的比例由 {default:.0%} 提高到 {rural_share:.0%}，"
                f"{years} 年间农村学校多获得新增经费约 {extra / 1e4:,.0f} 万元**"
                f"（农村学校实际获得新增经费的 {share[BASELINE]:.0%} → {share[SCENARIO]:.0%}）。")
        if capped:
            text += "按“缺什么补什么”的规则，农村学校的缺口补齐后，余下经费转用于其他学校的缺口。"
        text += f"期末校舍、设备和多媒体教室等资源指标的差异系数平均变化 {change:+.3f}（与基准相比）。"
    else:
        text = (f"**Raising the share of new funds for rural schools from {default:.0%} to {rural_share:.0%} gives "
                f"rural schools about {extra / 1e6:,.1f} million yuan more of new funds over {years} years** "
                f"(their actual share of new funds: {share[BASELINE]:.0%} → {share[SCENARIO]:.0%}).")
        if capped:
            text += (" Under the need rule money follows what schools lack: once rural schools' shortfalls are "
                     "filled, the rest of their share goes to the shortfalls of other schools.")
        text += (f" By the final year the CVs of the resource indicators money buys (floor area, equipment, "
                 f"multimedia classrooms) change by {change:+.3f} on average against the baseline.")
    return Markdown(text + " " + outcome_sentence(comparison, SCENARIO, language))
