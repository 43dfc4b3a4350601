"""Generate, name, write and load one kernel module per (algorithm, function kernels, noise).

Why generate code: numba's on-disk cache does not work for kernels that take functions as
arguments (they recompile in every new process). A generated module binds the
algorithm's functions, the family's ``value/grad`` and the noise sampler as *module globals*, so its
top ``kernel`` (template.py) caches like any plain numba function.

Why name it by a hash: numba keys its cache on the kernel's own file, not on the files of the
functions it calls. The module name here is a SHA-256 of every source file the kernel depends on
(the algorithm file and everything its functions reference from project modules, ops.py,
algorithm.py, the kernels' files (a finite sum's component kernels too), the sampler's file, rng.py,
borrow.py, inner.py, oracles/sampling.py, the template and this file), plus the
numba, numpy and Python versions. An edit anywhere gives a new name, so a stale kernel is never
served; the callees are not cached separately.

The module is written atomically (a temporary file hard-linked into place, never overwritten, so
concurrent processes agree on one file and numba's timestamp check stays valid) and imported by
path. An existing module is read back first and compared with the text its hash was computed from:
an edited or corrupt one is replaced (with a CacheWarning), never imported as it is. numba's
cache for it lands in ``kernels/__pycache__`` (or under ``$NUMBA_CACHE_DIR``).
"""
from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import re
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UsageError
from . import template
from .cache import cache_dir

_SKIP_TOP = {"numpy", "numba", "scipy", "math", "builtins", "llvmlite", "typing", "collections"}


@dataclass(frozen=True)
class KernelSpec:
    """What a kernel binds: algorithm functions, function-family kernels and a noise sampler."""

    alg_name: str
    init: Callable
    query: Callable
    update: Callable
    output: Callable | None
    needs_value: bool
    family: str
    value: Callable
    grad: Callable
    noise_name: str  # "none" when deterministic
    sample: Callable | None
    multi: bool = False  # update receives the individual draws G (Algorithm.samples_per_step)
    noise_reads_grad: bool = True  # NoiseModel.grad_dependent: the sampler reads g
    noise_blocks: bool = False  # NoiseModel.coordinatewise: K steps' noise drawn in one call
    weight: Callable | None = None  # Algorithm.weight: w_t of the method's weighted metric average (wmean)
    grad_i: Callable | None = None  # finite sum (oracles/finite_sum.py): component gradient kernel
    n_components: Callable | None = None  # finite sum: count(p, A, b) -> n
    order: int = -1  # finite sum: the index-sampling rule's code (oracles.MODELS); -1 none
    project: Callable | None = None  # finite sum: projection onto the feasible set after each update
    anchor: Callable | None = None  # Algorithm.anchor: variance reduction on a finite sum (update gets GA)


@dataclass
class Kernel:
    spec: KernelSpec
    hash: str
    module_name: str
    path: Path
    sources: tuple[str, ...]
    _module: types.ModuleType | None = None

    @property
    def module(self) -> types.ModuleType:
        if self._module is None:
            self._module = _load(self.module_name, self.path)
        return self._module

    @property
    def dispatcher(self):
        return self.module.kernel


def _py(f):
    return getattr(f, "py_func", f)


def _qualified(f, role: str) -> tuple[str, str]:
    """(module, name) under which ``f`` can be imported; a clear error otherwise."""
    py = _py(f)
    mod, name = getattr(py, "__module__", None), getattr(py, "__name__", None)
    m = sys.modules.get(mod) if mod else None
    if m is None or getattr(m, name, None) is not f:
        raise UsageError(
            f"engine: the {role} function {name!r} of module {mod!r} must be a module-level function "
            "(importable by name) so that the generated kernel can bind it; lambdas, closures and "
            "functions defined in __main__ cannot be compiled into a cached kernel")
    if mod == "__main__":
        raise UsageError(f"engine: the {role} function {name!r} is defined in __main__; move it to an "
                         "importable module")
    return mod, name


def _module_file(modname: str) -> str | None:
    m = sys.modules.get(modname)
    f = getattr(m, "__file__", None)
    if not f or not f.endswith(".py"):
        return None
    if modname.split(".")[0] in _SKIP_TOP:
        return None
    return os.path.abspath(f)


def _code_names(code) -> set[str]:
    names = set(code.co_names)
    for c in code.co_consts:
        if inspect.iscode(c):
            names |= _code_names(c)
    return names


