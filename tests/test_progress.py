"""Progress (issue 17): a bar on a terminal, nothing in a pipe. Each command runs twice as a real
process: stderr on a pseudo-terminal (the pty module) shows the bar; stderr on a pipe is empty
(warnings and errors only, and there are none)."""
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import textwrap

import pytest

from test_verify import T01

# the CLI in a fresh process; PRE may shrink a size threshold (run: the engine reports progress only
# above _PROGRESS_MIN_WORK coordinate-steps, minutes of work; 0 makes a short run report it)
LAUNCH = "import sys{pre}; from boundcheck.cli import main; sys.exit(main(sys.argv[1:]))"


def _cmd(args, pre=""):
    return [sys.executable, "-c", LAUNCH.format(pre=pre), *args]


def _env(tmp_path):
    env = dict(os.environ, NUMBA_NUM_THREADS="1", BOUNDCHECK_SWEEP_CACHE=str(tmp_path / "sweeps"), COLUMNS="120")
    env.pop("BOUNDCHECK_PROGRESS", None)
    return env


def _on_tty(args, env, pre="") -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal; returns (exit code, stdout, what the terminal saw)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a 120-column terminal
    p = subprocess.Popen(_cmd(args, pre), stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
                         env=env)
    os.close(slave)
    seen = bytearray()
    while True:
        r, _, _ = select.select([master], [], [], 1.0)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif p.poll() is not None:
            break
    out = p.stdout.read().decode()
    p.wait(timeout=300)
    os.close(master)
    return p.returncode, out, seen.decode(errors="replace")


def _in_pipe(args, env, pre="") -> subprocess.CompletedProcess:
    return subprocess.run(_cmd(args, pre), capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    d = tmp_path_factory.mktemp("prog")
    (d / "t01.toml").write_text(textwrap.dedent(T01.format(id="T01-gd-tight", bound="L*R^2/(4*N*h + 2)",
                                                           expected="PASS")))
    return d


CASES = {
    "verify": (lambda cat: ["verify", "--problems", str(cat), "--all"], "verify:", "s (est.)", ""),
    "sweep": (lambda cat: ["sweep", "--problems", str(cat), "--claim", "T01-gd-tight", "--grid", "L=1,2",
                           "--no-cache"], "sweep:", "task", ""),
    "certify": (lambda cat: ["certify", "gd[h=1]", "--function", "smooth-convex[L=1]", "--N", "4", "--exact",
                             "--out", str(cat / "certs")], "certify", "round", ""),
    "run": (lambda cat: ["run", "gd[h=1]", "--function", "smooth-convex[L=1,d=10]", "--steps", "2000",
                         "--runs", "64"], "run:", "%", "; import boundcheck.engine.api as a; a._PROGRESS_MIN_WORK = 0"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_progress_on_a_terminal_and_silence_in_a_pipe(name, catalogue, tmp_path):
    args, head, unit, pre = CASES[name]
    env = _env(tmp_path)
    rc, out, tty = _on_tty(args(catalogue), env, pre)
    assert rc == 0, out + tty
    assert head in tty and unit in tty, tty[-2000:]
    assert "\r" in tty  # redrawn in place
    assert head not in out and "\r" not in out  # stdout stays clean
    p = _in_pipe(args(catalogue), env, pre)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stderr == ""
    assert p.stdout.strip()


def test_progress_can_be_turned_off_on_a_terminal(catalogue, tmp_path):
    env = dict(_env(tmp_path), BOUNDCHECK_PROGRESS="0")
    rc, out, tty = _on_tty(CASES["verify"][0](catalogue), env)
    assert rc == 0 and tty == "", tty


class _Tty:
    """A stream that says it is a terminal and keeps what is written."""

    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_weighted_bar_advances_by_each_claims_estimate():
    from boundcheck.report.progress import Bar

    stream = _Tty()
    bar = Bar("verify", unit="claim", stream=stream)
    bar.weigh([1.0, 3.0], "s (est.)")
    seen = []
    for msg in ("[1/2] A (mc): N=5", "[1/2] A: PASS (0.1 s)", "[2/2] B (pep): N=10", "[2/2] B: FAIL (2.0 s)"):
        bar.message(msg)
        seen.append(bar.bar.n)
    assert seen == [0, 1.0, 1.0, 4.0] and bar.bar.total == 4.0
    bar.close()
    assert "verify" in stream.text and "s (est.)" in stream.text


def test_sweep_messages_count_finished_tasks():
    from boundcheck.report.progress import Bar

    bar = Bar("sweep", unit="task", stream=_Tty(), reports_done=True)
    bar.message("[1/3] T07 noise.alpha=1.3: PASS")
    assert bar.bar.n == 1 and bar.bar.total == 3
    bar.close()


def test_no_bar_off_a_terminal():
    import io

    from boundcheck.report.progress import Bar

    stream = io.StringIO()
    bar = Bar("verify", unit="claim", stream=stream)
    bar.weigh([1.0], "s")
    bar.message("[1/1] A: PASS (0.1 s)")
    bar.fraction(0.5)
    bar.step("x")
    bar.close()
    assert not bar.active and stream.getvalue() == ""
