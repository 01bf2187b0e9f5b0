"""Can policy certify the demo county? A mix of levers, every value inside a sourced or stated
realistic range, run over replications: the share certified by each year, and the condition that
decides the year (the CV, the per-school rule or the checklist item that passes last)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.sim import SimulationResult, default_policy, simulate
from balance_sim.sim.rules import _standard_rules
from balance_sim.validation.run import certified_share

STANDARD = "quality-2017"

# Each value with why it is realistic (its source or its range), for the table in docs/validation.md.
CERTIFYING_MIX = {
    "capacity.intake_caps": (True, "the 2017 quality-balance method (教督〔2017〕6号): no school above 2,000 "
                                   "pupils (2,500 for nine-year schools); entrants beyond go to the township's schools with room"),
    "capacity.extension_classrooms_per_year": (10, "about one teaching block a year (10 classrooms, 2.4 M yuan) "
                                                   "for a county of 70 school sections"),
    "teachers.exchange_rate": (0.15, "the 2017 method asks at least 10% of eligible teachers a year; "
                                     "15% is within provincial practice"),
    "teachers.exchange_to_minimum": (True, "docs/sources.md#moe-2005 item 7, docs/sources.md#jilin-2011: backbone teachers to flow to weak schools, "
                                           "so a small school gets the whole backbone teacher the minimum asks"),
    "teachers.backbone_share_min": (0.3, "the 2017 method asks at least 20% backbone teachers among those rotated"),
    "teachers.training_completion_rate": (1.0, "the 2017 method asks every teacher to complete the 360-hour "
                                               "five-year cycle"),
    "teachers.backbone_training_per_year": (20, "docs/sources.md#moe-2005 item 8: backbone training for rural and weak schools; "
                                                "20 of about 2,500 teachers a year"),
    "teachers.subject_retraining_per_year": (10, "docs/sources.md#moe-2005 item 7, 9: staff every school for music, PE and art; "
                                                 "10 teachers a year retrained"),
}


def mix_policy():
    return default_policy().override({path: value for path, (value, _) in CERTIFYING_MIX.items()})


def conditions(result: SimulationResult) -> pd.DataFrame:
    """(replication, year, condition, passes) for every condition of quality-2017 the model
    judges: each indicator's CV by level, the per-school rule by level, each modelled item."""
    rules = _standard_rules(STANDARD)
    cv = result.metric("cv", STANDARD)
    ceiling = cv["level"].map({"primary": rules.cv_max[0], "junior": rules.cv_max[1]})
    parts = [pd.DataFrame({"replication": cv["replication"], "year": cv["year"],
                           "condition": "cv " + cv["level"].astype(str) + " " + cv["key"].astype(str),
                           "passes": cv["value"] <= ceiling})]
    meeting = result.metric("schools_meeting", STANDARD).set_index(["replication", "year", "level"])["value"]
    schools = result.metric("schools", STANDARD).set_index(["replication", "year", "level"])["value"]
    rule = (meeting >= schools).reset_index(name="passes")
    rule["condition"] = "every school meets the minimums, " + rule["level"].astype(str)
    parts.append(rule.drop(columns="level"))
    c = result.checklist
    parts.append(pd.DataFrame({"replication": c["replication"], "year": c["year"],
                               "condition": "item " + c["key"].astype(str),
                               "passes": c["status"].astype(str) == "pass"}))
    return pd.concat(parts, ignore_index=True)


def deciding_condition(result: SimulationResult) -> tuple[str | None, int | None]:
    """The condition whose first year passing (in at least half of the replications, and every
    year after) is latest, and that year; (condition, None) when one never passes."""
    table = conditions(result)
    share = table.groupby(["condition", "year"])["passes"].mean().unstack("year")
    years = np.array(share.columns)
    latest, name = -1, None
    for condition, row in share.iterrows():
        holding = (row.to_numpy() >= 0.5)[::-1].cumprod()[::-1].astype(bool)  # passes from then on
        if not holding.any():
            return str(condition), None
        first = int(years[np.argmax(holding)])
        if first > latest:
            latest, name = first, str(condition)
    return name, latest


RURAL_VARIANT = {"funding.rural_share": 0.8}  # the same mix with most new funds earmarked for rural schools


def certification_section(county: County, years: int, seed: int, replications: int) -> list[str]:
    result = simulate(county, mix_policy(), years=years, seed=seed, replications=replications)
    rural = simulate(county, mix_policy().override(RURAL_VARIANT), years=years, seed=seed, replications=replications)
    baseline = simulate(county, default_policy(), years=years, seed=seed, replications=replications)
    condition, year = deciding_condition(result)
    rural_condition, rural_year = deciding_condition(rural)
    lines = ["## A policy mix that certifies the county", "",
             "Every value inside a sourced or stated realistic range; the rest of the default policy unchanged "
             f"(new funds {default_policy().value('funding.rural_share'):.0%} earmarked for rural schools).", "",
             "| parameter | value | why realistic |", "|---|---|---|"]
    lines += [f"| `{path}` | {value} | {why} |" for path, (value, why) in CERTIFYING_MIX.items()]
    lines += ["", "| year | certified by then: the mix | the mix with 80% of new funds for rural schools "
              "| the default policy |", "|---|---|---|---|"]
    for y in result.years[1:]:
        lines.append(f"| {y} | {certified_share(result, y):.0%} | {certified_share(rural, y):.0%} "
                     f"| {certified_share(baseline, y):.0%} |")
    lines += ["", _decided(condition, year, "the mix"), "", _decided(rural_condition, rural_year,
                                                                    "the mix with 80% for rural schools"), ""]
    return lines


def _decided(condition: str | None, year: int | None, who: str) -> str:
    if year is not None:
        return (f"Under {who} the year is decided by **{condition}**, the last condition to pass (in at least half "
                f"of the replications, and every year after): {year}.")
    return f"Under {who}, **{condition}** never passes in at least half of the replications."
