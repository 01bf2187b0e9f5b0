"""Helpers for the checklist tests: judge one item of the shipped quality-2017 on small frames."""
from __future__ import annotations

import pandas as pd

from balance_sim.checklist import all_items
from balance_sim.checklist.data import ItemData
from balance_sim.checklist.methods import METHODS

ITEMS = {item.key: item for item in all_items("quality-2017")}


def school(school_id: str = "s1", level: str = "primary", students: int = 400, classes: int = 10, **columns) -> dict:
    row = {"school_id": school_id, "name": f"School {school_id}", "level": level, "location": "urban",
           "school_type": "regular", "students": students, "classes": classes, "teachers": students // 15}
    row.update(columns)
    return row


def judge(key: str, schools: list[dict] | None = None, county: dict | None = None):
    frame = pd.DataFrame(schools or [school()])
    item = ITEMS[key]
    return METHODS[item.method].evaluate(item, ItemData(frame, county))
