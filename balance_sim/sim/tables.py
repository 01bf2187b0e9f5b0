"""Runs become tidy pandas tables (at the edge, after the year loop): the year × school panel,
the year × level county metrics (long form), the teacher-movement and funding ledgers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from balance_sim.indicators import KEYS
from balance_sim.measures.gini import gini_rows
from balance_sim.measures.theil import theil_t_rows
from balance_sim.sim import ledger as L
from balance_sim.sim.checklist_items import checklist_frame
from balance_sim.sim.model import Run
from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.state import ASSETS, LEVELS, LOCATIONS, TEACHER_COUNTS

LEVEL_NAMES = np.array(LEVELS + ("all",), dtype=object)


def _repeated(word: str, n: int):
    """A `str` column holding one word n times."""
    return L.string_column([word], np.zeros(n, np.int64))


def school_panel(run: Run, county: str, replication: int) -> pd.DataFrame:
    s = run.state.schools
    n_years, n = len(run.years), s.n
    p = {k: np.stack(v) for k, v in run.panel.items()}
    pupils = p["pupils"].ravel()
    classes = p["classes"].ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        class_size = np.where(classes > 0, pupils / classes, np.nan)
    tile = lambda a: np.tile(a, n_years)  # noqa: E731
    every_section = tile(np.arange(n))
    columns = {
        "replication": np.full(n_years * n, replication, np.int32),
        "county": _repeated(county, n_years * n),
        "year": np.repeat(np.asarray(run.years, np.int32), n),
        "school_id": L.string_column(s.ids, every_section),
        "name": L.string_column(s.names, every_section),
        "township": L.string_column(s.township_names, every_section),
        "level": L.string_column(LEVELS, tile(s.level)),
        "location": L.string_column(LOCATIONS, tile(s.location)),
        "school_type": L.string_column(s.school_types, every_section),
        "weak_school": tile(s.weak),
        "open": p["open"].ravel(),
        "students": pupils,
        "classes": classes,
        "class_size": class_size,
    }
    counts = p["counts"].reshape(-1, len(TEACHER_COUNTS))
    columns.update({name: counts[:, i] for i, name in enumerate(TEACHER_COUNTS)})
    columns["exchange_teachers"] = p["exchange_in"].ravel()
    assets = p["assets"].reshape(-1, len(ASSETS))
    columns.update({name: assets[:, i] for i, name in enumerate(ASSETS)})
    columns["public_funds_yuan"] = p["public_funds"].ravel()
    columns["boarding_students"] = (p["pupils"] * s.boarding_share).ravel()
    columns["capital_yuan"] = p["capital"].ravel()
    columns["quality"] = p["quality"].ravel()
    columns["meets_quality_2017"] = run.meets.ravel()
    indicators = p["indicators"].reshape(-1, len(KEYS))
    columns.update({key: indicators[:, i] for i, key in enumerate(KEYS)})
    return pd.DataFrame(columns)


def _long(year, level, standard, key, metric, value) -> dict:
    return {"year": year, "level": level, "standard": standard, "key": key, "metric": metric, "value": value}


def _level_rows(run: Run) -> list[dict]:
    years = np.asarray(run.years, np.int32)
    pieces = []
    for name, values in run.levels.items():
        values = np.asarray(values, dtype=float)  # (Y, 2) or (Y, 2, k)
        standard, _, metric = name.rpartition(":")
        if values.ndim == 3:
            keys = _standard_rules(standard).keys
            k = len(keys)
            pieces.append(_long(np.repeat(years, 2 * k), np.tile(np.repeat([0, 1], k), len(years)),
                                standard, np.tile(np.asarray(keys, dtype=object), 2 * len(years)), metric, values.ravel()))
        else:
            pieces.append(_long(np.repeat(years, 2), np.tile([0, 1], len(years)), standard, "", metric, values.ravel()))
    return pieces


def _county_rows(run: Run) -> list[dict]:
    years = np.asarray(run.years, np.int32)
    return [_long(years, 2, "", "", metric, np.asarray(v, float)) for metric, v in run.county.items()]


def _inequality_rows(run: Run) -> list[dict]:
    """Gini and Theil (total, between urban/town and rural) of the quality-2017 indicators,
    among the sections that standard counts, per year and level."""
    s = run.state.schools
    rules = _standard_rules("quality-2017")
    pupils = np.stack(run.panel["pupils"])  # (Y, S)
    open_ = np.stack(run.panel["open"])
    values = np.stack(run.panel["indicators"])[:, :, rules.columns]  # (Y, S, k)
    keep = open_ & (pupils > 0) & (~s.teaching_point | (pupils >= rules.teaching_point_min_students))
    years = np.asarray(run.years, np.int32)
    n_years, k = len(years), len(rules.columns)
    pieces = []
    for level in (0, 1):
        weight = np.where(keep & (s.level == level), pupils, 0.0)  # (Y, S)
        x = values.transpose(0, 2, 1).reshape(n_years * k, -1)
        w = np.repeat(weight, k, axis=0)
        gini = gini_rows(x, w)
        theil, between = theil_t_rows(x, w, s.rural.astype(np.int64))
        for metric, v in (("gini", gini), ("theil", theil), ("theil_between_location", between)):
            pieces.append(_long(np.repeat(years, k), level, "quality-2017", np.tile(np.asarray(rules.keys, dtype=object), n_years), metric, v))
    return pieces


def county_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    pieces = _level_rows(run) + _inequality_rows(run) + _county_rows(run)
    sizes = [np.size(p["value"]) for p in pieces]
    total = sum(sizes)

    def col(name, dtype):  # a piece's value is one scalar for all its rows, or an array
        return np.concatenate([np.full(size, p[name], dtype) if np.ndim(p[name]) == 0 else np.asarray(p[name], dtype)
                               for p, size in zip(pieces, sizes)])

    def words(name):  # string columns from per-piece codes of the distinct words (one Arrow take)
        codes, distinct = pd.factorize(col(name, object))
        return L.string_column(distinct, codes)

    return pd.DataFrame({
        "replication": np.full(total, replication, np.int32),
        "county": _repeated(county, total),
        "year": col("year", np.int32),
        "level": L.string_column(LEVEL_NAMES, col("level", np.int64)),
        "standard": words("standard"),
        "key": words("key"),
        "metric": words("metric"),
        "value": col("value", float),
    })


def teacher_ids(run: Run) -> np.ndarray:
    """Every teacher slot's id; hires get theirs here, at the edge: "H" and the slot number in six
    digits (built by Arrow compute, not one Python f-string per hire)."""
    t = run.state.teachers
    ids = t.ids[: t.n].copy()
    missing = np.flatnonzero(ids == None)  # noqa: E711
    if len(missing):
        digits = pc.utf8_lpad(pc.cast(pa.array(missing), pa.string()), width=6, padding="0")
        ids[missing] = pc.binary_join_element_wise("H", digits, "").to_numpy(zero_copy_only=False)
    return ids


def moves_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    s = run.state.schools
    frame = L.moves_frame(run.ledger.move_arrays(), teacher_ids(run), s.ids, (LEVELS, s.level), replication)
    frame.insert(1, "county", _repeated(county, len(frame)))
    return frame


def checklist_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    """The modelled quality-2017 checklist items per year (see checklist_items.py)."""
    return checklist_frame(run.years, *run.items, county, replication)


def funding_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    year, item, school, yuan, quantity = run.ledger.fund_arrays()
    s = run.state.schools
    group = np.append(s.rural.astype(np.int64), 2)  # school −1 (county level): the last entry
    return pd.DataFrame({
        "replication": np.full(len(year), replication, np.int32),
        "county": _repeated(county, len(year)),
        "year": year,
        "item": pd.Categorical.from_codes(item, L.FUND_ITEMS),
        "school_id": L.string_column(s.ids, school),
        "group": L.string_column(("non_rural", "rural", "county"), group[school]),
        "yuan": yuan,
        "quantity": quantity,
    })
