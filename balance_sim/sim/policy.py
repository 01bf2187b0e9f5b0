"""The policy tree: every lever and assumption of the simulation as frozen dataclasses.

Values come from `default_policy.yaml` (each with its source, docs/sources.md section or `assumption`);
a user's YAML file or `--set key.path=value` overrides change single leaves (OpenFisca-style
reforms are deltas, not copies). Values that change over time are `Dated`: the value holds from
the year given until the next one. Loading uses the safe loader only (`balance_sim.yaml_input`).
"""
from __future__ import annotations

import dataclasses
import math
import typing
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from balance_sim.errors import InputError, ParameterError
from balance_sim.sim.policy_tree import CapitalMix, Dated, NewDegree, Policy
from balance_sim.yaml_input import YamlLimitError, parse_yaml, read_yaml

__all__ = ["Dated", "Policy", "default_policy", "describe", "load_policy", "override", "parse_assignment", "to_dict"]

ALWAYS = 1949  # the first year of a dated leaf given as a plain number
LEAF_META = {"unit", "label", "zh", "source", "choices", "description"}


# ---------------------------------------------------------------- building and validation


@cache
def _fields(cls) -> dict[str, tuple[type, dict]]:
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], dict(f.metadata)) for f in dataclasses.fields(cls)}


def _is_leaf_mapping(raw) -> bool:
    return isinstance(raw, dict) and ("value" in raw or "values" in raw)


def _leaf_value(raw, path: str):
    if not _is_leaf_mapping(raw):
        return raw
    extra = set(raw) - LEAF_META - {"value", "values"}
    if extra:
        raise ParameterError(f"{path}.{sorted(extra)[0]}: unknown key")
    return raw["values"] if "values" in raw else raw["value"]


def _build(cls, raw, path: str):
    where = path or "policy"
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: must be a mapping of keys, got {raw!r}")
    fields = _fields(cls)
    unknown = sorted(set(raw) - set(fields), key=str)
    if unknown:
        raise ParameterError(f"{_join(path, unknown[0])}: unknown key")
    missing = [name for name in fields if name not in raw]
    if missing:
        raise ParameterError(f"{_join(path, missing[0])}: missing")
    values = {
        name: _convert(kind, meta, raw[name], _join(path, name)) for name, (kind, meta) in fields.items()
    }
    built = cls(**values)
    _check_sums(built, path)
    return built


def _join(path: str, name) -> str:
    return f"{path}.{name}" if path else str(name)


def _convert(kind, meta, raw, path):
    if kind is Dated:
        return _dated(_leaf_value(raw, path), meta, path)
    if dataclasses.is_dataclass(kind):
        return _build(kind, raw, path)
    return _scalar(kind, meta, _leaf_value(raw, path), path)


