"""Ledgers of the simulation: every teacher move, exit and hire, and every yuan allocated, with
the conservation checks (design.md "Simulation principles": teachers in = teachers out + change
in stock; yuan available = recurrent + capital + carried over + unspent = the year's funding rows;
no negative stock).

Mechanisms return chunks of rows as arrays; the ledger keeps them and becomes tidy frames at the end.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.internals import create_dataframe_from_blocks

MOVE_KINDS = (
    "hire", "retire", "leave", "drift", "pool",
    "exchange_out", "exchange_return", "exchange_stay", "consolidation",
)
HIRE, RETIRE, LEAVE, DRIFT, POOL, EXCHANGE_OUT, EXCHANGE_RETURN, EXCHANGE_STAY, CONSOLIDATION = range(9)
# exchange_stay changes the post, not the place: it moves no one between schools.
PHYSICAL = np.array([k != EXCHANGE_STAY for k in range(len(MOVE_KINDS))])

FUND_ITEMS = (
    "salaries", "allowance", "public_funds", "training", "itinerant", "other",
    "replacement_equipment", "replacement_computers", "replacement_books",
    "construction",
    "capital_teaching_area", "capital_sports_area", "capital_equipment",
    "capital_multimedia_classrooms", "capital_computers", "capital_books",
    "carried_over", "unspent",
)
SALARIES, ALLOWANCE, PUBLIC_FUNDS, TRAINING, ITINERANT, OTHER = range(6)
REPLACEMENT_FIRST = 6  # replacement_equipment, _computers, _books
CONSTRUCTION = 9  # classrooms the capacity lever built this year, charged by funding
CAPITAL_FIRST = 10  # capital_<asset>, in ASSETS order: new funds spent
CARRIED_OVER = len(FUND_ITEMS) - 2
UNSPENT = len(FUND_ITEMS) - 1
# The group a funding row belongs to: a school's (rural or not), or the county's (rows of no school).
FUND_GROUPS = ("non_rural", "rural", "county")
NON_RURAL, RURAL, COUNTY = range(3)


@dataclass
class Moves:
    """Rows of one kind of move as one (3 × rows) integer block, as the mechanisms write them:
    teacher slot, school left (−1: none), school joined (−1: none)."""

    kind: int
    rows: np.ndarray

    @property
    def teacher(self) -> np.ndarray:
        return self.rows[0]

    @property
    def source(self) -> np.ndarray:
        return self.rows[1]

    @property
    def target(self) -> np.ndarray:
        return self.rows[2]


@dataclass
class Funds:
    """Funding rows: item code, school (−1: none), group (FUND_GROUPS code), yuan, quantity bought
    (NaN: none), and the county position of the row (its school's; a row of no school — other,
    carried over, unspent — is its county's, one per county). A row of no school sits in its group."""

    item: np.ndarray
    school: np.ndarray
    group: np.ndarray
    yuan: np.ndarray
    quantity: np.ndarray
    county: np.ndarray


def moves(kind: int, teacher, source, target) -> Moves:
    """Rows given as three sequences of integers (of any width: converted once, at the edge)."""
    return Moves(kind, np.array([teacher, source, target], np.int64).reshape(3, -1))


class Ledger:
    """Collects the rows of every year of one run."""

    def __init__(self):
        self.move_chunks: list[tuple[int, Moves]] = []
        self.fund_chunks: list[tuple[int, Funds]] = []
        self.available: dict[int, float] = {}

    def add(self, year: int, rows) -> None:
        for row in rows:
            if isinstance(row, Moves):
                if row.rows.shape[1]:
                    self.move_chunks.append((year, row))
            elif len(row.yuan):
                self.fund_chunks.append((year, row))

    def move_arrays(self):
        """(year, kind, teacher, source, target) as arrays, in the order the moves happened."""
        chunks = self.move_chunks
        if not chunks:
            e = np.zeros(0, np.int32)
            return e, e, e, e, e
        # Year and kind by chunk, repeated by the chunks' lengths (one call, not one per chunk).
        lengths = [c.rows.shape[1] for _, c in chunks]
        year = np.repeat(np.array([y for y, _ in chunks], np.int32), lengths)
        kind = np.repeat(np.array([c.kind for _, c in chunks], np.int8), lengths)
        teacher, source, target = np.concatenate([c.rows for _, c in chunks], axis=1).astype(np.int32)
        return year, kind, teacher, source, target

    def fund_arrays(self):
        """(year, item, school, group, yuan, quantity) as arrays."""
        chunks = self.fund_chunks
        if not chunks:
            e = np.zeros(0)
            return e.astype(np.int32), e.astype(np.int8), e.astype(np.int32), e.astype(np.int8), e, e
        year = np.repeat(np.array([y for y, _ in chunks], np.int32), [len(c.yuan) for _, c in chunks])
        fields = ("item", "school", "group", "yuan", "quantity")
        return (year, *(np.concatenate([getattr(c, f) for _, c in chunks]) for f in fields))

    def fund_counties(self) -> np.ndarray:
        """The county position of every row of `fund_arrays`, in the same order (int32)."""
        chunks = self.fund_chunks
        if not chunks:
            return np.zeros(0, np.int32)
        return np.concatenate([c.county for _, c in chunks]).astype(np.int32)


def year_counts(ledger: Ledger, year: int) -> list[int]:
    """Rows of each move kind in `year` (cheap: chunk lengths only)."""
    out = [0] * len(MOVE_KINDS)
    for y, chunk in reversed(ledger.move_chunks):
        if y != year:
            break
        out[chunk.kind] += chunk.rows.shape[1]
    return out


def check_teacher_flow(start, end, counts) -> None:
    """Start + hired − retired − left = end (raises AssertionError naming the numbers); numbers
    of one county, or arrays over the counties (counts: kinds × counties)."""
    start, end = np.atleast_1d(start), np.atleast_1d(end)
    counts = np.asarray(counts).reshape(len(MOVE_KINDS), -1)
    expected = start + counts[HIRE] - counts[RETIRE] - counts[LEAVE]
    wrong = np.flatnonzero(expected != end)
    if len(wrong):
        c = int(wrong[0])
        where = f"county {c}: " if len(start) > 1 else ""
        raise AssertionError(
            f"teacher stock not conserved: {where}start {start[c]} + hired {counts[HIRE][c]} − retired "
            f"{counts[RETIRE][c]} − left {counts[LEAVE][c]} = {expected[c]}, but {end[c]} serve"
        )


def check_yuan(available, parts: dict, rows: Funds) -> None:
    """Every yuan accounted, in every county: available = the sum of `parts` (recurrent, capital,
    carried over, unspent) = the sum of the county's ledger rows of the year, and no row
    negative (raises AssertionError naming the numbers). `available` and the parts are numbers
    of one county or arrays with one element per county; rows belong to their `county`."""
    available = np.atleast_1d(np.asarray(available, dtype=float))
    counties = len(available)
    tolerance = 1e-3 + 1e-9 * np.abs(available)
    negative = rows.yuan < -tolerance[rows.county]
    if negative.any():
        k = int(np.flatnonzero(negative)[0])
        raise AssertionError(f"negative money: {_where(rows.county[k], counties)}{FUND_ITEMS[rows.item[k]]} "
                             f"{rows.yuan[k]} yuan (school {rows.school[k]})")
    total = sum(np.atleast_1d(np.asarray(value, dtype=float)) for value in parts.values())
    wrong = np.flatnonzero(~(np.abs(total - available) <= tolerance))
    if len(wrong):
        c = int(wrong[0])
        named = " + ".join(f"{name} {np.atleast_1d(value)[c]:,.2f}" for name, value in parts.items())
        raise AssertionError(f"yuan not conserved: {_where(c, counties)}{named} = {total[c]:,.2f} ≠ available "
                             f"{available[c]:,.2f}")
    # By county, each county's rows added in their order (as alone).
    in_rows = np.bincount(rows.county, weights=rows.yuan, minlength=counties)
    wrong = np.flatnonzero(~(np.abs(in_rows - available) <= tolerance))
    if len(wrong):
        c = int(wrong[0])
        raise AssertionError(f"yuan not conserved: {_where(c, counties)}the ledger's rows sum to {in_rows[c]:,.2f} ≠ "
                             f"available {available[c]:,.2f}")


def _where(county: int, counties: int) -> str:
    return f"county {int(county)}: " if counties > 1 else ""


def check_school_flows(start_counts: np.ndarray, end_counts: np.ndarray, kind, source, target) -> None:
    """Per school: teachers at the start + ledger arrivals − ledger departures = teachers at the end."""
    n = len(start_counts)
    physical = PHYSICAL[kind]
    arrivals = np.bincount(target[physical & (target >= 0)], minlength=n)
    departures = np.bincount(source[physical & (source >= 0)], minlength=n)
    expected = start_counts + arrivals - departures
    bad = np.flatnonzero(expected != end_counts)
    if len(bad):
        i = bad[0]
        raise AssertionError(
            f"school {i}: {start_counts[i]} + {arrivals[i]} in − {departures[i]} out ≠ {end_counts[i]}"
        )


# pandas' default `str` dtype (Arrow storage, NaN for missing): what it infers from strings.
STR = pd.StringDtype(storage="pyarrow", na_value=np.nan)
MOVE_KIND_DTYPE = pd.CategoricalDtype(MOVE_KINDS)
FUND_ITEM_DTYPE = pd.CategoricalDtype(FUND_ITEMS)


def word_table(words) -> pa.Array:
    """The distinct words as an Arrow array, for `string_column`; build it once where the same
    words serve several columns or runs."""
    return pa.array(np.asarray(words, dtype=object), type=pa.large_string())


def string_column(words, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas `str` column of `words[codes]` (code −1: missing), built by one Arrow take over the
    distinct words: what pandas infers from an object array of the same strings, several times
    faster than inferring it element by element. `words`: a sequence, or a `word_table`."""
    table = words if isinstance(words, pa.Array) else word_table(words)
    codes = np.asarray(codes)
    if codes.dtype.kind not in "iu":
        codes = codes.astype(np.int64)
    # A negative code becomes a missing index, which Arrow's take turns into a missing word.
    return string_array(table.take(pa.array(codes, mask=codes < 0)))


def string_columns(*pairs) -> list:
    """`string_column(words, codes)` for several (words, codes) pairs at once: one Arrow take over
    all their words, each column a slice of its result (a few fixed costs instead of one set per column)."""
    tables, codes, missing, offset = [], [], [], 0
    for words, pair_codes in pairs:
        table = words if isinstance(words, pa.Array) else word_table(words)
        pair_codes = np.asarray(pair_codes)
        tables.append(table)
        codes.append(pair_codes.astype(np.int64) + offset)
        missing.append(pair_codes < 0)
        offset += len(table)
    taken = pa.concat_arrays(tables).take(pa.array(np.concatenate(codes), mask=np.concatenate(missing)))
    columns, start = [], 0
    for pair_codes in codes:
        columns.append(string_array(taken.slice(start, len(pair_codes))))
        start += len(pair_codes)
    return columns


def string_array(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow large_string array as a pandas `str` column, as it is (Arrow arrays are immutable,
    so one may back several frames)."""
    return pd.arrays.ArrowStringArray(values, dtype=STR)


def repeated_word(word: str, n: int) -> pd.api.extensions.ExtensionArray:
    """A `str` column holding one word n times."""
    return string_array(pa.repeat(pa.scalar(word, pa.large_string()), n))


_COLUMN_INDEXES: dict[tuple, pd.Index] = {}


def frame(columns: dict) -> pd.DataFrame:
    """The DataFrame `pd.DataFrame(columns)` makes from freshly built columns of equal length (numpy
    arrays and pandas extension arrays), without its per-column inference: numpy columns of one
    dtype are copied into one block (as the constructor does), extension arrays are taken as they are."""
    names = tuple(columns)
    if names not in _COLUMN_INDEXES:
        _COLUMN_INDEXES[names] = pd.Index(list(names))
    by_dtype: dict = {}
    blocks = []
    for place, values in enumerate(columns.values()):
        if isinstance(values, np.ndarray):
            by_dtype.setdefault(values.dtype, []).append(place)
        else:
            blocks.append((values, np.array([place])))
    arrays = list(columns.values())
    for dtype, places in by_dtype.items():
        blocks.append((np.stack([arrays[p] for p in places]), np.array(places)))
    n = len(arrays[0]) if arrays else 0
    return create_dataframe_from_blocks(blocks, pd.RangeIndex(n), _COLUMN_INDEXES[names].copy())


def moves_frame(arrays, teacher_ids, school_ids, school_levels, replication: int, county: str | None = None) -> pd.DataFrame:
    """Tidy ledger; `level` is the level of the sections involved (teachers move within a level).
    `school_levels`: (level words, level code of each school); ids and words as sequences or
    `word_table`s; `county`: a `county` column after `replication` when given."""
    year, kind, teacher, source, target = arrays
    section = np.where(target >= 0, target, source)
    level_words, level_codes = school_levels
    schools = school_ids if isinstance(school_ids, pa.Array) else word_table(school_ids)
    named = {} if county is None else {"county": repeated_word(county, len(year))}
    return frame({
        "replication": np.full(len(year), replication, np.int32),
        **named,
        "year": year,
        "kind": pd.Categorical.from_codes(kind, dtype=MOVE_KIND_DTYPE),
        **dict(zip(("teacher_id", "from_school", "to_school", "level"), string_columns(
            (teacher_ids, teacher), (schools, source), (schools, target), (level_words, level_codes[section])))),
    })
