"""The items of the 2017 method that are not resource indicators, read from a standard's `parts:`
section (government guarantee, education quality, social recognition; 教督〔2017〕6号,
docs/sources.md#quality-2017-checklist): key, clause, text, method, the data each needs, thresholds and source.

A bad `parts:` section is refused with the standard's file and the key path of every problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Mapping

from balance_sim.errors import InputError, Problem
from balance_sim.standards import Standard, load_standard

PART_ORDER = ("resources", "government", "quality", "recognition")
PART_KEYS = {"zh", "en", "clauses", "source", "items"}
ITEM_KEYS = {"key", "clause", "zh", "en", "method", "needs", "params", "note", "source"}
TABLES = ("schools", "county")


@dataclass(frozen=True)
class Item:
    """One check. `needs` are (table, column) pairs; `params` the method's thresholds."""

    key: str
    part: str
    clause: int
    zh: str
    en: str
    method: str
    needs: tuple[tuple[str, str], ...]
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Part:
    name: str
    zh: str
    en: str
    clauses: int
    source: str
    items: tuple[Item, ...]


def checklist(standard: str | Standard = "quality-2017") -> tuple[Part, ...]:
    """The parts of `standard` other than resources, in the method's order (empty if none)."""
    if isinstance(standard, Standard):
        return _parse(standard)
    return _parsed(str(standard))


@cache
def _parsed(name: str) -> tuple[Part, ...]:
    # Shipped standards do not change while the package runs; parse each once.
    return _parse(load_standard(name))


def _parse(std: Standard) -> tuple[Part, ...]:
    from balance_sim.checklist.methods import METHODS  # the methods module imports this one

    problems: list[Problem] = []

    def fail(path: str, message: str) -> None:
        problems.append(Problem(std.path, None, path, message))

    parts, seen = [], set()
    for name, raw in std.parts.items():
        path = f"parts.{name}"
        if name not in PART_ORDER[1:]:
            fail(path, f"unknown part (known: {', '.join(PART_ORDER[1:])})")
            continue
        if not isinstance(raw, dict):
            fail(path, "must be a mapping")
            continue
        for extra in sorted(set(raw) - PART_KEYS):
            fail(f"{path}.{extra}", "unknown key")
        items = []
        for i, spec in enumerate(raw.get("items") or []):
            item = _item(spec, name, f"{path}.items[{i}]", fail, METHODS)
            if item is None:
                continue
            if item.key in seen:
                fail(f"{path}.items[{i}].key", f"duplicate item key {item.key!r}")
            seen.add(item.key)
            items.append(item)
        clauses = raw.get("clauses")
        found = len({item.clause for item in items})
        if isinstance(clauses, int) and items and found != clauses:
            fail(f"{path}.clauses", f"says {clauses} clauses but the items cover {found}")
        parts.append(Part(name, str(raw.get("zh", "")), str(raw.get("en", "")), int(clauses or found),
                          str(raw.get("source", "")), tuple(items)))
    if problems:
        raise InputError(problems)
    return tuple(sorted(parts, key=lambda p: PART_ORDER.index(p.name)))


def _item(spec, part: str, path: str, fail, methods) -> Item | None:
    if not isinstance(spec, dict):
        fail(path, "must be a mapping")
        return None
    for extra in sorted(set(spec) - ITEM_KEYS):
        fail(f"{path}.{extra}", "unknown key")
    ok = True
    for required in ("key", "clause", "method", "needs", "source"):
        if required not in spec:
            fail(f"{path}.{required}", "required key missing")
            ok = False
    if not ok:
        return None
    if spec["method"] not in methods:
        fail(f"{path}.method", f"unknown method {spec['method']!r} (known: {', '.join(sorted(methods))})")
        return None
    needs = []
    for j, text in enumerate(spec["needs"] or []):
        table, _, column = str(text).partition(".")
        if table not in TABLES or not column:
            fail(f"{path}.needs[{j}]", f"must be schools.COLUMN or county.COLUMN, got {text!r}")
        needs.append((table, column))
    params = spec.get("params") or {}
    if not isinstance(params, dict):
        fail(f"{path}.params", "must be a mapping")
        params = {}
    for message in methods[spec["method"]].check(params):
        fail(f"{path}.params", message)
    return Item(
        key=str(spec["key"]), part=part, clause=int(spec["clause"]), zh=str(spec.get("zh", "")),
        en=str(spec.get("en", "")), method=spec["method"], needs=tuple(needs),
        params=MappingProxyType(dict(params)), note=str(spec.get("note", "")).strip(),
        source=str(spec["source"]),
    )


def all_items(standard: str | Standard = "quality-2017") -> tuple[Item, ...]:
    """Every item of every part, in order."""
    return tuple(item for part in checklist(standard) for item in part.items)
