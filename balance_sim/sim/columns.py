"""Columns of the County's tables read into numpy for the base-year state (initial.py, roster.py):
numbers as floats, words as codes, text as object arrays. numpy-typed and `str` columns are read
directly (about 20 µs a column); other dtypes go through pandas' conversions (0.1–0.2 ms)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def plain_texts(series: pd.Series) -> np.ndarray | None:
    """The cells of a `str` column (pandas' default text dtype, NaN where empty) as an object
    array; None for other dtypes, which the caller converts through pandas (`astype(str)`)."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is np.nan:
        return series.to_numpy(dtype=object)
    return None


def plain_numbers(series: pd.Series) -> np.ndarray | None:
    """A numpy-typed numeric or boolean column as floats (NaN where empty); None for other dtypes,
    which the caller reads through pandas (about 20 µs a column this way, ~0.1–0.2 ms that way)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return series.to_numpy().astype(float)
    return None


def numbers(frame: pd.DataFrame, column: str, notes: list[str]) -> np.ndarray:
    """A numeric column as floats, missing values 0 (a note when the column is absent or empty).
    Numeric columns are read straight into numpy (pandas' to_numeric and fillna cost ~0.2 ms a
    column); others are coerced."""
    series = frame[column] if column in frame else None
    if series is not None and pd.api.types.is_numeric_dtype(series.dtype):
        values = plain_numbers(series)
        if values is None:
            values = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
        if not missing.all():
            return np.where(missing, 0.0, values)
    elif series is not None and not series.isna().all():
        return pd.to_numeric(series, errors="coerce").fillna(0).to_numpy(dtype=float)
    notes.append(missing_note(column))
    return np.zeros(len(frame))


def missing_note(column: str) -> str:
    return f"schools: no {column}; the simulation starts it at 0"


def word_codes(series: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    """Index of each cell's word in `words`, −1 for an unknown or empty cell (text cells looked up
    one by one, a few sections; other dtypes once per distinct value)."""
    lookup = {w: i for i, w in enumerate(words)}
    texts = plain_texts(series)
    if texts is not None:
        return np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in texts], dtype=np.int64)
    codes, uniques = pd.factorize(series)
    return np.append([lookup.get(str(u), -1) for u in uniques], -1)[codes]


def text_cells(series: pd.Series) -> np.ndarray:
    """The cells as text, in an object array (`astype(str)`)."""
    texts = plain_texts(series)
    return texts if texts is not None else series.astype(str).to_numpy(dtype=object)


def observed_numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column as floats, NaN where empty or not a number (all NaN when absent)."""
    if column not in frame:
        return np.full(len(frame), np.nan)
    values = plain_numbers(frame[column])
    return values if values is not None else pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def complete_numbers(frame: pd.DataFrame, column: str) -> np.ndarray | None:
    """A numeric column as floats when it is present with no empty cell, else None."""
    if column not in frame:
        return None
    series = frame[column]
    values = plain_numbers(series)
    if values is not None:
        return None if np.isnan(values).any() else values
    return pd.to_numeric(series).to_numpy(dtype=float) if series.notna().all() else None
