"""The quality-2017 checklist items a policy moves, judged for every simulated year at once
(教督〔2017〕6号 政府保障程度 4, 5, 6, 9, 11; docs/sources.md#quality-2017-checklist, docs/sources.md#teachers, docs/sources.md#money): exchange shares, class sizes,
school sizes, public funds per pupil and training completion.

Same rules and thresholds as `balance_sim.checklist.modelled_items` (read from the standard's
items, never restated here), vectorised over years × sections after the loop. The base year
reads what the input observed where it gives it: the county table's exchange figures, the
class-size bins and the public funds paid; simulated years read the loop's own arrays (classes
filled evenly, so a section's largest class is ⌈pupils ÷ classes⌉).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from balance_sim.checklist import MODELLED, all_items, modelled_items, outside_model_items
from balance_sim.checklist.data import county_row
from balance_sim.sim import ledger as L
from balance_sim.sim.state import LEVELS, TEACHER_COUNTS

STANDARD = "quality-2017"
PASS, FAIL, UNKNOWN = "pass", "fail", "not_assessable"
STATUSES = (PASS, FAIL, UNKNOWN)
TOLERANCE = 1e-9  # as balance_sim.checklist.outcome
COMPLETED = TEACHER_COUNTS.index("training_completed_teachers")
EXCHANGE_COLUMNS = ("exchange_eligible_teachers", "exchange_rotated_teachers", "exchange_rotated_backbone_teachers")


@dataclass(frozen=True)
class ItemRules:
    """The numbers of the modelled items, from the standard's `parts:` section."""

    exchange_min: float
    backbone_min: float
    class_limit: np.ndarray  # by level
    max_pupils: float
    max_pupils_combined: float
    combined_types: tuple[str, ...]
    funds_benchmark: np.ndarray  # yuan per pupil by level
    funds_small_school: float
    funds_boarding: float
    training_min: float
    rule_text: dict[str, str]


@cache
def item_rules() -> ItemRules:
    params = {item.key: item.params for item in all_items(STANDARD) if item.key in MODELLED}
    funds, size = params["public_funds_per_pupil"], params["school_size"]
    # The rule texts exactly as the checklist writes them: its items judged on no data.
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ("school_id", "level", "students", "classes")})
    rules = modelled_items(empty, None, STANDARD).set_index("key")["rule"].to_dict()
    return ItemRules(
        exchange_min=float(params["exchange_share"]["at_least"]),
        backbone_min=float(params["exchange_backbone_share"]["at_least"]),
        class_limit=np.array([params["class_size"]["max_pupils"][lv] for lv in LEVELS], dtype=float),
        max_pupils=float(size["max_pupils"]), max_pupils_combined=float(size["max_pupils_combined"]),
        combined_types=tuple(size["combined_types"]),
        funds_benchmark=np.array([funds["benchmark_yuan"][lv] for lv in LEVELS], dtype=float),
        funds_small_school=float(funds["small_school_pupils"]),
        funds_boarding=float(funds.get("boarding_supplement_yuan", 0)),
        training_min=float(params["training_completion"]["at_least"]),
        rule_text=rules,
    )


def outside_model() -> list[str]:
    """Keys of the quality-2017 items the simulation does not model (the report names them)."""
    return list(outside_model_items(STANDARD)["key"])


# ---------------------------------------------------------------- base-year observations


def observed_classes_over(frame: pd.DataFrame, level: np.ndarray) -> np.ndarray:
    """Classes over the level's limit per section from the input's bins (`classes_over_45`,
    `classes_over_50`), NaN where not given."""
    out = np.full(len(frame), np.nan)
    for code, limit in enumerate(item_rules().class_limit):
        column = f"classes_over_{limit:g}"
        if column in frame:
            values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            out = np.where(level == code, values, out)
    return out


def observed_exchange(county, year: int, names: tuple[str, ...] | None = None) -> tuple[float, float, float]:
    """(eligible, rotated, backbone rotated) of the county table's row for `year`, NaN if absent.
    `names`: the county's names when the caller has them (the County computes them on each access)."""
    names = county.counties if names is None else names
    name = names[0] if names else ""
    row = county_row(county.county_table, name, year, False) or {}
    values = pd.to_numeric(pd.Series([row.get(c) for c in EXCHANGE_COLUMNS], dtype=object), errors="coerce")
    return tuple(float(v) for v in values.astype(float))


# ---------------------------------------------------------------- every year at once


def _share(numerator: np.ndarray, denominator: np.ndarray, at_least: float):
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, np.nan)
    known = np.isfinite(value)
    return value, np.where(known, np.where(value >= at_least - TOLERANCE, 0, 1), 2)


def _every(breaches: np.ndarray, unknown: np.ndarray, present: np.ndarray):
    """Per year: fail on any known breach (value = breaches), else not assessable when any unit
    is unknown or there is none, else pass (value 0). `breaches` ≥ 0, zero where fine."""
    failing = (breaches > 0).any(axis=1)
    undecided = unknown.any(axis=1) | ~present.any(axis=1)
    status = np.where(failing, 1, np.where(undecided, 2, 0))
    value = np.where(failing, breaches.sum(axis=1), np.where(undecided, np.nan, 0.0))
    return value, status


