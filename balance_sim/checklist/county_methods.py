"""Checklist methods on the county table (one row per county and year): evidence (yes/no, never
guessed), a value or a ratio of two counts against a threshold, and the junior three-year
retention formula. Source: 教督〔2017〕6号 (docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist).
"""
from __future__ import annotations

from balance_sim.checklist.data import ItemData
from balance_sim.checklist.items import Item
from balance_sim.checklist.outcome import FAIL, PASS, UNKNOWN, Outcome, check_comparison, compared, rule_text


def evidence(item: Item, data: ItemData) -> Outcome:
    """Yes/no from the county's own data: 1 = yes, 0 = no; absent = not assessable."""
    missing = data.missing(item.needs)
    if missing:
        return Outcome(None, UNKNOWN, "yes", missing, "no yes/no given")
    answer = bool(data.county_value(item.needs[0][1]))
    return Outcome(1.0 if answer else 0.0, PASS if answer else FAIL, "yes", gap=None if answer else 1.0)


def check_county_value(params) -> list[str]:
    problems = check_comparison(params)
    has_value, has_ratio = "value" in params, {"numerator", "denominator"} <= set(params)
    if has_value == has_ratio:
        problems.append("needs either value or numerator and denominator")
    return problems


def county_value(item: Item, data: ItemData) -> Outcome:
    """A county figure (`value`) or `numerator` ÷ `denominator` against the threshold."""
    missing = data.missing(item.needs)
    if missing:
        return Outcome(None, UNKNOWN, rule_text(item.params), missing)
    p = item.params
    if "value" in p:
        return compared(float(data.county_value(p["value"])), p)
    numerator, denominator = float(data.county_value(p["numerator"])), float(data.county_value(p["denominator"]))
    if denominator <= 0:
        return Outcome(None, UNKNOWN, rule_text(p), (), f"{p['denominator']} is 0: the share is undefined")
    return compared(numerator / denominator, p, f"{numerator:,.0f} ÷ {denominator:,.0f}")


RETENTION_COLUMNS = ("junior_graduates", "junior_transferred_in", "junior_transferred_out",
                     "grade7_enrolment_three_years_before", "junior_deaths")


def retention_rate(graduates: float, transferred_in: float, transferred_out: float,
                   grade7_three_years_before: float, deaths: float) -> float:
    """Junior three-year retention (初中三年巩固率, docs/sources.md#quality-2017-checklist):
    (graduates − transferred in + transferred out) ÷ (grade-7 enrolment three years before − deaths)."""
    base = grade7_three_years_before - deaths
    return (graduates - transferred_in + transferred_out) / base if base > 0 else float("nan")


def retention(item: Item, data: ItemData) -> Outcome:
    missing = data.missing([("county", column) for column in RETENTION_COLUMNS])
    if missing:
        return Outcome(None, UNKNOWN, rule_text(item.params), missing)
    figures = {column: float(data.county_value(column)) for column in RETENTION_COLUMNS}
    rate = retention_rate(*figures.values())
    return compared(rate, item.params, "(graduates − in + out) ÷ (grade 7 three years before − deaths)")
