"""Cell values of the statistics export as the statistics system writes them.

Counts may arrive as numbers or as text (`1,234`); codes such as 学校标识码 arrive as numbers and
are kept as text without a trailing `.0`; header text is compared without spaces, line breaks,
full-width forms or the `其中：` prefix of sub-items (docs/sources.md#statistics-export).
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from balance_sim.io.dictionary import dictionary, normalise_header

_SPACE = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")
_UNIT_ANYWHERE = re.compile(r"\(([^()]*)\)")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def header_text(value: object) -> str:
    """A header cell as shown in reports: its text without spaces or line breaks."""
    return _SPACE.sub("", str(value))


def segment_key(text: str) -> str:
    """The form in which two header segments are compared: `其中：室内体育用房` = `室内体育用房`,
    `#按学历分` = `按学历分`, `图书（册）` = `图书` (a bracketed unit is matched separately, as the
    data dictionary says)."""
    key = normalise_header(text).lstrip("#")
    found = _UNIT_SUFFIX.match(key)
    if found and found["unit"] in _unit_words():
        return found["base"]
    return key


def unit_factor(text: str, unit: str | None) -> float:
    """Factor from the unit a header path names in brackets to the canonical unit (万元 → yuan:
    10,000); 1 when the path names none or the column has no unit."""
    if unit is None:
        return 1.0
    for found in _UNIT_ANYWHERE.finditer(normalise_header(text)):
        factor = dictionary().units[unit].factor(found[1])
        if factor is not None:
            return float(factor)
    return 1.0


@cache
def _unit_words() -> frozenset[str]:
    return frozenset(word for unit in dictionary().units.values() for word in unit.words())


def as_text(value: object) -> str | None:
    """Text of an identifying cell; a whole number stored as a float loses its `.0`."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_number(value: object) -> float | None:
    """The number in a count or area cell; None when blank. Raises ValueError for anything else."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"not a number: {str(value).strip()!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"not a number: {str(value).strip()!r}")
    return number


def looks_numeric(value: object) -> bool:
    try:
        return as_number(value) is not None
    except ValueError:
        return False
