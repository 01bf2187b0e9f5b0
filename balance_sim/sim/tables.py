"""Runs become tidy pandas tables (at the edge, after the year loop): the year × school panel,
the year × level county metrics (long form), the teacher-movement and funding ledgers."""
from __future__ import annotations

from dataclasses import dataclass

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
LEVEL_WORDS = L.word_table(LEVELS)
LOCATION_WORDS = L.word_table(LOCATIONS)
GROUP_WORDS = L.word_table(L.FUND_GROUPS)


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
        "county": L.repeated_word(county, n_years * n),
        "year": np.repeat(np.asarray(run.years, np.int32), n),
        **dict(zip(("school_id", "name", "township", "level", "location", "school_type"), L.string_columns(
            (s.ids, every_section), (s.names, every_section), (s.township_names, every_section),
            (LEVEL_WORDS, tile(s.level)), (LOCATION_WORDS, tile(s.location)), (s.school_types, every_section)))),
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
    return L.frame(columns)


# ---------------------------------------------------------------- county metrics (long form)
# Rows: every per-level metric of run.levels in its order (year × level [× key]), then Gini,
# Theil and its between-location part of the quality-2017 indicators (level × metric, then
# year × key), then the county-wide figures of run.county (metric, then year). Which rows exist
# depends only on the metric names, their shapes and the number of years, so the text columns
# are built once per such layout and reused; each table only fills in years and values.

INEQUALITY_METRICS = ("gini", "theil", "theil_between_location")


@dataclass(frozen=True)
class _Layout:
    year: np.ndarray  # index into run.years of each row
    words: dict  # column → Arrow large_string array of every row's word


_LAYOUTS: dict[tuple, _Layout] = {}


def _layout(run: Run) -> _Layout:
    n_years = len(run.years)
    signature = (n_years, tuple((name, np.ndim(v)) for name, v in run.levels.items()), tuple(run.county))
    if signature not in _LAYOUTS:
        _LAYOUTS[signature] = _build_layout(run, n_years)
    return _LAYOUTS[signature]


def _build_layout(run: Run, n_years: int) -> _Layout:
    years = np.arange(n_years)
    year, level, standard, key, metric = [], [], [], [], []

    def rows(y, lv, st, ky, me):
        y = np.asarray(y)
        year.append(y)
        for column, value in ((level, lv), (standard, st), (key, ky), (metric, me)):
            column.append(np.broadcast_to(np.asarray(value, dtype=object), y.shape))

    for name, values in run.levels.items():
        st, _, me = name.rpartition(":")
        if np.ndim(values) == 3:
            keys = np.asarray(_standard_rules(st).keys, dtype=object)
            k = len(keys)
            rows(np.repeat(years, 2 * k), LEVEL_NAMES[np.tile(np.repeat([0, 1], k), n_years)], st,
                 np.tile(keys, 2 * n_years), me)
        else:
            rows(np.repeat(years, 2), LEVEL_NAMES[np.tile([0, 1], n_years)], st, "", me)
    keys = np.asarray(_standard_rules("quality-2017").keys, dtype=object)
    for lv in (0, 1):
        for me in INEQUALITY_METRICS:
            rows(np.repeat(years, len(keys)), LEVEL_NAMES[lv], "quality-2017", np.tile(keys, n_years), me)
    for me in run.county:
        rows(years, LEVEL_NAMES[2], "", "", me)
    words = {name: pa.array(np.concatenate(parts), type=pa.large_string())
             for name, parts in (("level", level), ("standard", standard), ("key", key), ("metric", metric))}
    return _Layout(np.concatenate(year), words)


