"""Checklist methods on the schools table (教督〔2017〕6号 政府保障程度 3–6, 9, 12, 13; 教育质量 4;
docs/sources.md#quality-2017-checklist, docs/sources.md#money): music and art rooms, school size, class size, public funds per pupil, the
training-funds share, and county shares summed over schools (certificates, training completion,
nearest-school enrolment).

Schools that did not report a value are unknown, never assumed to pass: an item fails on any
known breach, and is not assessable when only unknown schools could decide it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.checklist.data import ItemData
from balance_sim.checklist.items import Item
from balance_sim.checklist.outcome import TOLERANCE, UNKNOWN, Outcome, bounded, check_comparison, every, rule_text

LEVELS = ("primary", "junior")
ROOM_COLUMNS = ("music_rooms", "art_rooms", "music_room_area_m2", "art_room_area_m2")


def _numbers(schools: pd.DataFrame, column: str) -> pd.Series:
    if column not in schools:
        return pd.Series(np.nan, index=schools.index, dtype=float)
    return pd.to_numeric(schools[column], errors="coerce").astype(float)


def _known(values: pd.Series, ok: pd.Series) -> pd.Series:
    # <NA> where any input of the school is missing
    out = pd.Series(ok.to_numpy(dtype=bool), index=ok.index, dtype="boolean")
    out[values.isna()] = pd.NA
    return out


def rooms_needed(classes, classes_per_room: int = 12) -> np.ndarray:
    """Rooms of each kind a school needs: one per `classes_per_room` classes, rounded up."""
    return np.ceil(np.asarray(classes, dtype=float) / classes_per_room)


def music_art_rooms(item: Item, data: ItemData) -> Outcome:
    p = item.params
    rule = (f"every school: ≥ ⌈classes ÷ {p['classes_per_room']}⌉ music and art rooms; "
            f"music ≥ {p['music_room_min_m2']} m², art ≥ {p['art_room_min_m2']} m² each")
    missing = data.missing(item.needs)
    if set(missing) >= {f"schools.{c}" for c in ROOM_COLUMNS} or data.schools.empty:
        return Outcome(None, UNKNOWN, rule, missing)
    s = data.schools
    if "school_type" in s:
        s = s[~s["school_type"].astype("string").isin(list(p.get("exclude_school_types", [])))]
    frame = pd.DataFrame({c: _numbers(s, c) for c in ("classes", *ROOM_COLUMNS)})
    frame["school_id"] = s["school_id"].to_numpy()
    # Rooms serve the whole school: a nine-year school's sections share them; "each room" is
    # checked on the smallest room.
    whole = frame.groupby("school_id", sort=False).agg(
        classes=("classes", "sum"), music_rooms=("music_rooms", lambda v: v.sum(min_count=1)),
        art_rooms=("art_rooms", lambda v: v.sum(min_count=1)),
        music_room_area_m2=("music_room_area_m2", "min"), art_room_area_m2=("art_room_area_m2", "min"),
    )
    need = rooms_needed(whole["classes"], p["classes_per_room"])
    # Comparisons with a missing value are False, so `breach` holds only known breaches.
    breach = ((whole["music_rooms"] < need) | (whole["art_rooms"] < need)
              | (whole["music_room_area_m2"] < p["music_room_min_m2"] - TOLERANCE)
              | (whole["art_room_area_m2"] < p["art_room_min_m2"] - TOLERANCE))
    ok = pd.Series(~breach.to_numpy(dtype=bool), index=whole.index, dtype="boolean")
    ok[whole[list(ROOM_COLUMNS)].isna().any(axis=1).to_numpy() & ~breach.to_numpy(dtype=bool)] = pd.NA
    return every(ok, pd.Series(1.0, index=ok.index), rule, missing, "schools")


def school_size(item: Item, data: ItemData) -> Outcome:
    p = item.params
    rule = f"every school ≤ {p['max_pupils']:,} pupils; nine- and twelve-year ≤ {p['max_pupils_combined']:,}"
    s = data.schools
    if s.empty:
        return Outcome(None, UNKNOWN, rule, ("schools.students",))
    types = s["school_type"].astype("string").fillna("regular") if "school_type" in s else pd.Series("regular", index=s.index)
    frame = pd.DataFrame({"school_id": s["school_id"].to_numpy(), "students": _numbers(s, "students").to_numpy(),
                          "combined": types.isin(list(p["combined_types"])).to_numpy()})
    whole = frame.groupby("school_id", sort=False).agg(students=("students", "sum"), combined=("combined", "any"))
    limit = np.where(whole["combined"], p["max_pupils_combined"], p["max_pupils"])
    ok = pd.Series(whole["students"].to_numpy() <= limit, index=whole.index, dtype="boolean")
    return every(ok, pd.Series(1.0, index=whole.index), rule, (), "schools")


def largest_class_even(students, classes) -> np.ndarray:
    """The largest class when pupils are spread evenly over the classes: ⌈pupils ÷ classes⌉."""
    students, classes = np.asarray(students, dtype=float), np.asarray(classes, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(classes > 0, np.ceil(students / classes - TOLERANCE), 0.0)


def class_size(item: Item, data: ItemData, even_classes: bool = False) -> Outcome:
    """Classes over the limit, from the bins `classes_over_<limit>`. Without a bin, a section whose
    average class exceeds the limit surely has one class over it (counted once); other sections
    are unknown, unless `even_classes` (the simulation's even classes: largest = ⌈pupils ÷ classes⌉)."""
    limits = item.params["max_pupils"]
    rule = "every class ≤ " + ", ".join(f"{limits[lv]} ({lv})" for lv in LEVELS if lv in limits)
    s = data.schools
    if s.empty:
        return Outcome(None, UNKNOWN, rule, tuple(f"schools.classes_over_{limits[lv]}" for lv in limits))
    level = s["level"].astype(str).to_numpy()
    students, classes = _numbers(s, "students").to_numpy(), _numbers(s, "classes").to_numpy()
    over = np.full(len(s), np.nan)
    missing = []
    for lv, limit in limits.items():
        here = level == lv
        if not here.any():
            continue
        column = f"classes_over_{limit}"
        binned = _numbers(s, column).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            average_over = np.where(classes > 0, students / classes > limit + TOLERANCE, False)
        if even_classes:
            fallback = (largest_class_even(students, classes) > limit).astype(float)
        else:
            fallback = np.where(average_over, 1.0, np.nan)
        over[here] = np.where(np.isnan(binned), fallback, binned)[here]
        if np.isnan(binned[here]).any() and not even_classes:
            missing.append(f"schools.{column}")
    ok = pd.Series(np.where(np.isnan(over), np.nan, over == 0), index=s.index).astype("boolean")
    ok[np.isnan(over)] = pd.NA
    return every(ok, pd.Series(np.nan_to_num(over), index=s.index), rule, tuple(missing), "school sections")


def funds_required(level, students, boarders, params) -> np.ndarray:
    """Yuan a section must receive: benchmark[level] × max(pupils, small-school floor)
    + boarding supplement × boarders (docs/sources.md#money)."""
    bench = np.array([params["benchmark_yuan"].get(lv, np.nan) for lv in np.asarray(level, dtype=str)], dtype=float)
    pupils = np.maximum(np.asarray(students, dtype=float), params["small_school_pupils"])
    return bench * pupils + params.get("boarding_supplement_yuan", 0) * np.nan_to_num(np.asarray(boarders, dtype=float))


def public_funds(item: Item, data: ItemData) -> Outcome:
    p = item.params
    bench = ", ".join(f"{p['benchmark_yuan'][lv]} ({lv})" for lv in LEVELS if lv in p["benchmark_yuan"])
    rule = (f"every section ≥ {bench} yuan per pupil, under {p['small_school_pupils']} pupils as "
            f"{p['small_school_pupils']}, + {p.get('boarding_supplement_yuan', 0)} per boarder")
    missing = data.missing(item.needs)
    if missing:
        return Outcome(None, UNKNOWN, rule, missing)
    s = data.schools
    funds = _numbers(s, "public_funds_yuan")
    required = funds_required(s["level"], _numbers(s, "students"), _numbers(s, "boarding_students"), p)
    ok = _known(funds, pd.Series(funds.to_numpy() >= required - 0.5, index=s.index))
    return every(ok, pd.Series(1.0, index=s.index), rule, ("schools.public_funds_yuan",), "school sections")


def training_funds(item: Item, data: ItemData) -> Outcome:
    p = item.params
    rule = f"every section: training spending {rule_text(p)} of public funds"
    missing = data.missing(item.needs)
    if missing:
        return Outcome(None, UNKNOWN, rule, missing)
    s = data.schools
    spending, funds = _numbers(s, "training_spending_yuan"), _numbers(s, "public_funds_yuan")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = spending / funds
    ok = _known(share, pd.Series((share >= p["at_least"] - TOLERANCE).to_numpy(), index=s.index))
    return every(ok, pd.Series(1.0, index=s.index), rule, missing or ("schools.training_spending_yuan",), "school sections")


def check_share(params) -> list[str]:
    problems = check_comparison(params)
    if not {"numerator", "denominator"} <= set(params):
        problems.append("needs numerator and denominator")
    return problems


def schools_share(item: Item, data: ItemData) -> Outcome:
    """Σ numerator ÷ Σ denominator over the sections in scope (`level`, `locations`, boarding
    schools left out). Unreported sections bound the share between 0 and 100% of their pupils."""
    p = item.params
    rule = rule_text(p)
    missing = data.missing(item.needs)
    if missing:
        return Outcome(None, UNKNOWN, rule, missing)
    s = data.schools
    scope = np.ones(len(s), dtype=bool)
    if "level" in p:
        scope &= s["level"].astype(str).to_numpy() == p["level"]
    if "locations" in p:
        scope &= s["location"].astype(str).isin(list(p["locations"])).to_numpy()
    if "boarding_school_share" in p and "boarding_students" in s:
        with np.errstate(divide="ignore", invalid="ignore"):
            boarding = _numbers(s, "boarding_students") / _numbers(s, "students")
        scope &= ~(boarding >= p["boarding_school_share"]).to_numpy()
    numerator, denominator = _numbers(s, p["numerator"])[scope], _numbers(s, p["denominator"])[scope]
    total = denominator.sum()
    if not total > 0:
        return Outcome(None, UNKNOWN, rule, (), "no pupils or teachers in scope")
    unknown = numerator.isna()
    known = numerator[~unknown].sum()
    worst, best = known / total, (known + denominator[unknown].sum()) / total
    detail = f"{known:,.0f} of {total:,.0f}" + (f"; {int(unknown.sum())} sections without {p['numerator']}" if unknown.any() else "")
    return bounded(worst, best, p, (f"schools.{p['numerator']}",), detail)
