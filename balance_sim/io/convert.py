"""Cell text → typed values, per the data dictionary: whole numbers, decimals (with the unit
factor of the header, e.g. 万元 × 10,000), yes/no, and value words mapped to canonical words.

The parsers say whether a cell is readable (used by validation to report it) and give its value
(used to build the canonical tables). Decimal arithmetic keeps 1.23 万元 exactly 12,300 yuan.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import pandas as pd

from balance_sim.io.dictionary import Column, dictionary

# Cells that mean "no value" in exports from Excel, pandas and statistics software.
MISSING = frozenset({"", "nan", "na", "n/a", "#n/a", "null"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class Unreadable(ValueError):
    """A cell whose text is not a value of its column's type."""


def is_missing(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip().casefold() in MISSING


def _decimal(text: str) -> Decimal:
    text = unicodedata.normalize("NFKC", text).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Unreadable(f"not a number: '{text}'") from None
    if not number.is_finite():
        raise Unreadable(f"not a number: '{text}'")
    return number


def parse(text: str, column: Column, scale: Decimal = Decimal(1)) -> object:
    """The value of one non-missing cell, or Unreadable with the reason."""
    if column.type == "str":
        return unicodedata.normalize("NFKC", text).strip()
    if column.type in ("int", "float"):
        number = _decimal(text) * scale
        if column.type == "float":
            return float(number)
        if number != number.to_integral_value():
            raise Unreadable(f"not a whole number: '{text}'")
        return int(number)
    vocabulary = "bool" if column.type == "bool" else column.values
    word = dictionary().value_word(vocabulary, text)
    if word is None:
        raise Unreadable(f"unknown {column.name} word '{text}' (accepted: {accepted(vocabulary)})")
    return word == "true" if column.type == "bool" else word


def accepted(vocabulary: str) -> str:
    """The words of a vocabulary as a user should read them: canonical/中文/…"""
    words: dict[str, list[str]] = {}
    for word, canonical in dictionary().vocabularies[vocabulary].items():
        if word != canonical:
            words.setdefault(canonical, []).append(word)
    return ", ".join("/".join([c, *w[:3]]) for c, w in words.items())


def reason(text: str, column: Column, scale: Decimal = Decimal(1)) -> str:
    """Why a cell is unreadable; empty when it is readable or missing."""
    if is_missing(text):
        return ""
    try:
        parse(text, column, scale)
    except Unreadable as error:
        return str(error)
    return ""


def _value(text: str, column: Column, scale: Decimal) -> object:
    if is_missing(text):
        return None
    try:
        return parse(text, column, scale)
    except Unreadable:
        return None  # reported by validation


def typed_series(text: pd.Series, column: Column, scale: Decimal = Decimal(1)) -> pd.Series:
    """A column of cell text as its canonical dtype; unreadable and missing cells become NA.

    Whole numbers are int64 (Int64 when some are missing), decimals float64, words str,
    yes/no bool (boolean when some are missing).
    """
    values = [_value(t, column, scale) for t in text]
    complete = all(v is not None for v in values)
    dtype = {
        "int": "int64" if complete else "Int64",
        "float": "float64",
        "bool": "bool" if complete else "boolean",
    }.get(column.type, "str")
    return pd.Series(values, index=text.index, name=column.name, dtype=object).astype(dtype)
