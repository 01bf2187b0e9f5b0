"""Compiled kernels (Numba) for the simulation's year loop and the row-wise measures.

At the size of one county (tens of sections, a few thousand teachers) a year of numpy calls is
dominated by the fixed cost of each call, not by the arithmetic; each mechanism therefore does its
per-year pass in one compiled kernel: a plain loop over the arrays. Kernels take arrays and
numbers only; random numbers are drawn by the run's numpy generator, between kernels or inside
them through its own C functions (sim/draws.py), so a seed gives the same draws whatever runs the
kernel. `error_model="numpy"`: division by zero gives inf/NaN as numpy would.

Compiled code is cached on disk (the first run of a fresh install compiles it once). Numba checks
a cached kernel only against its own file, while our kernels call kernels of other modules; the
cache of every kernel of this package is therefore stamped with the content of *all* the
package's modules that define kernels, so editing any of them recompiles them all instead of
running stale code. Setting NUMBA_DISABLE_JIT=1 runs the same kernels as Python, which is how
the tests check that compiled and interpreted kernels agree.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numba
from numba.core import caching

PACKAGE = Path(__file__).resolve().parent
_MARKER = b"from balance_sim.jit import"


def kernel_sources_stamp(package: Path = PACKAGE) -> str:
    """SHA-256 over the modules of `package` that define kernels (path and content)."""
    digest = hashlib.sha256(numba.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        text = path.read_bytes()
        if _MARKER in text or path.name == "jit.py":
            digest.update(str(path.relative_to(package)).encode() + b"\0" + text)
    return digest.hexdigest()


class _PackageStamped:
    """Mix-in for Numba's cache locators: only this package's files, stamped as a whole."""

    _stamp: str | None = None

    def get_source_stamp(self):
        if _PackageStamped._stamp is None:
            _PackageStamped._stamp = kernel_sources_stamp()
        return _PackageStamped._stamp

    @classmethod
    def from_function(cls, py_func, py_file):
        if not Path(py_file).resolve().is_relative_to(PACKAGE):
            return None
        return super().from_function(py_func, py_file)


class _InTreeLocator(_PackageStamped, caching.InTreeCacheLocator):
    """Next to the module, in its __pycache__ (an editable install, a writable site-packages)."""


class _UserWideLocator(_PackageStamped, caching.UserWideCacheLocator):
    """In the user's cache folder, when the package's folder is read-only."""


for _locator in (_UserWideLocator, _InTreeLocator):
    if _locator not in caching.CacheImpl._locator_classes:
        caching.CacheImpl._locator_classes.insert(0, _locator)

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# Small helpers called once per element inside kernels, inlined into their callers (a call per
# element costs more than the helper's own work); otherwise as `kernel`.
inlined = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
