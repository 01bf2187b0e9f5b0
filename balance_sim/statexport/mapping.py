"""Mappings from export header paths to the canonical columns of the data dictionary, as data.

A mapping file (YAML; the shipped default is `default_mapping.yaml`, built on docs/sources.md
§11) lists for each canonical column the header paths it may come from, as alternatives tried in
order (providers rename headers from year to year), or a signed sum of such terms, some of them
only for one level. A province's variant is another file of the same shape.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from balance_sim.errors import InputError, Problem
from balance_sim.io.dictionary import Column, dictionary, normalise_word
from balance_sim.statexport.cells import segment_key
from balance_sim.statexport.headers import HeaderColumn
from balance_sim.yaml_input import read_yaml

# Columns a mapping may fill that the schools table does not keep: whether a row is a school of
# its own (是否计校数), read as the dictionary's yes/no words.
HELPER_COLUMNS = {"counts_as_school": Column("counts_as_school", "category", values="bool")}


def column_spec(canonical: str) -> Column:
    """Type, unit and vocabulary of a canonical column (data dictionary, schools table)."""
    return HELPER_COLUMNS.get(canonical) or dictionary().tables["schools"].columns[canonical]


@dataclass(frozen=True)
class Pattern:
    """A header path to look for: its segments must end the column's path (`contains`: any one
    segment holds the text)."""

    text: str
    contains: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(segment_key(s) for s in self.text.split("›"))

    def matches(self, column: HeaderColumn) -> bool:
        key, path = self.key, column.key
        if self.contains:
            return any(key[0] in segment for segment in path)
        return len(path) >= len(key) and path[len(path) - len(key):] == key


@dataclass(frozen=True)
class Term:
    """One signed part of a canonical column: alternatives tried in order, each a sum of patterns."""

    alternatives: tuple[tuple[Pattern, ...], ...]
    sign: int = 1
    levels: frozenset[str] | None = None
    optional: bool = False

    def describe(self) -> str:
        return " | ".join(" + ".join(p.text for p in alt) for alt in self.alternatives)


@dataclass(frozen=True)
class Category:
    """One category of a breakdown (本科 under 按学历分) and the sub-headers that hold it: any one
    alternative, each a set of sub-headers that must all be there (博士研究生 + 硕士研究生)."""

    name: str
    alternatives: tuple[tuple[str, ...], ...]

    def present(self, children: set[str]) -> bool:
        """Whether the sub-headers `children` (compared by `segment_key`) hold this category."""
        return any(all(segment_key(name) in children for name in alternative) for alternative in self.alternatives)


@dataclass(frozen=True)
class Check:
    """A breakdown: the sub-columns under a header group, which add up to a total.

    Parts above the total are always wrong. Parts below it are wrong only when the sheet holds
    every one of `categories`; county staff often keep a few columns of a breakdown, and then the
    rest of the total sits in the columns left out. With no categories listed, the columns found
    are taken as the whole breakdown.
    """

    total: tuple[Pattern, ...]
    parts_under: Pattern
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file: canonical column → terms, level words, value words, checks."""

    name: str
    source: str
    level_words: dict[str, str]
    senior_required: tuple[str, ...]
    columns: dict[str, tuple[Term, ...]]
    required: frozenset[str]
    values: dict[str, dict[str, str]]
    location_codes: dict[str, str]
    checks: tuple[Check, ...]

    def terms_for(self, canonical: str, level: str) -> tuple[Term, ...]:
        return tuple(t for t in self.columns[canonical] if t.levels is None or level in t.levels)

    def is_required(self, canonical: str, level: str) -> bool:
        if level == "senior":
            return canonical in self.senior_required
        return canonical in self.required


def load_mapping(source: str | Path | None = None) -> Mapping:
    """The mapping in a YAML file, or the shipped default when `source` is None."""
    if source is None:
        return _default_mapping()
    path = Path(source)
    return _parse(read_yaml(path), str(path))  # a user's file: encoding, syntax and size checked