def _dependencies(funcs) -> dict[str, str]:
    """{source file: module name} of the modules defining ``funcs`` and, transitively, of the
    project functions, classes and modules they reference by global name."""
    files: dict[str, str] = {}
    seen: set[int] = set()

    def add(modname):
        mf = _module_file(modname)
        if mf:
            files[mf] = modname
        return mf

    stack = [f for f in funcs if f is not None]
    while stack:
        f = stack.pop()
        py = _py(f)
        if id(py) in seen or not hasattr(py, "__code__"):
            continue
        seen.add(id(py))
        if add(py.__module__) is None:
            continue
        g = py.__globals__
        for name in _code_names(py.__code__):
            obj = g.get(name)
            if obj is None:
                continue
            if isinstance(obj, types.ModuleType):
                add(obj.__name__)
            elif hasattr(_py(obj), "__code__") and getattr(_py(obj), "__module__", None):
                stack.append(obj)
            elif isinstance(obj, type) and getattr(obj, "__module__", None):
                add(obj.__module__)
    return files


def _code_fp(code, h) -> None:
    h.update(code.co_code)
    h.update(repr((code.co_names, code.co_varnames, code.co_freevars)).encode())
    for c in code.co_consts:
        if inspect.iscode(c):
            _code_fp(c, h)
        else:
            h.update(repr(c).encode())


def _simple(v) -> bool:
    if isinstance(v, (int, float, str, bool, complex)) or v is None:
        return True
    return isinstance(v, tuple) and len(v) < 64 and all(_simple(e) for e in v)


def _module_fingerprint(modname: str, h) -> None:
    """What the module holds *in memory*: the bytecode of its functions (numba's source of truth)
    and its simple constants (which numba freezes into the kernel). A process whose modules were
    edited on disk but not reloaded thus gets a kernel name that no fresh process computes."""
    m = sys.modules.get(modname)
    if m is None:
        return
    for name in sorted(vars(m)):
        obj = vars(m)[name]
        py = _py(obj)
        if hasattr(py, "__code__") and getattr(py, "__module__", None) == modname:
            h.update(name.encode())
            _code_fp(py.__code__, h)
        elif _simple(obj) and not name.startswith("__"):
            h.update(f"{name}={obj!r}".encode())
        elif isinstance(obj, type) and getattr(obj, "__module__", None) == modname:
            h.update(f"{name}:{getattr(obj, '_fields', '')}".encode())


def _versions() -> str:
    import numba
    import numpy

    return f"python {sys.version_info[:3]} numba {numba.__version__} numpy {numpy.__version__}"


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")[:24] or "x"


