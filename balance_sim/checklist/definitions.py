"""Official indicator definitions applied to a schools table before indicators are computed
(docs/sources.md#quality-2017-checklist, docs/sources.md#statistics-export; numbers and column names in `definitions.yaml`):

- campuses not counted as schools (`parent_school_id`) are merged into their parent's section of
  the same level;
- indoor sports rooms leave teaching floor area and count once, in sports area;
- densely built central-urban schools add rooftop, underground and rented grounds to sports area;
- rural schools of 50–99 pupils count itinerant, part-time and exchange PE and arts teachers;
- teachers above the required degree (associate+ primary, bachelor+ junior) are counted from
  by-degree columns or the teacher roster where the schools table does not give them.

Each step runs only when its columns are present and says so in a note.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from balance_sim.county import County


@cache
def rules() -> dict:
    text = resources.files("balance_sim.checklist").joinpath("definitions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _num(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def merge_campuses(schools: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Campus rows folded into their parent's row of the same level (and year); a campus whose
    parent has no section of that level becomes that section under the parent's id and name."""
    spec = rules()["campus_merge"]
    column = spec["column"]
    if column not in schools or schools[column].isna().all():
        return schools, 0
    campus = schools[column].notna().to_numpy()
    kept = schools[~campus].copy()
    key = ["school_id", "level"] + (["year"] if "year" in schools else [])
    numeric = [c for c in schools.columns
               if pd.api.types.is_numeric_dtype(schools[c]) and not pd.api.types.is_bool_dtype(schools[c])
               and c not in spec["keep_parent"]]
    names = dict(zip(schools["school_id"], schools["name"]))
    for _, row in schools[campus].iterrows():
        parent = row[column]
        match = (kept["school_id"] == parent) & (kept["level"] == row["level"])
        if "year" in key:
            match &= kept["year"] == row["year"]
        if not match.any():
            moved = row.copy()
            moved["school_id"], moved["name"] = parent, names.get(parent, moved["name"])
            kept = pd.concat([kept, moved.to_frame().T.astype(kept.dtypes.to_dict(), errors="ignore")], ignore_index=True)
            continue
        at = kept.index[match.to_numpy()][0]
        for c in numeric:
            pair = [kept.at[at, c], row[c]]
            if c in spec["smallest"]:
                values = [v for v in pair if pd.notna(v)]
                kept.at[at, c] = min(values) if values else np.nan
            elif any(pd.notna(v) for v in pair):
                kept.at[at, c] = sum(v for v in pair if pd.notna(v))
    return kept.drop(columns=[column]).reset_index(drop=True), int(campus.sum())


def move_indoor_sports(schools: pd.DataFrame) -> bool:
    """In place: indoor sports rooms out of teaching area, into sports area (counted once)."""
    column = rules()["indoor_sports"]["column"]
    if column not in schools or schools[column].isna().all():
        return False
    indoor = _num(schools, column).fillna(0.0)
    for target, sign in (("teaching_area_m2", -1.0), ("sports_area_m2", 1.0)):
        if target in schools:
            schools[target] = _num(schools, target) + sign * indoor
    schools[column] = 0.0  # moved: a second pass must not move it again
    return True


def add_dense_urban_sports(schools: pd.DataFrame) -> int:
    spec = rules()["dense_urban"]
    if not {spec["flag"], spec["column"], "sports_area_m2"} <= set(schools):
        return 0
    flagged = (schools[spec["flag"]].astype("boolean").fillna(False).to_numpy(dtype=bool)
               & schools["location"].astype(str).isin(spec["locations"]).to_numpy())
    extra = _num(schools, spec["column"]).fillna(0.0).to_numpy()
    schools["sports_area_m2"] = _num(schools, "sports_area_m2") + np.where(flagged, extra, 0.0)
    return int((flagged & (extra > 0)).sum())