@cache
def _default_mapping() -> Mapping:
    text = resources.files("balance_sim.statexport").joinpath("default_mapping.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text), "default_mapping.yaml")


def _parse(spec: object, where: str) -> Mapping:
    def fail(key: str, message: str) -> InputError:
        return InputError(Problem(where, None, key, message))

    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise fail("columns", "a mapping file needs a `columns:` table")
    known = set(dictionary().tables["schools"].columns) | set(HELPER_COLUMNS)
    columns, required = {}, set()
    for canonical, rule in spec["columns"].items():
        if canonical not in known:
            raise fail(f"columns.{canonical}", f"not a canonical column; known: {', '.join(sorted(known))}")
        terms = rule.get("sum", [rule]) if isinstance(rule, dict) else None
        if not terms:
            raise fail(f"columns.{canonical}", "give `from:` alternatives or a `sum:` of terms")
        columns[canonical] = tuple(_term(t, f"columns.{canonical}", fail) for t in terms)
        if rule.get("required", False):
            required.add(canonical)
    required |= {name for name in columns if column_spec(name).required}
    required.discard("level")  # usually from the file or sheet name; a 学段 column is a fallback
    level = spec.get("level", {})
    values = {category: dict(words) for category, words in dictionary().vocabularies.items()}
    for category, table in (spec.get("values") or {}).items():
        values.setdefault(category, {}).update(
            {normalise_word(w): str(value) for value, words in table.items() for w in words})
    checks = tuple(_check(c, f"checks[{i}]", fail) for i, c in enumerate(spec.get("checks") or []))
    return Mapping(
        name=str(spec.get("name", where)),
        source=str(spec.get("source", where)),
        level_words={str(k): str(v) for k, v in level.get("words", {}).items()},
        senior_required=tuple(level.get("senior_required", ["school_id", "name", "students"])),
        columns=columns,
        required=frozenset(required),
        values=values,
        location_codes={str(k): str(v) for k, v in (spec.get("location_codes") or {}).items()},
        checks=checks,
    )


def _term(spec: object, where: str, fail) -> Term:
    if not isinstance(spec, dict) or not spec.get("from") or not isinstance(spec["from"], list):
        raise fail(where, "each term needs `from:` (a list of header paths)")
    paths = [p for alt in spec["from"] for p in (alt if isinstance(alt, list) else [alt])]
    if any(not (isinstance(p, str) or (isinstance(p, dict) and set(p) == {"contains"})) for p in paths):
        raise fail(f"{where}.from", "each header path is text, {contains: text}, or a list of those")
    alternatives = tuple(
        tuple(_pattern(p) for p in alt) if isinstance(alt, list) else (_pattern(alt),) for alt in spec["from"]
    )
    sign = spec.get("sign", 1)
    if isinstance(sign, bool) or sign not in (1, -1):
        raise fail(f"{where}.sign", f"must be 1 (add) or -1 (subtract), got {sign!r}")
    levels = spec.get("levels")
    if levels is not None and (not isinstance(levels, list) or not all(isinstance(v, str) for v in levels)):
        raise fail(f"{where}.levels", f"must be a list of levels (primary, junior), got {levels!r}")
    return Term(alternatives, int(sign), frozenset(levels) if levels else None, bool(spec.get("optional", False)))


def _check(spec: object, where: str, fail) -> Check:
    if not isinstance(spec, dict) or not spec.get("total") or not spec.get("parts_under"):
        raise fail(where, "each check needs `total:` (a list of header paths) and `parts_under:` (a header path)")
    totals = spec["total"] if isinstance(spec["total"], list) else [spec["total"]]
    categories = spec.get("categories") or []
    if not isinstance(categories, list):
        raise fail(f"{where}.categories", "give a list of category names, each a name or {name: [sub-headers]}")
    return Check(tuple(_pattern(p) for p in totals), _pattern(spec["parts_under"]),
                 tuple(_category(c, f"{where}.categories", fail) for c in categories))


def _category(spec: object, where: str, fail) -> Category:
    """`本科` (the category is the sub-header of that name) or `{研究生: [研究生, [博士研究生, 硕士研究生]]}`
    (alternatives tried like `from:`; a list of names must all be there)."""
    if isinstance(spec, (str, int)):
        return Category(str(spec), ((str(spec),),))
    if isinstance(spec, dict) and len(spec) == 1:
        [(name, alternatives)] = spec.items()
        if isinstance(alternatives, list) and alternatives:
            return Category(str(name), tuple(tuple(map(str, a)) if isinstance(a, list) else (str(a),)
                                             for a in alternatives))
    raise fail(where, f"a category is a name or {{name: [sub-headers]}}, not {spec!r}")


def _pattern(spec: object) -> Pattern:
    if isinstance(spec, dict) and "contains" in spec:
        return Pattern(str(spec["contains"]), contains=True)
    return Pattern(str(spec))
