"""Fictional Chinese place and school names for the synthetic counties.

Names are built from two short syllable lists (600 two-character names), so they look like
county, township and village names without naming real places. Vectorised: whole arrays of
names come from arrays of indices.
"""
from __future__ import annotations

import numpy as np

_FIRST = np.array(list("青白黑石柳杨松桦马龙凤金银东西南北新太平永长兴安宝红双三大小"))
_SECOND = np.array(list("山河岭沟台屯甸泉林坪岗湖桥营源峰川庄阳水"))
_NUMERALS = np.array(list("一二三四五六七八九十"))
POOL_SIZE = len(_FIRST) * len(_SECOND)


def place_names(index: np.ndarray) -> np.ndarray:
    """Two-character place names for integer indices; beyond the pool a number is appended."""
    index = np.asarray(index, dtype=np.int64)
    base = np.char.add(_FIRST[(index // len(_SECOND)) % len(_FIRST)], _SECOND[index % len(_SECOND)])
    lap = index // POOL_SIZE
    if (lap > 0).any():
        base = np.where(lap > 0, np.char.add(base, lap.astype(str)), base)
    return base


def ordinal(n: np.ndarray) -> np.ndarray:
    """Chinese numerals 第一, 第二 … for 1..99 (larger numbers in digits)."""
    n = np.asarray(n, dtype=np.int64)
    tens, ones = n // 10, n % 10
    low = _NUMERALS[np.clip(ones - 1, 0, 9)]
    word = np.where(
        n <= 10,
        _NUMERALS[np.clip(n - 1, 0, 9)],
        np.where(tens == 1, np.char.add("十", low), np.char.add(np.char.add(_NUMERALS[np.clip(tens - 1, 0, 9)], "十"), low)),
    )
    word = np.where((ones == 0) & (n > 10), np.char.add(_NUMERALS[np.clip(tens - 1, 0, 9)], "十"), word)
    word = np.where(n >= 100, n.astype(str), word)
    return np.char.add("第", word)
