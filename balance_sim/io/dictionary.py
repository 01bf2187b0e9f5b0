"""The data dictionary (`dictionary.yaml`) as frozen dataclasses, and the matching of what users
write — Chinese or English headers with unit suffixes, Chinese value words — to canonical names.

Source: design.md "Data dictionary"; docs/sources.md#statistics-export (headers seen in statistics exports, the
`其中：` prefix, 万元 columns).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

TYPES = ("str", "int", "float", "bool", "category")
# Sub-item headers of statistics exports start with 其中： ("of which"); NFKC has made the colon ASCII.
_SUBITEM_PREFIX = re.compile(r"^其中:?")
# A unit is the last bracketed part of a header: 教学仪器设备值(万元) -> 教学仪器设备值, 万元.
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")


@dataclass(frozen=True)
class Unit:
    name: str
    accept: frozenset[str]  # normalised unit words meaning "as the column's own unit"
    scaled: tuple[tuple[str, Decimal], ...]  # normalised unit word -> factor to the column's unit

    def factor(self, word: str) -> Decimal | None:
        """The factor that turns a value in `word` into this unit, or None if `word` is foreign."""
        if word in self.accept:
            return Decimal(1)
        return dict(self.scaled).get(word)

    def words(self) -> list[str]:
        return sorted(self.accept) + [word for word, _ in self.scaled]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    min: float | None = None
    max: float | None = None  # highest allowed value (shares are fractions: max 1)
    max_col: str | None = None
    values: str | None = None  # the value-word vocabulary of a category column
    default: str | None = None
    unit: str | None = None
    shared: bool = False  # a whole-school facility that combined schools report once
    zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: dict[str, Column]
    zh_sheet: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the table (sheet, file stem) may go by."""
        return (self.name, *self.zh_sheet)


@dataclass(frozen=True)
class HeaderMatch:
    column: str
    scale: Decimal = Decimal(1)  # multiply values by this to reach the canonical unit
    problem: str | None = None  # set when the header's unit is not one the column accepts


@dataclass(frozen=True)
class Dictionary:
    tables: dict[str, Table]
    units: dict[str, Unit]
    vocabularies: dict[str, dict[str, str]]  # vocabulary -> normalised word -> canonical word
    aliases: dict[str, dict[str, str]]  # table -> normalised header -> canonical column

    def value_word(self, vocabulary: str, text: str) -> str | None:
        """The canonical word for what a user wrote (Chinese or English), or None if unknown."""
        return self.vocabularies[vocabulary].get(normalise_word(text))

    def canonical_words(self, vocabulary: str) -> list[str]:
        return sorted(set(self.vocabularies[vocabulary].values()))

    def match_header(self, table: str, header: str) -> HeaderMatch | None:
        """The canonical column a header means (with a problem if its unit is foreign), or None.

        The whole header is tried first (some aliases carry brackets, e.g. 县（市、区）); then the
        last bracketed part is taken as a unit and the rest matched.
        """
        aliases = self.aliases[table]
        text = normalise_header(header)
        name = aliases.get(text) or aliases.get(_english_key(text))
        if name:
            return HeaderMatch(name)
        found = _UNIT_SUFFIX.match(text)
        name = found and (aliases.get(found["base"]) or aliases.get(_english_key(found["base"])))
        if not name:
            return None
        column = self.tables[table].columns[name]
        unit = self.units.get(column.unit or ("count" if column.type == "int" else ""))
        factor = unit.factor(found["unit"]) if unit else None
        if factor is None:
            accepted = ", ".join(unit.words()) if unit else "none"
            problem = f"unit '{found['unit']}' is not accepted for {column.name} (accepted: {accepted})"
            return HeaderMatch(column.name, problem=problem)
        return HeaderMatch(column.name, factor)


def normalise_header(text: str) -> str:
    """NFKC (full-width brackets, commas, colons, digits → ASCII), no spaces, case-folded,
    without a leading 其中：."""
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(text.split()).casefold()
    return _SUBITEM_PREFIX.sub("", text)


def normalise_word(text: str) -> str:
    """A value word as compared: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def _english_key(name: str) -> str:
    # "School ID", "school-id" and "school_id" all mean school_id.
    return re.sub(r"[_\-]", "", normalise_header(name))


def _aliases(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for column in table.columns.values():
        out[normalise_header(column.name)] = column.name
        out[_english_key(column.name)] = column.name
        for alias in column.zh:
            out[normalise_header(alias)] = column.name
    return out


def _vocabulary(spec: dict) -> dict[str, str]:
    words: dict[str, str] = {}
    for canonical, aliases in spec.items():
        # YAML reads the keys true/false of the bool vocabulary as booleans.
        name = str(canonical).lower() if isinstance(canonical, bool) else str(canonical)
        for word in (name, *aliases):
            words[normalise_word(word)] = name
    return words


def _column(name: str, spec: dict) -> Column:
    if spec["type"] not in TYPES:
        raise ValueError(f"dictionary.yaml: column {name} has unknown type {spec['type']!r}")
    low, high = spec.get("min"), spec.get("max")
    if low is not None and high is not None and low > high:
        raise ValueError(f"dictionary.yaml: column {name} has min {low} above max {high}")
    return Column(name=name, **{**spec, "zh": tuple(spec.get("zh", ()))})


@cache
def dictionary() -> Dictionary:
    """The package's data dictionary, read once."""
    text = resources.files("balance_sim.io").joinpath("dictionary.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    units = {
        name: Unit(
            name,
            frozenset(normalise_header(w) for w in spec["accept"]),
            tuple((normalise_header(w), Decimal(str(f))) for w, f in spec.get("scaled", {}).items()),
        )
        for name, spec in raw["units"].items()
    }
    tables = {
        name: Table(
            name=name,
            key=tuple(spec["key"]),
            columns={c: _column(c, s) for c, s in spec["columns"].items()},
            zh_sheet=tuple(spec.get("zh_sheet", ())),
        )
        for name, spec in raw["tables"].items()
    }
    vocabularies = {name: _vocabulary(spec) for name, spec in raw["values"].items()}
    aliases = {name: _aliases(table) for name, table in tables.items()}
    return Dictionary(tables, units, vocabularies, aliases)
