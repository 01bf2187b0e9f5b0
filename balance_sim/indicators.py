"""Official per-school indicators: resources per pupil or per 100 pupils (design.md, docs/sources.md#basic-2012, docs/sources.md#quality-2017).

Definitions live in `indicators.yaml`; this module only divides. A section with no pupils has no
indicator value (NaN); the inclusion rules of a standard decide whether it is counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

ID_COLUMNS = ["county", "school_id", "name", "level", "location", "school_type", "students"]


@dataclass(frozen=True)
class Indicator:
    key: str
    numerator: str
    per: int
    unit: str
    en: str
    zh: str

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


@cache
def definitions() -> dict[str, Indicator]:
    """Every indicator key with its definition, in the order of the design table."""
    text = resources.files("balance_sim").joinpath("indicators.yaml").read_text(encoding="utf-8")
    return {key: Indicator(key=key, **spec) for key, spec in yaml.safe_load(text).items()}


KEYS = tuple(definitions())


def indicator_values(schools: pd.DataFrame, keys: tuple[str, ...] | list[str] = KEYS) -> pd.DataFrame:
    """Wide table: one row per school section (same index as `schools`), one column per key.

    A key whose numerator column is absent is all NaN.
    """
    students = schools["students"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(students > 0, 1.0 / students, np.nan)
    out = {}
    for key in keys:
        spec = definitions()[key]
        if spec.numerator in schools:
            numerator = pd.to_numeric(schools[spec.numerator], errors="coerce").to_numpy(dtype=float)
        else:
            numerator = np.full(len(schools), np.nan)
        out[key] = numerator * scale * spec.per
    return pd.DataFrame(out, index=schools.index)


def indicators(schools: pd.DataFrame, keys: tuple[str, ...] | list[str] = KEYS) -> pd.DataFrame:
    """Tidy table: one row per school section and indicator key, with `value`.

    Columns: the identifying columns present in `schools`, then `key`, `value`.
    """
    ids = [c for c in ID_COLUMNS + ["year"] if c in schools]
    wide = pd.concat([schools[ids], indicator_values(schools, keys)], axis=1)
    return wide.melt(id_vars=ids, value_vars=list(keys), var_name="key", value_name="value")
