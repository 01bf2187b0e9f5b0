"""Replacement: each open school's worn equipment, computers and books bought back before any new
funds are shared (issue 14 §2 capital step 1), so that no school loses stock because another is
poorer.

Straight-line wear on the stock: a section's stock A_ik of a replaced item k wears by

    W_ik = A_ik / L_k             L_k = funding.equipment_life_years, computer_life_years,
                                  book_life_years (assumptions, docs/sources.md#assumptions)

and the claim is R_ik = W_ik · c_k yuan. Paid in full, the stock is what it was; when the budget
pays only a share ρ of the county's claim (funding.py), every school of the county gets the same
share back:
A_ik ← A_ik − W_ik + ρ · W_ik. Closed sections neither wear nor are replaced (their stock is
counted nowhere).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.capital import BOOKS, COMPUTERS, EQUIPMENT, buy
from balance_sim.sim.state import Schools

REPLACED = (EQUIPMENT, COMPUTERS, BOOKS)  # the ledger's replacement_equipment, _computers, _books


def lives(equipment: float, computers: float, books: float) -> np.ndarray:
    """L_k of every item (ASSETS order; inf: does not wear)."""
    out = np.full(6, np.inf)
    out[list(REPLACED)] = equipment, computers, books
    return out


def wear(s: Schools, life: np.ndarray) -> np.ndarray:
    """W_ik (sections × items): what each open section's stock wears this year."""
    return np.where(s.open[:, None], s.assets / life, 0.0)


def replace(s: Schools, worn: np.ndarray, paid_share: np.ndarray, costs: np.ndarray,
            area_per_classroom: float) -> tuple[np.ndarray, np.ndarray]:
    """The stock worn, then the paid share of it bought back (in place; `paid_share`: the
    share of each county's claim paid, one per county). Returns (yuan, quantity), each
    sections × the REPLACED items."""
    s.assets -= worn
    yuan = worn * costs * np.asarray(paid_share, dtype=float)[s.county][:, None]
    quantity = buy(s, yuan, costs, area_per_classroom)
    return yuan[:, REPLACED], quantity[:, REPLACED]