def build(spec: KernelSpec) -> Kernel:
    """Generate (if needed) the kernel module for ``spec``; compilation happens on first call."""
    from .. import algorithm as _algorithm_mod
    from .. import ops as _ops_mod
    from .. import rng as _rng_mod
    from . import borrow as _borrow_mod
    from . import inner as _inner_mod
    from ..oracles import sampling as _sampling_mod

    funcs = [spec.init, spec.query, spec.update, spec.output, spec.value, spec.grad, spec.sample, spec.weight,
             spec.grad_i, spec.n_components, spec.project, spec.anchor]
    files = _dependencies(funcs)
    for m in (_ops_mod, _algorithm_mod, _rng_mod, _borrow_mod, _inner_mod, _sampling_mod, template,
              sys.modules[__name__]):
        files[os.path.abspath(m.__file__)] = m.__name__
    files_sorted = sorted(files)
    # within a process: same function objects and unchanged files (stat) -> the same kernel
    memo_key = (tuple(id(f) for f in funcs), spec.alg_name, spec.family, spec.noise_name,
                spec.needs_value, spec.multi, spec.noise_reads_grad, spec.noise_blocks, spec.order, str(cache_dir()),
                tuple((p, _stat(p)) for p in files_sorted))
    hit = _MEMO.get(memo_key)
    if hit is not None and _stat_or_none(hit.path) == hit_stat(hit):
        return hit

    imports = []
    for role, f, alias in (("init", spec.init, "_alg_init"), ("query", spec.query, "_alg_query"),
                           ("update", spec.update, "_alg_update"), ("output", spec.output, "_alg_output"),
                           ("value", spec.value, "_fn_value"), ("grad", spec.grad, "_fn_grad"),
                           ("sample", spec.sample, "_nz_sample"), ("weight", spec.weight, "_alg_weight"),
                           ("grad_i", spec.grad_i, "_fs_grad_i"), ("n_components", spec.n_components, "_fs_count"),
                           ("project", spec.project, "_fs_project"), ("anchor", spec.anchor, "_alg_anchor")):
        if f is None:
            continue
        mod, name = _qualified(f, role)
        imports.append(f"from {mod} import {name} as {alias}")
    header = template.HEADER.format(
        alg=spec.alg_name, fam=spec.family, noise=spec.noise_name,
        sources="\n".join(f"  {p}" for p in files_sorted),
        imports="\n".join(imports),
        needs_value=bool(spec.needs_value), has_noise=spec.sample is not None,
        has_output=spec.output is not None,
        draw_ahead=spec.sample is not None and not spec.noise_reads_grad and not spec.multi and not _blocks(spec),
        noise_blocks=_blocks(spec),
        output="_jit(_alg_output)" if spec.output is not None else "_no_output",
        sample="_jit(_nz_sample)" if spec.sample is not None else "_no_sample",
        has_weight=spec.weight is not None,
        weight="_jit(_alg_weight)" if spec.weight is not None else "_no_weight",
        has_finite_sum=spec.grad_i is not None, order=int(spec.order),
        grad_i="_jit(_fs_grad_i)" if spec.grad_i is not None else "_no_grad_i",
        n_components="_jit(_fs_count)" if spec.n_components is not None else "_no_count",
        has_project=spec.project is not None,
        project="_jit(_fs_project)" if spec.project is not None else "_no_project",
        has_anchor=spec.anchor is not None,
        anchor="_jit(_alg_anchor)" if spec.anchor is not None else "_no_anchor",
    )
    h = hashlib.sha256()
    h.update(_versions().encode())
    for digest in sorted(hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in files_sorted):
        h.update(digest.encode())
    for p in files_sorted:
        _module_fingerprint(files[p], h)
    # the generated text (imports, flags) is part of the key; the file paths are not: the same
    # sources in another checkout give the same kernel
    body = header + template.BODY.replace("{alloc}", template.ALLOC_MULTI if spec.multi else "").replace(
        "{oracle}", template.ORACLE_ANCHOR if spec.anchor is not None else
        template.ORACLE_MULTI if spec.multi else template.ORACLE_AVERAGE)
    h.update(re.sub(r"\n  /.*", "", body).encode())
    digest = h.hexdigest()[:20]
    name = f"bck_{_slug(spec.alg_name)}__{_slug(spec.family)}__{_slug(spec.noise_name)}_{digest}"
    path = cache_dir() / f"{name}.py"
    _ensure(path, body)
    k = Kernel(spec, digest, name, path, tuple(files_sorted))
    _MEMO[memo_key] = k
    _MEMO_STAT[id(k)] = _stat_or_none(path)
    return k


def _blocks(spec: KernelSpec) -> bool:
    """Draw the noise in blocks of K steps (template.py): coordinatewise noise that does not read
    the gradient, for the averaged oracle (the multi-sample oracle interleaves auxiliary normals)."""
    return spec.sample is not None and spec.noise_blocks and not spec.noise_reads_grad and not spec.multi


_MEMO: dict = {}
_MEMO_STAT: dict = {}


def hit_stat(k: Kernel):
    return _MEMO_STAT.get(id(k))


def _stat_or_none(p: Path):
    try:
        return _stat(str(p))
    except OSError:
        return None


def _comparable(text: str) -> str:
    """The module text as hashed: without the source paths listed in its header."""
    return re.sub(r"\n  /.*", "", text)


def _ensure(path: Path, body: str) -> None:
    """Make ``path`` hold ``body``: write it when missing; when it holds anything else (an edited,
    truncated or unreadable file), warn and replace it, so that what is imported is what the hash
    in its name was computed from. A directory that cannot be written is an OutputError (exit 2)."""
    from .cache import check_usable, warn

    try:
        current = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        current = None
    except OSError:
        current = b""
    if current is not None:
        try:
            ok = _comparable(current.decode("utf-8")) == _comparable(body)
        except UnicodeDecodeError:
            ok = False
        if ok:
            return
    try:
        if current is None:
            _write_once(path, body)
            return
        warn(f"kernel cache: {path.name} did not match the hash in its name (edited or corrupt); rebuilt it")
        _write_replace(path, body)
    except OSError:
        check_usable()  # names the directory and BOUNDCHECK_CACHE_DIR
        raise


def _stat(p: str):
    st = os.stat(p)
    return (st.st_mtime_ns, st.st_size)


def _write_once(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".py", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        try:
            os.link(tmp, path)  # atomic, and never replaces a file another process wrote
        except FileExistsError:
            pass
        except OSError:  # file systems without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".py", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _load(name: str, path: Path) -> types.ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        del sys.modules[name]
        raise
    return mod


__all__ = ["KernelSpec", "Kernel", "build"]
