"""The whole 2017 checklist (教督〔2017〕6号; docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist): the government-guarantee, quality
and recognition items of a standard's `parts:` section, judged from the schools table and the
optional county table; the four-part verdict and weak links; official indicator definitions;
and the items the simulation can track each year (`modelled_items`)."""
from __future__ import annotations

from balance_sim.checklist.definitions import official_county
from balance_sim.checklist.items import Item, Part, all_items, checklist
from balance_sim.checklist.model_link import MODELLED, modelled_items, outside_model_items
from balance_sim.checklist.verdict import certification, not_assessable, part_status, weak_links

__all__ = [
    "Item", "MODELLED", "Part", "all_items", "certification", "checklist", "modelled_items",
    "not_assessable", "official_county", "outside_model_items", "part_status", "weak_links",
]
