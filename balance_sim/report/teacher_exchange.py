"""What notebook 03 (teacher exchange) shows: the baseline against rotating more teachers with
more backbone teachers among them (docs/sources.md#moe-2005 and docs/sources.md#teachers: exchange from strong and urban
schools to weak and rural ones), then the same with a higher rural-teacher hardship allowance.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from balance_sim.report.labels import headline_label, level_label, level_word
from balance_sim.report.parameters import specs
from balance_sim.report.scenario_story import (comparison_tables, effect_sentence, outcome_headlines, outcome_sentence,
                                              word)
from balance_sim.report.scenarios import (BASELINE, QUALITY, Comparison, county_series, final_value, metric_bands,
                                         paired_total, total)
from balance_sim.report.summary import Headline, headline

EXCHANGE, WITH_ALLOWANCE = "exchange", "exchange_and_allowance"
LEVERS = {"exchange_rate": "teachers.exchange_rate", "backbone_share_min": "teachers.backbone_share_min",
          "hardship_allowance_yuan_month": "teachers.hardship_allowance_yuan_month"}
# The quality-2017 indicators that teachers make.
TEACHER_KEYS = ("backbone_teachers_per_100", "pe_art_teachers_per_100", "above_degree_teachers_per_100")


def scenarios(exchange_rate: float, backbone_share_min: float, hardship_allowance_yuan_month: float) -> dict:
    """Two scenarios as key-path changes: more exchange; more exchange and a higher allowance."""
    exchange = {LEVERS["exchange_rate"]: exchange_rate, LEVERS["backbone_share_min"]: backbone_share_min}
    return {EXCHANGE: exchange,
            WITH_ALLOWANCE: {**exchange, LEVERS["hardship_allowance_yuan_month"]: hardship_allowance_yuan_month}}


def names(exchange_rate: float, backbone_share_min: float, hardship_allowance_yuan_month: float,
          language: str = "en") -> dict[str, str]:
    """How the baseline and the scenarios are called in legends and tables."""
    from balance_sim.sim import default_policy

    base = default_policy()
    rate, share = base.value(LEVERS["exchange_rate"]), base.value(LEVERS["backbone_share_min"])
    if language == "zh":
        return {BASELINE: f"基准：每年交流 {rate:.0%}，骨干 ≥ {share:.0%}",
                EXCHANGE: f"交流 {exchange_rate:.0%}，骨干 ≥ {backbone_share_min:.0%}",
                WITH_ALLOWANCE: f"交流并将乡村补助提高到每月 {hardship_allowance_yuan_month:,.0f} 元"}
    return {BASELINE: f"Baseline: {rate:.0%} rotated a year, ≥ {share:.0%} backbone",
            EXCHANGE: f"{exchange_rate:.0%} rotated, ≥ {backbone_share_min:.0%} backbone",
            WITH_ALLOWANCE: f"… and a rural allowance of {hardship_allowance_yuan_month:,.0f} yuan a month"}


def exchanged(comparison: Comparison) -> pd.DataFrame:
    """Per scenario and year: teachers sent on exchange (mean over replications)."""
    return county_series(comparison, "exchange_sent")


def headlines(comparison: Comparison, levers: dict[str, float], language: str = "en") -> list[Headline]:
    """The levers, teachers exchanged, the final backbone-teacher CVs and the outcomes."""
    month = "元/月" if language == "zh" else "yuan a month"
    items = [headline(name, headline_label("lever", language, lever=specs()[name].label(language)), value,
                      *((month, 0) if name == "hardship_allowance_yuan_month" else ("", 0)),
                      percent=name != "hardship_allowance_yuan_month")
             for name, value in levers.items()]
    moves = exchanged(comparison)
    years = len(comparison.years) - 1
    for name, tag in ((BASELINE, "baseline_word"), (WITH_ALLOWANCE, "scenario_word")):
        items.append(headline(f"exchanged_{'baseline' if name == BASELINE else 'scenario'}",
                              headline_label("exchanged_teachers", language, years=years, scenario=word(tag, language)),
                              total(moves, name, "exchange_sent"), digits=0))
    bands = metric_bands(comparison, "cv", QUALITY)
    bands = bands[bands["key"] == "backbone_teachers_per_100"].rename(columns={"p50": "cv"})
    for level in ("primary", "junior"):
        for name, tag in ((BASELINE, "baseline"), (WITH_ALLOWANCE, "scenario")):
            label = headline_label("backbone_cv_final", language, year=comparison.years[-1],
                                   level=level_word(level, language), scenario=word(f"{tag}_word", language))
            items.append(headline(f"backbone_cv_{level}_{tag}", label,
                                  final_value(bands[bands["level"] == level], name, "cv")))
    return items + outcome_headlines(comparison, WITH_ALLOWANCE, language)


def tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Raw tables for the files, plus the teachers exchanged each year."""
    return {**comparison_tables(comparison), "exchange": exchanged(comparison)}


def conclusion(comparison: Comparison, levers: dict[str, float], language: str = "en") -> Markdown:
    """The result in plain words: the exchanges, what they cost, and the gaps in teachers that
    move (paired differences with 90% intervals), for each scenario."""
    moves = exchanged(comparison)
    more = total(moves, WITH_ALLOWANCE, "exchange_sent") - total(moves, BASELINE, "exchange_sent")
    allowance = paired_total(comparison, WITH_ALLOWANCE, "allowance")
    years = len(comparison.years) - 1
    if language == "zh":
        text = (f"**每年交流 {levers['exchange_rate']:.0%} 的符合条件教师（骨干不少于 {levers['backbone_share_min']:.0%}），"
                f"{years} 年间比基准多交流约 {more:,.0f} 人次**。乡村教师补助提高到每月 "
                f"{levers['hardship_allowance_yuan_month']:,.0f} 元，{years} 年多支出 {allowance['difference'] / 1e4:,.0f} 万元"
                "（从新增经费中支付）。")
        parts = [f"只提高交流：{effect_sentence(comparison, EXCHANGE, TEACHER_KEYS, language)}",
                 f"交流并提高补助：{effect_sentence(comparison, WITH_ALLOWANCE, TEACHER_KEYS, language)}"]
    else:
        text = (f"**Rotating {levers['exchange_rate']:.0%} of eligible teachers a year, at least "
                f"{levers['backbone_share_min']:.0%} of them backbone teachers, means about {more:,.0f} more exchanges "
                f"than the baseline over {years} years.** Raising the rural allowance to "
                f"{levers['hardship_allowance_yuan_month']:,.0f} yuan a month costs {allowance['difference'] / 1e6:,.1f} "
                f"million yuan more over {years} years, paid from the budget's increment.")
        parts = [f"More exchange alone: {effect_sentence(comparison, EXCHANGE, TEACHER_KEYS, language)}",
                 f"With the higher allowance too: {effect_sentence(comparison, WITH_ALLOWANCE, TEACHER_KEYS, language)}"]
    return Markdown(text + " " + " ".join(parts) + " " + outcome_sentence(comparison, WITH_ALLOWANCE, language))


def exchange_figure(comparison: Comparison, names: dict[str, str], language: str = "en", out_dir=None):
    """Teachers sent on exchange each year, one line per scenario."""
    from balance_sim.report.scenario_figures import series_figure

    title = {"en": "Teachers sent on exchange each year", "zh": "每年交流教师人次"}[language]
    axis = {"en": "Teachers (mean over replications)", "zh": "人次（各次模拟平均）"}[language]
    return series_figure(exchanged(comparison), "exchange_sent", names, title, axis, language, out_dir, "exchanged")