def _scalar(kind, meta, value, path):
    if kind is bool:
        if not isinstance(value, bool):
            raise ParameterError(f"{path}: must be true or false, got {value!r}")
        return value
    if kind is str:
        choices = meta.get("choices") or ()
        if not isinstance(value, str) or value not in choices:
            raise ParameterError(f"{path}: must be one of {', '.join(choices)}, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(f"{path}: must be a number, got {value!r}")
    try:
        as_float = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise ParameterError(f"{path}: must be finite, got a number of {len(str(value)):,} digits") from None
    if kind is int:
        if not as_float.is_integer():
            raise ParameterError(f"{path}: must be a whole number, got {value!r}")
        value = int(value)
    else:
        value = as_float
    if not math.isfinite(value):
        raise ParameterError(f"{path}: must be finite, got {value!r}")
    low, high = meta.get("low"), meta.get("high")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ParameterError(f"{path}: must be {bounds}, got {value!r}")
    return value


def _dated(value, meta, path) -> Dated:
    if isinstance(value, Dated):
        return Dated(tuple((y, _scalar(float, meta, v, path)) for y, v in value.pairs))
    if not isinstance(value, dict):
        # A plain number: the same value in every year.
        return Dated(((ALWAYS, _scalar(float, meta, value, path)),))
    if not value:
        raise ParameterError(f"{path}: needs at least one year")
    pairs = []
    for year, v in value.items():
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2200:
            raise ParameterError(f"{path}.{year}: a dated value is keyed by a year (e.g. 2016: 600)")
        pairs.append((year, _scalar(float, meta, v, f"{path}.{year}")))
    return Dated(tuple(sorted(pairs)))


def _check_sums(built, path):
    # Shares that must add up to one: a mix that does not is a typo, not a policy.
    if isinstance(built, (CapitalMix, NewDegree)):
        total = sum(dataclasses.astuple(built))
        if abs(total - 1.0) > 1e-6:
            raise ParameterError(f"{path}: shares must add up to 1, got {total:g}")


def override(policy: Policy, changes: dict[str, object]) -> Policy:
    """A new policy with the leaves at the given key paths replaced (values validated)."""
    tree = to_dict(policy)
    for path, value in changes.items():
        _set_path(tree, path, value)
    return _build(Policy, tree, "")


def to_dict(policy) -> dict:
    """Plain nested dict of values (Dated as {year: value}), as YAML or JSON would hold it."""
    out = {}
    for f in dataclasses.fields(policy):
        value = getattr(policy, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, Dated):
            out[f.name] = to_dict(value)
        elif isinstance(value, Dated):
            out[f.name] = _dated_value(value)
        else:
            out[f.name] = value
    return out


def _dated_value(value: Dated):
    """A dated leaf as it was written: a plain number when it holds one value for every year."""
    if len(value.pairs) == 1 and value.pairs[0][0] == ALWAYS:
        return value.pairs[0][1]
    return {int(y): v for y, v in value.pairs}


def _set_path(tree: dict, path: str, value) -> None:
    """Put `value` at `path` in `tree` (a `to_dict` of a policy), following the policy's classes
    so that a path going on below a value is told apart from a misspelt key."""
    parts = path.split(".")
    node, cls = tree, Policy
    for depth, part in enumerate(parts):
        here = ".".join(parts[: depth + 1])
        fields = _fields(cls)
        if part not in fields:
            raise ParameterError(f"{here}: unknown key")
        if depth == len(parts) - 1:
            node[part] = value
            return
        kind = fields[part][0]
        if kind is Dated or not dataclasses.is_dataclass(kind):
            dated = " (a value by year is written {2016: 600, 2022: 720})" if kind is Dated else ""
            raise ParameterError(f"{path}: {here} is a value, not a section; use --set {here}=VALUE{dated}")
        node, cls = node[part], kind


def _merge(base: dict, delta, path: str) -> dict:
    """Apply a user's (partial) tree to the default tree; leaves replace, sections merge."""
    if not isinstance(delta, dict):
        raise ParameterError(f"{path or 'policy'}: must be a mapping of keys")
    out = dict(base)
    for key, value in delta.items():
        here = _join(path, key)
        if key not in base:
            raise ParameterError(f"{here}: unknown key")
        section = isinstance(base[key], dict) and not _is_leaf_mapping(base[key])
        if section and isinstance(value, dict) and not _is_leaf_mapping(value):
            out[key] = _merge(base[key], value, here)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------- public entry points


@cache
def _default_raw() -> dict:
    text = resources.files("balance_sim.sim").joinpath("default_policy.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def default_policy() -> Policy:
    """The shipped default policy."""
    return _build(Policy, _default_raw(), "")


def parse_assignment(text: str) -> tuple[str, object]:
    """`"funding.rural_share=0.8"` → ("funding.rural_share", 0.8); the value is read as YAML
    (numbers, true/false, words, `{2016: 600, 2020: 650}`) by the safe loader."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParameterError(f"{text!r}: expected KEY=VALUE, e.g. funding.rural_share=0.8")
    try:
        value = parse_yaml(raw) if raw.strip() else None
    except yaml.YAMLError as error:
        reason = error.problem if isinstance(error, YamlLimitError) else "not valid YAML"
        raise ParameterError(f"{key}: cannot read value {_shortened(raw)} ({reason})") from None
    if value is None:
        raise ParameterError(f"{key}: missing value")
    return key, value


def _shortened(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"


def load_policy(path: str | Path | None = None, overrides=()) -> Policy:
    """The default policy, changed by the YAML file at `path` (partial trees allowed) and then
    by `overrides` ("key.path=value" strings or a {key path: value} mapping)."""
    tree = _default_raw()
    if path is not None:
        try:
            user = read_yaml(path)
        except InputError as error:
            # A policy file is a parameter of the run: reported as one, with the file's line.
            raise ParameterError(f"{path}: {error.problems[0].message}") from None
        if user is not None:
            tree = _merge(tree, user, "")
    policy = _build(Policy, tree, "")
    changes = dict(overrides) if isinstance(overrides, dict) else dict(map(parse_assignment, overrides))
    return policy.override(changes) if changes else policy


def describe(policy: Policy | None = None) -> list[dict]:
    """Every leaf as {key, value, unit, label, zh, source}: the default file's metadata with the
    policy's current values (for tables, forms and reports)."""
    policy = policy or default_policy()
    rows = []

    def walk(node, path):
        if _is_leaf_mapping(node):
            value = policy.get(path)
            value = _dated_value(value) if isinstance(value, Dated) else value
            meta = {k: node.get(k, "") for k in ("unit", "label", "zh", "source")}
            rows.append({"key": path, "value": value, **meta})
            return
        for key, child in node.items():
            walk(child, _join(path, key))

    walk(_default_raw(), "")
    return rows
