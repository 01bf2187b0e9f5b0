"""numpy's uniform draws made inside kernels, so a mechanism whose draw sizes depend on its own
passes can run as one compiled call.

A kernel receives the addresses of the run's generator's bit generator (`pointers`) and calls
its C functions itself, exactly as `Generator.random` does: float64 draws are
`next_double(state)`, float32 draws `(next_uint32(state) >> 8) · 2⁻²⁴`. A kernel that fills an
array of n draws therefore leaves the generator where `rng.random(n, dtype)` would have left it,
with the same numbers, and numpy's own draws before and after continue the same stream. As
plain Python (NUMBA_DISABLE_JIT=1, `kernel.py_func`) the same functions are called through
ctypes.
"""
from __future__ import annotations

import ctypes

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

from balance_sim.jit import inlined

STATE, NEXT_DOUBLE, NEXT_UINT32 = range(3)
FLOAT_SCALE = np.float32(1.0 / 16777216.0)  # 2⁻²⁴: numpy's next_float

_DOUBLE = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p)
_UINT32 = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_void_p)


class _Kept:
    """A run's generator and its addresses. Addresses belong to one generator object in one
    process: a copy or a pickle of the State keeps none (its next draw looks them up again)."""

    __slots__ = ("rng", "bits")

    def __init__(self, rng=None, bits=None):
        self.rng, self.bits = rng, bits

    def __deepcopy__(self, memo):
        return _Kept()

    def __reduce__(self):
        return _Kept, ()


def pointers(state, rng: np.random.Generator) -> np.ndarray:
    """(state, next_double, next_uint32) addresses of `rng`'s bit generator as int64, looked up
    on the run's first draw and kept in state.scratch with the generator (which keeps them
    valid)."""
    kept = state.scratch.get("draws")
    if kept is None or kept.rng is not rng:
        # numpy's C interface: the bit generator's capsule holds its bitgen_t (numpy/random/bitgen.h)
        # (`bit_generator.ctypes` gives the same addresses, at ten times the cost of a first use).
        bitgen = _BitGen.from_address(_capsule_pointer(rng.bit_generator.capsule, b"BitGenerator"))
        kept = state.scratch["draws"] = _Kept(rng, np.array([bitgen.state, bitgen.next_double, bitgen.next_uint32],
                                                            np.int64))
    return kept.bits


class _BitGen(ctypes.Structure):
    _fields_ = [(name, ctypes.c_void_p) for name in ("state", "next_uint64", "next_uint32", "next_double", "next_raw")]


_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def _function_call(return_type, llvm_return):
    """An intrinsic calling the C function at address `fn` with the pointer `arg`."""
    @intrinsic
    def call(typingctx, fn, arg):
        def codegen(context, builder, signature, args):
            pointer = ir.IntType(8).as_pointer()
            function = builder.inttoptr(args[0], ir.FunctionType(llvm_return, [pointer]).as_pointer())
            return builder.call(function, [builder.inttoptr(args[1], pointer)])
        return return_type(types.intp, types.intp), codegen
    return call


_call_double = _function_call(types.float64, ir.DoubleType())
_call_uint32 = _function_call(types.uint32, ir.IntType(32))


def next_double(bits) -> float:
    """One float64 draw, as `rng.random()`."""
    return _DOUBLE(int(bits[NEXT_DOUBLE]))(int(bits[STATE]))


def next_float(bits) -> np.float32:
    """One float32 draw, as `rng.random(dtype=np.float32)`."""
    return np.float32(_UINT32(int(bits[NEXT_UINT32]))(int(bits[STATE])) >> 8) * FLOAT_SCALE


@overload(next_double)
def _next_double_compiled(bits):
    def impl(bits):
        return _call_double(bits[NEXT_DOUBLE], bits[STATE])
    return impl


@overload(next_float)
def _next_float_compiled(bits):
    def impl(bits):
        return np.float32(_call_uint32(bits[NEXT_UINT32], bits[STATE]) >> np.uint32(8)) * FLOAT_SCALE
    return impl


@inlined
def fill(bits, out):
    """`out` (any shape, C order) filled as `rng.random(out.shape, out=out)` fills it."""
    flat = out.reshape(out.size)
    for i in range(flat.size):
        flat[i] = next_double(bits)


@inlined
def fill32(bits, out):
    """`out` (float32, any shape, C order) filled as `rng.random(out.shape, np.float32)` fills it."""
    flat = out.reshape(out.size)
    for i in range(flat.size):
        flat[i] = next_float(bits)
