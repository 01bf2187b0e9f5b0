"""What the synthetic data reaches against its calibration targets (the table of data/README.md).

Each target names its source (docs/sources.md section or `assumption`), its rule (about a value, at
least, at most, within a range) and the value the data reaches, computed from the tables.
The standards checks here (comprehensive CV of basic-2012; CVs and per-school minimums of
quality-2017, thresholds read from the shipped standards) only describe the data; the official
assessment is `balance_sim.assessment`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.datasets import calibration as cal
from balance_sim.datasets import thresholds
from balance_sim.datasets.budget import spending_per_pupil
from balance_sim.indicators import indicator_values
from balance_sim.measures.cv import weighted_mean_cv

BASIC_2012_KEYS = (
    "teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student", "computers_per_100",
    "books_per_student", "teachers_per_100", "above_degree_teachers_per_100", "mid_senior_title_teachers_per_100",
)
QUALITY_2017_KEYS = tuple(thresholds.quality_minimums())


@dataclass(frozen=True)
class LevelCheck:
    level: str
    basic_cvs: dict[str, float]
    comprehensive_cv: float
    quality_cvs: dict[str, float]
    quality_schools: int
    quality_schools_meeting: int

    @property
    def basic_pass(self) -> bool:
        return self.comprehensive_cv <= thresholds.ceilings("basic-2012")[cal.LEVELS.index(self.level)]

    @property
    def quality_cvs_over(self) -> list[str]:
        ceiling = thresholds.ceilings("quality-2017")[cal.LEVELS.index(self.level)]
        return [k for k, v in self.quality_cvs.items() if v > ceiling]

    @property
    def quality_pass(self) -> bool:
        return not self.quality_cvs_over and self.quality_schools_meeting == self.quality_schools


def _cvs(part: pd.DataFrame, keys) -> dict[str, float]:
    values = indicator_values(part, keys)
    return {k: weighted_mean_cv(values[k], part["students"])[1] for k in keys}


def meets_quality_minimums(part: pd.DataFrame, level: str) -> np.ndarray:
    """Per section: at least 6 of 7 minimums met and the rest at least 85% (docs/sources.md#quality-2017)."""
    i = cal.LEVELS.index(level)
    minimums = np.array([thresholds.quality_minimums()[k][i] for k in QUALITY_2017_KEYS])
    values = indicator_values(part, QUALITY_2017_KEYS).to_numpy()
    met = (values >= minimums).sum(axis=1)
    near = (values >= thresholds.school_rule().floor_ratio * minimums).all(axis=1)
    return (met >= thresholds.school_rule().min_met) & near


def check_level(schools: pd.DataFrame, level: str) -> LevelCheck:
    """Both standards' school-data checks for one county and level (inclusion rules of docs/sources.md#basic-2012, docs/sources.md#quality-2017)."""
    part = schools[(schools["level"] == level) & (schools["students"] > 0)]
    is_point = part["school_type"] == "teaching_point"
    basic = part[~is_point]
    quality = part[~is_point | (part["students"] >= thresholds.teaching_point_min_students())]
    basic_cvs = _cvs(basic, BASIC_2012_KEYS)
    meeting = meets_quality_minimums(quality, level)
    return LevelCheck(level, basic_cvs, float(np.mean(list(basic_cvs.values()))), _cvs(quality, QUALITY_2017_KEYS),
                      len(quality), int(meeting.sum()))


def check_county(county: County) -> dict[str, LevelCheck]:
    schools = county.schools
    return {level: check_level(schools, level) for level in county.levels}


def _ratio(schools: pd.DataFrame, level: str, numerator: str, denominator: str) -> float:
    part = schools[schools["level"] == level]
    return float(part[numerator].sum() / part[denominator].sum())


def _budget_rows(county: County) -> list[tuple]:
    budget, schools = county.budget, county.schools
    pupils = schools.groupby("level")["students"].sum().reindex(list(cal.LEVELS), fill_value=0).to_numpy(float)
    expected = spending_per_pupil(budget["year"].to_numpy()) @ pupils
    share = budget["compulsory_education_yuan"].to_numpy() / expected
    growth_faster = (np.diff(np.log(budget["compulsory_education_yuan"])) > np.diff(np.log(budget["fiscal_revenue_yuan"]))).sum()
    first, last = int(budget["year"].iloc[0]), int(budget["year"].iloc[-1])
    return [
        (f"appropriation / (pupils × national spending per pupil), {first}", "docs/sources.md#national-statistics", "about", 1.0, 0.03, share[0]),
        (f"appropriation / (pupils × national spending per pupil), {last}", "docs/sources.md#national-statistics", "about", 1.0, 0.03, share[-1]),
        ("years the appropriation grew faster than revenue", "docs/sources.md#money", "at least", len(budget) // 2 + 1, None, growth_faster),
    ]


def calibration_table(county: County) -> pd.DataFrame:
    """One row per target: target, source, rule, value, tolerance, reached, ok."""
    s, t = county.schools, county.teachers
    checks = check_county(county)
    ptr = cal.level_array("pupil_teacher_ratio")
    above = cal.level_array("above_degree_share")
    minimums = thresholds.quality_minimums()
    rows = [
        ("schools (school_id)", "docs/sources.md#county-targets", "about", 60, 5, s["school_id"].nunique()),
        ("full-time teachers", "brief (about 2,500)", "about", 2500, 250, s["teachers"].sum()),
    ]
    for i, level in enumerate(cal.LEVELS):
        part = s[s["level"] == level]
        rows += [
            (f"{level}: pupils per teacher", "docs/sources.md#national-statistics", "about", ptr[i], 0.3, _ratio(s, level, "students", "teachers")),
            (f"{level}: share of teachers above the required degree", "docs/sources.md#national-statistics", "about", above[i], 0.03,
             _ratio(s, level, "teachers_above_degree", "teachers")),
            (f"{level}: teaching area per pupil (m²)", "docs/sources.md#quality-2017 minimum, §7 building area", "between",
             (minimums["teaching_area_per_student"][i], [8.3, 15.4][i]), None, _ratio(s, level, "teaching_area_m2", "students")),
            (f"{level}: sports area per pupil (m²)", "docs/sources.md#quality-2017 minimum", "at least", minimums["sports_area_per_student"][i], None,
             _ratio(s, level, "sports_area_m2", "students")),
            (f"{level}: equipment per pupil (yuan)", "docs/sources.md#quality-2017 minimum", "at least", minimums["equipment_value_per_student"][i], None,
             _ratio(s, level, "equipment_value_yuan", "students")),
            (f"{level}: comprehensive CV, basic-2012", "docs/sources.md#basic-2012", "at most", thresholds.ceilings("basic-2012")[i], None,
             checks[level].comprehensive_cv),
            (f"{level}: largest CV, quality-2017 (county fails)", "docs/sources.md#quality-2017; brief", "above", thresholds.ceilings("quality-2017")[i], None,
             max(checks[level].quality_cvs.values())),
            (f"{level}: share of schools meeting quality-2017 minimums", "docs/sources.md#quality-2017; brief", "below", 1.0, None,
             checks[level].quality_schools_meeting / checks[level].quality_schools),
        ]
        sizes = part["students"] / part["classes"]
        if level == "primary":
            rows.append(("primary: pupils per teacher, rural ≤ urban", "docs/sources.md#teachers", "at most", 1.0, None,
                         _ratio(part[part["location"] == "rural"], level, "students", "teachers") / _ratio(part[part["location"] == "urban"], level, "students", "teachers")))
        rows.append((f"{level}: town sections with average class over 56", "docs/sources.md#money", "at least", 1, None,
                     int(((part["location"] == "town") & (sizes > cal.value("checks", "large_class"))).sum())))
    if t is not None:
        by_location = t.merge(s[["school_id", "level", "location"]], on=["school_id", "level"]).groupby("location")["age"].mean()
        rows += [
            ("teachers' youngest age", "assumption", "at least", cal.value("teachers", "min_age"), None, t["age"].min()),
            ("teachers' oldest age", "docs/sources.md#teachers", "at most", cal.value("teachers", "max_age_male"), None, t["age"].max()),
            ("mean age, rural minus urban teachers (years)", "assumption", "at least", 3.0, None, by_location["rural"] - by_location["urban"]),
        ]
    if county.budget is not None:
        rows += _budget_rows(county)
    table = pd.DataFrame(rows, columns=["target", "source", "rule", "value", "tolerance", "reached"])
    table["ok"] = [_holds(r.rule, r.value, r.tolerance, r.reached) for r in table.itertuples()]
    return table


def _holds(rule: str, value, tolerance, reached) -> bool:
    if rule == "about":
        return abs(reached - value) <= tolerance
    if rule == "between":
        return value[0] <= reached <= value[1]
    return {"at least": reached >= value, "at most": reached <= value, "above": reached > value, "below": reached < value}[rule]


def _fmt(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (tuple, list)):
        return "–".join(_fmt(v) for v in x)
    if isinstance(x, (int, np.integer)) or float(x).is_integer() and abs(x) >= 1:
        return f"{int(x):,}"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}"


_RULE_WORDS = {"about": "≈ {v} ± {t}", "between": "{v}", "at least": "≥ {v}", "at most": "≤ {v}", "above": "> {v}", "below": "< {v}"}


def calibration_markdown(county: County) -> str:
    """The calibration table as Markdown (pasted into data/README.md, checked by a test)."""
    lines = ["| target | source | aim | demo reaches | met |", "|---|---|---|---|---|"]
    for r in calibration_table(county).itertuples():
        aim = _RULE_WORDS[r.rule].format(v=_fmt(r.value), t=_fmt(r.tolerance) if r.tolerance == r.tolerance and r.tolerance is not None else "")
        lines.append(f"| {r.target} | {r.source} | {aim} | {_fmt(r.reached)} | {_fmt(bool(r.ok))} |")
    return "\n".join(lines)


def standards_markdown(county: County) -> str:
    """Per level: every indicator CV under both standards, the verdict parts the data can show."""
    checks = check_county(county)
    keys = list(dict.fromkeys(BASIC_2012_KEYS + QUALITY_2017_KEYS))
    levels = list(checks)
    lines = ["| indicator | " + " | ".join(f"{lv} basic-2012 | {lv} quality-2017" for lv in levels) + " |",
             "|---|" + "---|---|" * len(levels)]
    for key in keys:
        cells = []
        for lv in levels:
            ch = checks[lv]
            cells += [_fmt(ch.basic_cvs[key]) if key in ch.basic_cvs else "", _fmt(ch.quality_cvs[key]) if key in ch.quality_cvs else ""]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    summary = []
    for lv in levels:
        ch = checks[lv]
        summary += [f"comprehensive {_fmt(ch.comprehensive_cv)} → {'pass' if ch.basic_pass else 'fail'}",
                    f"{len(ch.quality_cvs_over)} CVs over the ceiling, {ch.quality_schools_meeting}/{ch.quality_schools} schools meet the minimums → {'pass' if ch.quality_pass else 'fail'}"]
    lines.append("| **verdict from school data** | " + " | ".join(summary) + " |")
    return "\n".join(lines)
