"""``unowned(t)``: the same tuple of arrays without reference counting, for the kernel's run loop.

Every read of an array field of a NamedTuple inside numba code (``s.k[0]``, ``P.gamma[t]``)
increments and later decrements the array's reference count, two atomic (``lock``-prefixed)
instructions that also stop the CPU from overlapping the memory operations around them. The
algorithm files read their state and parameters this way at every step, and numba's reference-count
pruning does not remove the pairs once an inlined loop (an op) separates them: at d = 10 this cost
more than the update's arithmetic (measured: clipped SGD 20 -> 15 ns per coordinate-step).

``unowned(t)`` returns ``t`` with the meminfo (owner) pointer of every array member set to NULL, as
for arrays made by ``numba.carray``: numba's incref/decref skip NULL owners, and the data, shape and
strides are untouched. It is safe as long as the owner ``t`` outlives every use of the result: the
kernel keeps the state it got from ``init`` referenced until the run ends, and the parameters are
owned by the caller. Other members keep their own references (they are increfed). In plain Python
(NUMBA_DISABLE_JIT, the reference engine) it is the identity.
"""
from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload

# an overload's body is only ever called from compiled code: numba need not build its C-callable
# wrapper (compile time, as engine/inner.py)
_NO_CFUNC = {"no_cfunc_wrapper": True}


def unowned(t):
    """``t`` itself (see the module docstring for the compiled version)."""
    return t


@intrinsic
def _unowned(typingctx, tup):
    if not isinstance(tup, types.BaseTuple):
        return None

    def codegen(context, builder, sig, args):
        ty = sig.args[0]
        out = args[0]
        for i, mty in enumerate(ty.types):
            val = builder.extract_value(out, i)
            if isinstance(mty, types.Array):
                arr = context.make_array(mty)(context, builder, value=val)
                arr.meminfo = cgutils.get_null_value(arr.meminfo.type)
                arr.parent = cgutils.get_null_value(arr.parent.type)
                out = builder.insert_value(out, arr._getvalue(), i)
            else:
                context.nrt.incref(builder, mty, val)  # the result owns its other members
        return out

    return tup(tup), codegen


@overload(unowned, jit_options=_NO_CFUNC)
def _unowned_nb(t):
    if isinstance(t, types.BaseTuple):
        return lambda t: _unowned(t)
    return lambda t: t


__all__ = ["unowned"]
