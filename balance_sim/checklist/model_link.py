"""The checklist items a simulated year can show (教督〔2017〕6号; docs/sources.md#quality-2017-checklist, docs/sources.md#teachers, docs/sources.md#money): teacher
exchange shares, class sizes, school sizes, public funds per pupil and training completion,
judged by the same methods as the assessment, from arrays the year loop already holds.
`outside_model_items` lists the rest, which a report must name as outside the model.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from balance_sim.checklist.data import ItemData
from balance_sim.checklist.items import all_items
from balance_sim.checklist.methods import METHODS
from balance_sim.checklist.school_methods import class_size

MODELLED = ("exchange_share", "exchange_backbone_share", "class_size", "school_size",
            "public_funds_per_pupil", "training_completion")
LEVEL_CODES = ("primary", "junior")
SCHOOL_COLUMNS = ("school_id", "level", "school_type", "students", "classes", "teachers",
                  "public_funds_yuan", "boarding_students", "training_completed_teachers",
                  "classes_over_45", "classes_over_50")


def _schools_frame(schools_year) -> pd.DataFrame:
    frame = schools_year if isinstance(schools_year, pd.DataFrame) else pd.DataFrame(
        {k: np.asarray(v) for k, v in schools_year.items() if k in SCHOOL_COLUMNS})
    if not pd.api.types.is_string_dtype(frame["level"]) and not pd.api.types.is_object_dtype(frame["level"]):
        frame = frame.assign(level=np.array(LEVEL_CODES)[np.asarray(frame["level"], dtype=int)])
    if "school_type" not in frame:
        frame = frame.assign(school_type="regular")
    return frame


def modelled_items(schools_year, county_year: Mapping[str, float] | None = None,
                   standard: str = "quality-2017", even_classes: bool = True) -> pd.DataFrame:
    """The modelled items of one simulated year: DataFrame(key, value, rule, status, missing, detail).

    `schools_year`: a DataFrame or a mapping of equal-length arrays, one element per open school
    section of one county:
      - `school_id` (str; a nine-year school's two sections share it: school size is per school),
      - `level` ("primary"/"junior", or codes 0/1), `school_type` (optional; "nine_year" and
        "twelve_year" schools may have 2,500 pupils instead of 2,000),
      - `students` (pupils, may be fractional expected values), `classes` (classes of the section),
      - `public_funds_yuan` (public funds paid this year, yuan), `boarding_students` (optional),
      - `teachers` (full-time teachers) and `training_completed_teachers` (those who have
        completed the five-year 360-hour cycle; leave it out and the item is not_assessable),
      - `classes_over_45` / `classes_over_50` (optional class-size bins). Without them, and with
        `even_classes` (the model fills classes evenly), the largest class is ⌈pupils ÷ classes⌉.
    `county_year`: `exchange_eligible_teachers` (teachers eligible this year),
      `exchange_rotated_teachers` (sent this year) and `exchange_rotated_backbone_teachers`
      (backbone teachers among them).

    Status: pass / fail / not_assessable; all modelled items pass when `(out.status == "pass").all()`.
    """
    items = {item.key: item for item in all_items(standard) if item.key in MODELLED}
    data = ItemData(_schools_frame(schools_year), dict(county_year or {}))
    rows = []
    for key in MODELLED:
        item = items[key]
        if item.method == "class_size":
            outcome = class_size(item, data, even_classes=even_classes)
        else:
            outcome = METHODS[item.method].evaluate(item, data)
        rows.append({"key": key, "value": outcome.value, "rule": outcome.rule, "status": outcome.status,
                     "missing": outcome.missing, "detail": outcome.detail})
    return pd.DataFrame(rows, columns=["key", "value", "rule", "status", "missing", "detail"])


def outside_model_items(standard: str = "quality-2017") -> pd.DataFrame:
    """Items of the government, quality and recognition parts that the simulation does not model
    (part, key, en). The resource part is modelled by the simulation's own CVs and minimums."""
    rows = [{"part": item.part, "key": item.key, "en": item.en}
            for item in all_items(standard) if item.key not in MODELLED]
    return pd.DataFrame(rows, columns=["part", "key", "en"])