def add_itinerant_pe_art(schools: pd.DataFrame) -> int:
    spec = rules()["itinerant_pe_art"]
    if not {spec["column"], "pe_art_teachers"} <= set(schools):
        return 0
    students = _num(schools, "students").to_numpy()
    eligible = (schools["location"].astype(str).isin(spec["locations"]).to_numpy()
                & (students >= spec["min_students"]) & (students <= spec["max_students"]))
    extra = _num(schools, spec["column"]).fillna(0.0).to_numpy()
    schools["pe_art_teachers"] = _num(schools, "pe_art_teachers") + np.where(eligible, extra, 0.0)
    return int((eligible & (extra > 0)).sum())


def above_degree_counts(schools: pd.DataFrame, teachers: pd.DataFrame | None) -> pd.Series:
    """Teachers above the required degree per section, from by-degree columns, else the roster
    (NaN where neither gives it)."""
    spec = rules()["above_degree"]
    level = schools["level"].astype(str).to_numpy()
    out = np.full(len(schools), np.nan)
    by_degree = spec["by_degree_columns"]
    for lv, degrees in spec["degrees"].items():
        columns = [by_degree[d] for d in degrees]
        if all(c in schools for c in columns):
            total = sum(_num(schools, c) for c in columns).to_numpy()
            out = np.where(level == lv, total, out)
    if teachers is not None and {"school_id", "level", "degree"} <= set(teachers):
        above = np.zeros(len(teachers), dtype=bool)
        for lv, degrees in spec["degrees"].items():
            above |= (teachers["level"].astype(str) == lv).to_numpy() & teachers["degree"].astype(str).isin(degrees).to_numpy()
        counts = pd.Series(above).groupby([teachers["school_id"].to_numpy(), teachers["level"].astype(str).to_numpy()]).sum()
        roster = counts.reindex(pd.MultiIndex.from_arrays([schools["school_id"].to_numpy(), level])).fillna(0).to_numpy(dtype=float)
        has_roster = pd.Series(schools["school_id"]).isin(set(teachers["school_id"])).to_numpy()
        out = np.where(np.isnan(out) & has_roster, roster, out)
    return pd.Series(out, index=schools.index)


def official_county(county: County) -> tuple[County, tuple[str, ...]]:
    """`county` with the official definitions applied to its schools table, and notes saying what
    was applied (the county itself is immutable; a new one is returned)."""
    schools, teachers = county.schools, county.teachers
    notes = []
    schools, merged = merge_campuses(schools)
    if merged:
        notes.append(f"{merged} campuses not counted as schools merged into their parent schools (docs/sources.md#quality-2017-checklist)")
        if teachers is not None and "parent_school_id" in county.schools:
            campuses = county.schools.dropna(subset=["parent_school_id"])
            parents = dict(zip(campuses["school_id"], campuses["parent_school_id"]))
            teachers["school_id"] = teachers["school_id"].map(lambda s: parents.get(s, s))
    if move_indoor_sports(schools):
        notes.append("indoor sports rooms counted in sports area, not in teaching area (docs/sources.md#quality-2017-checklist)")
    if (n := add_dense_urban_sports(schools)):
        notes.append(f"{n} dense central-urban schools count rooftop, underground and rented grounds (docs/sources.md#quality-2017-checklist)")
    if (n := add_itinerant_pe_art(schools)):
        notes.append(f"{n} rural schools of 50–99 pupils count itinerant PE and arts teachers (docs/sources.md#quality-2017-checklist)")
    above = above_degree_counts(schools, teachers)
    given = _num(schools, "teachers_above_degree") if "teachers_above_degree" in schools else pd.Series(np.nan, index=schools.index)
    filled = given.isna() & above.notna()
    if filled.any():
        schools["teachers_above_degree"] = given.where(~filled, above)
        notes.append(f"teachers above the required degree counted from degrees for {int(filled.sum())} sections "
                     "(associate+ primary, bachelor+ junior; docs/sources.md#quality-2017-checklist)")
    if not notes:
        return county, ()
    rebuilt = County.from_frames(schools, teachers, county.budget, county.county_table, county.source, county.notes)
    return rebuilt, tuple(notes)
