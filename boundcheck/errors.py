"""The whole exception tree of boundcheck.

    BoundcheckError                      base; every error a user can cause or meet
    +-- UsageError                       exit 2: the input is wrong; message says what and how to fix
    |   +-- UnknownNameError             a registry name not found ("did you mean ...")
    |   +-- ParamError                   a parameter missing, unknown, malformed or out of its domain
    |   +-- SpecSyntaxError              a NAME[k=v,...] spec that does not parse
    |   +-- FormulaError                 a formula (bound, schedule) that does not parse or is unsafe
    |   +-- CatalogueError               a malformed problems/*.toml file (file and line in the message)
    |   +-- SizeError                    a request over the memory or time limit (boundcheck/budget.py)
    |   +-- OutputError                  an output file or cache folder that cannot be written (full disk, ...)
    |   +-- PluginError                  a user plugin (folder *.py or entry point) that cannot be used
    +-- ComputationError                 exit 3: no trustworthy answer could be computed
    |   +-- SolverError                  SDP solver failed or was inaccurate beyond tolerance
    |   +-- CertificateError             a certificate that does not verify
    +-- CertificationError               a constant could not be certified for an instance (a bug or
                                         a parameter choice outside what the construction proves)

A violated bound is not an exception: it is a Verdict. Divergent runs are results, not errors.
"""
from __future__ import annotations


class BoundcheckError(Exception):
    """Base class. ``exit_code`` is what the CLI returns when this escapes a command."""

    exit_code = 1


class UsageError(BoundcheckError):
    exit_code = 2


class UnknownNameError(UsageError):
    def __init__(self, kind: str, name: str, known):
        import difflib

        known = sorted(known)
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        super().__init__(
            f"unknown {kind} {name!r}{hint} (known: {', '.join(known)})"
        )
        self.kind, self.name, self.suggestions = kind, name, close


class ParamError(UsageError):
    pass


class SpecSyntaxError(UsageError):
    pass


class FormulaError(UsageError):
    pass


class CatalogueError(UsageError):
    pass


class SizeError(UsageError):
    """A computation estimated (boundcheck/budget.py) to exceed the memory or time limit."""


class OutputError(UsageError):
    """An output path or a cache folder that cannot be written (boundcheck/atomic.py)."""


class PluginError(UsageError):
    """A plugin file that fails to import, declares its spec badly, or reuses a name: the message
    names the file (and line when known) and the fix (boundcheck/plugins/)."""


class ComputationError(BoundcheckError):
    exit_code = 3


class SolverError(ComputationError):
    pass


class CertificateError(ComputationError):
    pass


class CertificationError(BoundcheckError):
    exit_code = 3
