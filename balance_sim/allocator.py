"""Keep freed memory for reuse during a long run of large arrays (glibc's allocator only).

A national simulation allocates and frees hundreds of temporary arrays of 50–500 MB a year.
By default glibc maps each such array afresh and unmaps it when it is freed, so the kernel
zeroes every page again on the next one: about a third of a national run's time. With
`keep_freed_memory()` glibc takes large arrays from its heap and keeps freed ones there for
the next, so the pages are reused as they are. No result changes; the process keeps up to
`KEPT_BYTES` of freed memory it would otherwise give back.

The setting is the whole process's, so the command line turns it on (its process ends with the
run); a notebook or a library caller decides for itself.
"""
from __future__ import annotations

import ctypes
import ctypes.util

# mallopt parameters (glibc malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

KEPT_BYTES = 2**31 - 1  # the largest value mallopt takes (a C int): about 2 GiB


def keep_freed_memory() -> bool:
    """Ask glibc to serve large arrays from its heap and keep freed memory for reuse; True if
    the allocator took the setting (False where the C library is not glibc)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, KEPT_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, KEPT_BYTES))


__all__ = ["keep_freed_memory", "KEPT_BYTES"]
