"""Progress bars for the commands: on a terminal only, silent otherwise.

Library code never prints; it takes a callback. The commands build one of these and pass its
methods down:

* ``Bar.message(msg)``: the text callbacks of verify and sweep. A message starting ``[i/n]``
  moves the bar to item i of n (claims, tasks); the rest of the text is shown beside it (the
  claim, its engine, the current N or grid value);
* ``Bar.fraction(f)``: the engine's fraction-done callback (``run``);
* ``Bar.step(text)``: one more unit of a counted task (``certify``: cutting-plane rounds, then
  the exact check).

tqdm estimates the remaining time from the rate so far (shown as ``<mm:ss``); ``verify`` weighs each
claim by the cost model's estimate of its time (report/eta.py), so the time left accounts for
the claims still to come being cheap or expensive. When stderr is not
a terminal (CI logs, pipes, files), nothing is written: stderr then carries warnings and errors
only. ``BOUNDCHECK_PROGRESS=0`` turns the bars off on a terminal too.
"""
from __future__ import annotations

import os
import re
import shutil
import sys

_ITEM = re.compile(r"^\[(\d+)/(\d+)\]\s*")


def enabled(stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("BOUNDCHECK_PROGRESS", "").strip() in ("0", "no", "off", "false"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class Bar:
    """A tqdm bar on ``stream`` (stderr) when it is a terminal; otherwise every method does nothing."""

    def __init__(self, desc: str, total: float | None = None, unit: str = "it", stream=None,
                 reports_done: bool = False):
        """``reports_done``: a message "[i/n] ..." says i items are done (sweep); otherwise item i is
        under way until its message ends with its time, "(x s)" (verify)."""
        self.stream = stream if stream is not None else sys.stderr
        self.reports_done = reports_done
        self.bar = None
        self.cumulative = None  # weighted items: cumulative[i] = the weight of the first i items
        if enabled(self.stream):
            from tqdm import tqdm

            width = shutil.get_terminal_size((100, 24)).columns  # a terminal that reports no size: 100
            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, leave=False, ncols=width,
                            bar_format="{desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} "
                                       "[{elapsed}<{remaining}] {postfix}" if total is not None else None)

    @property
    def active(self) -> bool:
        return self.bar is not None

    def weigh(self, weights, unit: str) -> None:
        """Count items by weight (e.g. the cost model's estimated seconds per claim, in order): the
        bar then advances by each item's weight, and tqdm's time left is the remaining weight at
        the rate observed so far."""
        if self.bar is None or not weights:
            return
        self.cumulative = [0.0]
        for w in weights:
            self.cumulative.append(self.cumulative[-1] + float(w))
        self.bar.total = round(self.cumulative[-1], 1)
        self.bar.unit = unit

    def message(self, msg: str) -> None:
        if self.bar is None:
            return
        m = _ITEM.match(msg)
        if m:
            i, n = int(m.group(1)), int(m.group(2))
            done = i if self.reports_done or msg.rstrip().endswith(" s)") else i - 1  # "... (x s)" ends item i
            if self.cumulative is not None and len(self.cumulative) == n + 1:
                self.bar.n = max(self.bar.n, round(self.cumulative[min(done, n)], 1))
            else:
                if self.bar.total != n:
                    self.bar.total = n
                self.bar.n = max(self.bar.n, min(done, n))
            msg = msg[m.end():]
        self.bar.set_postfix_str(msg[:70], refresh=False)
        self.bar.refresh()

    __call__ = message

    def fraction(self, f: float) -> None:
        if self.bar is None:
            return
        if self.bar.total != 100:
            self.bar.total = 100
        self.bar.n = round(100 * min(max(f, 0.0), 1.0))
        self.bar.refresh()

    def step(self, text: str = "", n: int = 1) -> None:
        if self.bar is None:
            return
        if self.bar.total is not None and self.bar.n + n > self.bar.total:
            self.bar.total = self.bar.n + n
        self.bar.update(n)
        if text:
            self.bar.set_postfix_str(text[:70])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


__all__ = ["Bar", "enabled"]
