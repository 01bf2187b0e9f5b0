"""Cell text → typed values, per the data dictionary: whole numbers, decimals (with the unit
factor of the header, e.g. 万元 × 10,000), yes/no, and value words mapped to canonical words.

One vectorised reader per column gives both the values (for the canonical tables) and, for each
unreadable cell, the reason (for validation to report). Scaled decimals go through Decimal so
that 1.23 万元 is exactly 12,300 yuan.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from balance_sim.io.dictionary import Column, dictionary

# Cells that mean "no value" in exports from Excel, pandas and statistics software.
MISSING = frozenset({"", "nan", "na", "n/a", "#n/a", "null"})
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
ONE = Decimal(1)


class Unreadable(ValueError):
    """A cell whose text is not a value of its column's type."""


def _clean(text: pd.Series) -> pd.Series:
    # NFKC turns full-width digits, letters and signs into ASCII; ASCII text needs none.
    text = text.astype("str")
    wide = ~text.str.isascii()
    if wide.any():
        text = text.where(~wide, text.str.normalize("NFKC"))
    return text.str.strip()


def missing(text: pd.Series) -> pd.Series:
    """True where a cell means "no value" (empty, NaN, NA, NULL, …)."""
    return _clean(text).str.casefold().isin(MISSING)


def _numbers(clean: pd.Series, scale: Decimal) -> pd.Series:
    plain = clean.where(~clean.str.fullmatch(_THOUSANDS), clean.str.replace(",", "", regex=False))
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64")
    numbers = numbers.where(np.isfinite(numbers))
    if scale != ONE:
        readable = numbers.notna()
        numbers[readable] = [float(Decimal(t) * scale) for t in plain[readable]]
    return numbers


def read_column(
    text: pd.Series, column: Column, scale: Decimal = ONE
) -> tuple[pd.Series, pd.Series]:
    """The typed values of a column of cell text (NA where missing or unreadable), and the reason
    each unreadable cell is unreadable ("" elsewhere).

    Whole numbers are int64 (Int64 when some are missing), decimals float64, words str,
    yes/no bool (boolean when some are missing).
    """
    clean = _clean(text)
    absent = clean.str.casefold().isin(MISSING)
    why = pd.Series("", index=text.index, dtype=object)
    quoted = "'" + clean + "'"
    if column.type == "str":
        values = clean.where(~absent)
    elif column.type in ("int", "float"):
        values = _numbers(clean, scale)
        bad = ~absent & values.isna()
        why[bad] = "not a number: " + quoted[bad]
        if column.type == "int":
            fractional = values.notna() & (values % 1 != 0)
            why[fractional] = "not a whole number: " + quoted[fractional]
            values = values.where(~fractional)
    else:
        vocabulary = "bool" if column.type == "bool" else column.values
        values = clean.str.casefold().map(dictionary().vocabularies[vocabulary])
        bad = ~absent & values.isna()
        why[bad] = f"unknown {column.name} word " + quoted[bad] + f" (accepted: {accepted(vocabulary)})"
        if column.type == "bool":
            values = values.map({"true": True, "false": False})
    return _as_dtype(values, column), why


def _as_dtype(values: pd.Series, column: Column) -> pd.Series:
    complete = bool(values.notna().all())
    if column.type == "int":
        return values.astype("int64" if complete else "Int64")
    if column.type == "float":
        return values.astype("float64")
    if column.type == "bool":
        return values.astype("bool" if complete else "boolean")
    return values.astype("str")


def parse(text: str, column: Column, scale: Decimal = ONE) -> object:
    """The value of one cell, or Unreadable with the reason (the column reader on one cell)."""
    values, why = read_column(pd.Series([text]), column, scale)
    if why.iloc[0]:
        raise Unreadable(why.iloc[0])
    value = values.iloc[0]
    return None if pd.isna(value) else value


def reason(text: str, column: Column, scale: Decimal = ONE) -> str:
    """Why a cell is unreadable; empty when it is readable or missing."""
    return read_column(pd.Series([text]), column, scale)[1].iloc[0]


def accepted(vocabulary: str) -> str:
    """The words of a vocabulary as a user should read them: canonical/中文/…"""
    words: dict[str, list[str]] = {}
    for word, canonical in dictionary().vocabularies[vocabulary].items():
        if word != canonical:
            words.setdefault(canonical, []).append(word)
    return ", ".join("/".join([c, *w[:3]]) for c, w in words.items())