def item_arrays(pupils, classes, open_, counts, public_funds, boarding_share, level, school_code, combined,
                exchange, observed_over=None, observed_funds=None):
    """(value, status code) arrays (Y × len(MODELLED)) for every recorded year; status codes
    index STATUSES. Arrays are years first: pupils, classes, open, public_funds (Y × S), counts
    (Y × S × teacher kinds), exchange (Y × 3: eligible, rotated, backbone rotated). Row 0 (the
    base year) reads `observed_over` and `observed_funds` (S,) where they are not NaN."""
    r = item_rules()
    n_years, n = pupils.shape
    value, status = np.empty((n_years, len(MODELLED))), np.empty((n_years, len(MODELLED)), dtype=np.int8)
    col = {key: MODELLED.index(key) for key in MODELLED}
    value[:, col["exchange_share"]], status[:, col["exchange_share"]] = _share(exchange[:, 1], exchange[:, 0], r.exchange_min)
    value[:, col["exchange_backbone_share"]], status[:, col["exchange_backbone_share"]] = _share(
        exchange[:, 2], exchange[:, 1], r.backbone_min)
    # Class size: the largest of evenly filled classes, ⌈pupils ÷ classes⌉, against the limit.
    with np.errstate(divide="ignore", invalid="ignore"):
        largest = np.where(classes > 0, np.ceil(pupils / classes - TOLERANCE), 0.0)
    over = (largest > r.class_limit[level]).astype(float)
    if observed_over is not None:
        over[0] = np.where(np.isnan(observed_over), over[0], observed_over)
    value[:, col["class_size"]], status[:, col["class_size"]] = _every(over * open_, np.zeros_like(open_), open_)
    # School size: a school's open sections together (a nine-year school's two share its id).
    n_schools = int(school_code.max()) + 1 if n else 0
    group = (np.arange(n_years)[:, None] * n_schools + school_code[None, :]).ravel()
    size = n_years * n_schools
    students = np.bincount(group, weights=(pupils * open_).ravel(), minlength=size).reshape(n_years, n_schools)
    has_open = np.bincount(group, weights=open_.ravel(), minlength=size).reshape(n_years, n_schools) > 0
    is_combined = np.bincount(group, weights=(open_ & combined).ravel(), minlength=size).reshape(n_years, n_schools) > 0
    limit = np.where(is_combined, r.max_pupils_combined, r.max_pupils)
    value[:, col["school_size"]], status[:, col["school_size"]] = _every(
        ((students > limit) & has_open).astype(float), np.zeros_like(has_open), has_open)
    # Public funds: benchmark × max(pupils, small-school floor) + supplement × boarders.
    funds = public_funds.astype(float).copy()
    if observed_funds is not None:
        funds[0] = observed_funds
    required = (r.funds_benchmark[level] * np.maximum(pupils, r.funds_small_school)
                + r.funds_boarding * boarding_share * pupils)
    unknown = np.isnan(funds) & open_
    breach = (funds < required - 0.5) & open_
    value[:, col["public_funds_per_pupil"]], status[:, col["public_funds_per_pupil"]] = _every(
        breach.astype(float), unknown, open_)
    # Training completion: Σ completed ÷ Σ teachers over the open sections.
    completed = (counts[..., COMPLETED] * open_).sum(axis=1).astype(float)
    teachers = (counts[..., 0] * open_).sum(axis=1).astype(float)
    value[:, col["training_completion"]], status[:, col["training_completion"]] = _share(
        completed, teachers, r.training_min)
    return value, status


def checklist_frame(years, value: np.ndarray, status: np.ndarray, county: str, replication: int) -> pd.DataFrame:
    """Tidy rows (replication, county, year, key, value, rule, status), one per year and item."""
    n_years, k = value.shape
    rules = _rule_words()
    return L.frame({
        "replication": np.full(n_years * k, replication, np.int32),
        "county": L.repeated_word(county, n_years * k),
        "year": np.repeat(np.asarray(years, np.int32), k),
        "key": pd.Categorical.from_codes(np.tile(np.arange(k, dtype=np.int8), n_years), dtype=KEY_DTYPE),
        "value": value.ravel(),
        "rule": L.string_column(rules, np.tile(np.arange(k), n_years)),
        "status": pd.Categorical.from_codes(status.ravel().astype(np.int8), dtype=STATUS_DTYPE),
    })


KEY_DTYPE = pd.CategoricalDtype(MODELLED)
STATUS_DTYPE = pd.CategoricalDtype(STATUSES)


@cache
def _rule_words():
    """The items' rule texts in MODELLED order, as an Arrow word table."""
    rules = item_rules().rule_text
    return L.word_table([rules[key] for key in MODELLED])
