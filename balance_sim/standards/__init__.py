"""Certification standards as data: one YAML file per standard in this folder (`basic-2012`,
`quality-2017`, provincial variants), read into frozen dataclasses; `rules` applies them."""
from __future__ import annotations

from balance_sim.standards.loader import available_standards, load_standard
from balance_sim.standards.model import Inclusion, Resources, SchoolRule, Standard

__all__ = ["Inclusion", "Resources", "SchoolRule", "Standard", "available_standards", "load_standard"]