def _inequality_values(run: Run) -> list[np.ndarray]:
    """Gini and Theil (total, between urban/town and rural) of the quality-2017 indicators,
    among the sections that standard counts, per year and level: for each level, the three
    metrics, each (years × keys) flattened. Both levels go through one call of each measure."""
    s = run.state.schools
    rules = _standard_rules("quality-2017")
    pupils = np.stack(run.panel["pupils"])  # (Y, S)
    open_ = np.stack(run.panel["open"])
    values = np.stack(run.panel["indicators"])[:, :, rules.columns]  # (Y, S, k)
    keep = open_ & (pupils > 0) & (~s.teaching_point | (pupils >= rules.teaching_point_min_students))
    n_years, k = values.shape[0], len(rules.columns)
    x = values.transpose(0, 2, 1).reshape(n_years * k, -1)
    w = np.concatenate([np.repeat(np.where(keep & (s.level == level), pupils, 0.0), k, axis=0) for level in (0, 1)])
    x = np.concatenate([x, x])
    gini = gini_rows(x, w).reshape(2, -1)
    theil, between = (v.reshape(2, -1) for v in theil_t_rows(x, w, s.rural.astype(np.int64)))
    return [v[level] for level in (0, 1) for v in (gini, theil, between)]


def county_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    layout = _layout(run)
    values = [np.ravel(v) for v in run.levels.values()] + _inequality_values(run)
    if run.county:
        values.append(np.array(list(run.county.values()), dtype=float).ravel())
    total = len(layout.year)
    return L.frame({
        "replication": np.full(total, replication, np.int32),
        "county": L.repeated_word(county, total),
        "year": np.asarray(run.years, np.int32)[layout.year],
        **{name: L.string_array(words) for name, words in layout.words.items()},
        "value": np.concatenate(values, dtype=float),
    })


def teacher_ids(run: Run) -> np.ndarray:
    """Every teacher slot's id; hires get theirs here, at the edge: "H" and the slot number in six
    digits."""
    return teacher_words(run).to_numpy(zero_copy_only=False)


def teacher_words(run: Run) -> pa.Array:
    """`teacher_ids` as an Arrow array (a word table for `string_column`), without a round trip
    through Python strings: the roster's ids are converted once, each hire's slot takes its id
    from a table of hire ids built by Arrow compute once per process (and grown when needed)."""
    t = run.state.teachers
    words = pa.array(t.ids[: t.n], type=pa.large_string())
    if words.null_count:
        words = pc.coalesce(words, _hire_ids(t.n))
    return words


_HIRE_IDS: list[pa.Array] = [pa.array([], type=pa.large_string())]


def _hire_ids(n: int) -> pa.Array:
    """"H000000", "H000001", … for the first n slots."""
    if len(_HIRE_IDS[0]) < n:
        size = max(n, 2 * len(_HIRE_IDS[0]), 4096)
        digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(size)), pa.large_string()), width=6, padding="0")
        _HIRE_IDS[0] = pc.binary_join_element_wise(pa.scalar("H", pa.large_string()), digits,
                                                   pa.scalar("", pa.large_string()))
    return _HIRE_IDS[0].slice(0, n)


def moves_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    s = run.state.schools
    return L.moves_frame(run.ledger.move_arrays(), teacher_words(run), s.ids, (LEVEL_WORDS, s.level), replication, county)


def checklist_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    """The modelled quality-2017 checklist items per year (see checklist_items.py)."""
    return checklist_frame(run.years, *run.items, county, replication)


def funding_table(run: Run, county: str, replication: int) -> pd.DataFrame:
    """The funding ledger: one row per year, item and school (school_id missing for the county's
    rows: other, carried over, unspent), each in its group (non_rural, rural, county)."""
    year, item, school, group, yuan, quantity = run.ledger.fund_arrays()
    s = run.state.schools
    return L.frame({
        "replication": np.full(len(year), replication, np.int32),
        "county": L.repeated_word(county, len(year)),
        "year": year,
        "item": pd.Categorical.from_codes(item, dtype=L.FUND_ITEM_DTYPE),
        **dict(zip(("school_id", "group"), L.string_columns((s.ids, school), (GROUP_WORDS, group)))),
        "yuan": yuan,
        "quantity": quantity,
    })
