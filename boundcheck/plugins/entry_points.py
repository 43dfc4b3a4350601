"""Package plugins: installed distributions declare entry points in the groups

    boundcheck.algorithms    boundcheck.functions    boundcheck.noise

each pointing at a module (``my_lab.methods.heavy``) that defines ``PLUGIN`` or ``PLUGINS``, or
directly at a spec (``my_lab.methods.heavy:PLUGIN``). They are read once per process, when a name
is not found among the built-ins and folder plugins, or when the names are listed. A broken entry
point is a ``PluginError`` naming the distribution, the entry point and the file.
"""
from __future__ import annotations

import sys
import types

from ..errors import PluginError

GROUPS = ("boundcheck.algorithms", "boundcheck.functions", "boundcheck.noise")
_DONE = False


def _entry_points(group: str):
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


def load_all(force: bool = False) -> list:
    """Load every entry point of the three groups; return the specs registered."""
    global _DONE
    if _DONE and not force:
        return []
    _DONE = True
    from .. import registry
    from .register import check_spec, kind_of, specs_of

    out = []
    for group in GROUPS:
        for ep in _entry_points(group):
            dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
            label = f"entry point {ep.name!r} = {ep.value!r} of {dist} (group {group})"
            try:
                obj = ep.load()
            except SyntaxError as e:
                raise PluginError(f"{e.filename}:{e.lineno}: syntax error in the {label}: {e.msg}") from None
            except Exception as e:
                raise PluginError(f"{label}: cannot be imported: {type(e).__name__}: {e}; fix or uninstall "
                                  f"{dist}") from None
            if isinstance(obj, types.ModuleType):
                file = getattr(obj, "__file__", None) or obj.__name__
                specs = specs_of(obj, file, required=True)
            else:
                mod = sys.modules.get(ep.value.split(":")[0])
                file = getattr(mod, "__file__", None) or ep.value
                check_spec(obj, file)
                specs = [obj]
            for s in specs:
                registry.ALL[kind_of(s)].register(s, file, f"package {dist}")
            out += specs
    return out


__all__ = ["GROUPS", "load_all"]
