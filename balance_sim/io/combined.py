"""Combined schools: whole-school facility totals split across the school's sections by pupil
weights (primary : junior : senior high = 1 : 1.1 : 1.32 per pupil).

Nine-year, twelve-year and complete secondary schools report floor area, sports area, equipment,
books, computers and multimedia rooms for the whole school; supervision practice splits each total
by weighted pupils. Source: docs/sources.md#combined-schools; the weights live in `combined.yaml`. The senior-high share
of a twelve-year or complete secondary school is computed but assigned to no compulsory section.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
import yaml

from balance_sim.io.dictionary import dictionary


@dataclass(frozen=True)
class SplitWeights:
    weights: dict[str, float]  # per-pupil weight by section: primary, junior, senior
    combined_types: tuple[str, ...]
    source: str


@cache
def split_weights() -> SplitWeights:
    text = resources.files("balance_sim.io").joinpath("combined.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return SplitWeights(
        {k: float(v) for k, v in raw["weights"].items()}, tuple(raw["combined_types"]), raw["source"]
    )


def shared_columns() -> list[str]:
    """The facility columns a combined school may report once for the whole school."""
    return [c.name for c in dictionary().tables["schools"].columns.values() if c.shared]


def split(total: float, pupils: dict[str, float]) -> dict[str, float]:
    """Each section's share of `total`, in proportion to weight × pupils (sections as in weights).

    Worked example (docs/sources.md#combined-schools): 23,226 books, 166 primary and 210 junior pupils →
    primary 9,711.6, junior 13,514.4.
    """
    weights = split_weights().weights
    weighted = sum(weights[section] * n for section, n in pupils.items())
    return {section: total * weights[section] * n / weighted for section, n in pupils.items()}


def school_key(schools: pd.DataFrame, shared: pd.DataFrame) -> list[str]:
    """How shared rows find their sections: by school, and by year when both tables have one."""
    return ["school_id", "year"] if "year" in schools and "year" in shared else ["school_id"]


def key_index(frame: pd.DataFrame, key: list[str]) -> pd.Index:
    """The rows of `frame` as key values (a MultiIndex for a key of several columns)."""
    return pd.MultiIndex.from_frame(frame[key]) if len(key) > 1 else pd.Index(frame[key[0]])


def _section_weights(schools: pd.DataFrame) -> pd.Series:
    weights = split_weights().weights
    return schools["students"].astype(float) * schools["level"].map(weights).astype(float)


def weighted_pupils(schools: pd.DataFrame, shared: pd.DataFrame) -> pd.Series:
    """Weighted pupils of each shared row's school (sections plus senior high), on shared's index."""
    key = school_key(schools, shared)
    by_school = _section_weights(schools).groupby([schools[k] for k in key]).sum()
    sections = by_school.reindex(key_index(shared, key)).fillna(0.0).to_numpy()
    senior = shared.get("students_senior", pd.Series(0, index=shared.index)).astype(float).fillna(0.0)
    return pd.Series(sections, index=shared.index) + senior * split_weights().weights["senior"]


def apply_split(schools: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """`schools` with every total of `shared` split across the school's section rows.

    The facility columns touched become float64 (a share of 23,226 books is 9,711.6 books).
    """
    key = school_key(schools, shared)
    denominator = weighted_pupils(schools, shared)
    per_weighted_pupil = pd.DataFrame(
        {
            column: shared[column].astype(float) / denominator
            for column in shared_columns()
            if column in shared and shared[column].notna().any()
        },
        index=shared.index,
    )
    rates = per_weighted_pupil.set_axis(key_index(shared, key)).reindex(key_index(schools, key))
    rates = rates.set_axis(schools.index)
    section_weight = _section_weights(schools)
    out = schools.copy()
    for column in rates.columns:
        given = rates[column].notna()
        before = out[column].astype("float64") if column in out else pd.Series(float("nan"), index=out.index)
        out[column] = before.mask(given, rates[column] * section_weight)
    return out
