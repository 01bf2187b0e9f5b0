"""The outcome of one checklist item, and the comparisons every method shares: a value against a
threshold (at least / below / at most), three-valued school checks (met / not met / unknown) and
the gap that ranks failing items (how far from the rule, as a share of the threshold or of the
schools or classes concerned). Source: 教督〔2017〕6号 (docs/sources.md#quality-2017-checklist).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

PASS, FAIL, UNKNOWN = "pass", "fail", "not_assessable"
COMPARISONS = {"at_least": "≥", "below": "<", "at_most": "≤"}
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Outcome:
    """`value` in the item's unit (a share 0–1, a count of breaches, yuan…), `rule` as text,
    `missing` the table.column names lacking, `gap` how far a failing item is from its rule."""

    value: float | None
    status: str
    rule: str
    missing: tuple[str, ...] = ()
    detail: str = ""
    gap: float | None = None


def comparison(params: Mapping) -> tuple[str, float]:
    """The comparison word and threshold of `params` (exactly one of at_least, below, at_most)."""
    found = [(word, params[word]) for word in COMPARISONS if word in params]
    if len(found) != 1:
        raise ValueError("needs exactly one of at_least, below, at_most")
    return found[0][0], float(found[0][1])


def check_comparison(params: Mapping) -> list[str]:
    found = [w for w in COMPARISONS if w in params]
    if len(found) != 1:
        return ["needs exactly one of at_least, below, at_most"]
    value = params[found[0]]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [f"{found[0]} must be a number, got {value!r}"]
    return []


def show(value: float, as_share: bool) -> str:
    if as_share:
        return f"{value * 100:.4g}%"
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def rule_text(params: Mapping) -> str:
    """E.g. "≥ 10%" (a share: no `unit`) or "≥ 6,000 yuan per pupil"."""
    word, threshold = comparison(params)
    unit = params.get("unit")
    text = f"{COMPARISONS[word]} {show(threshold, unit is None)}"
    return f"{text} {unit}" if unit else text


def holds(value: float, params: Mapping) -> bool:
    word, threshold = comparison(params)
    if word == "at_least":
        return value >= threshold - TOLERANCE
    if word == "at_most":
        return value <= threshold + TOLERANCE
    return value < threshold


def gap(value: float, params: Mapping) -> float:
    """How far `value` misses the threshold, as a share of the threshold (0 when it holds)."""
    word, threshold = comparison(params)
    scale = abs(threshold) or 1.0
    if holds(value, params):
        return 0.0
    return (threshold - value) / scale if word == "at_least" else (value - threshold) / scale


def compared(value: float, params: Mapping, detail: str = "") -> Outcome:
    """A single value against the item's threshold."""
    if value is None or not math.isfinite(value):
        return Outcome(None, UNKNOWN, rule_text(params), detail=detail or "no value")
    ok = holds(value, params)
    return Outcome(float(value), PASS if ok else FAIL, rule_text(params), detail=detail,
                   gap=None if ok else gap(value, params))


def bounded(worst: float, best: float, params: Mapping, missing: tuple[str, ...], detail: str) -> Outcome:
    """A value known only between `worst` and `best` (some schools did not report): pass when even
    the worst case holds, fail when even the best case does not, otherwise not assessable."""
    if holds(worst, params):
        return compared(worst, params, detail)
    if not holds(best, params):
        return compared(best, params, detail)
    return Outcome(None, UNKNOWN, rule_text(params), missing, detail)


def every(ok: pd.Series, breaches: pd.Series, rule: str, missing: tuple[str, ...], what: str) -> Outcome:
    """A rule every school (or class) must meet. `ok` is True / False / <NA> per school;
    `breaches` counts the breaches of each school (classes over the limit, or 1).

    Any known breach fails the item, whatever the unknown schools hold; otherwise unknown schools
    make it not assessable. Value: the number of known breaches; gap: breaching schools ÷ schools.
    """
    ok = ok.astype("boolean")
    failing = ok.eq(False).fillna(False).to_numpy(dtype=bool)
    unknown = int(ok.isna().sum())
    count = float(np.asarray(breaches, dtype=float)[failing].sum())
    detail = f"{int(failing.sum())} of {len(ok)} {what} breach the rule"
    if unknown:
        detail += f"; {unknown} cannot be judged"
    if failing.any():
        return Outcome(count, FAIL, rule, missing if unknown else (), detail, float(failing.sum()) / len(ok))
    if unknown:
        return Outcome(None, UNKNOWN, rule, missing, detail)
    return Outcome(0.0, PASS, rule, (), detail)


def combine(statuses) -> str:
    """Fail if any fails; else not assessable if any is; else pass (an empty list passes)."""
    statuses = list(statuses)
    if FAIL in statuses:
        return FAIL
    return UNKNOWN if UNKNOWN in statuses else PASS
