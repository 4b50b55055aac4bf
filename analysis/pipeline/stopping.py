"""Builds that stop when told: SIGINT and SIGTERM end the build, its workers and their kernels.

:func:`on_signals` turns either signal into :class:`Stopped` in the build's main thread (a
``BaseException``, so no ``except Exception`` swallows it). The main process is the only writer of
chapters (:mod:`analysis.pipeline.execute`) and calls :func:`check` before every write, so nothing is
written once a signal arrived. :func:`kill_descendants` then ends every process the build started,
found through ``/proc`` by parent id (kernels run in sessions of their own, so a process group
would not reach them): pool workers, kernel zygotes, kernels, Jupyter Book and its Sphinx
workers.

A build killed outright (``kill -9``) cannot do that; so every process it starts watches its
parent (:func:`die_with_parent`, Linux's ``PR_SET_PDEATHSIG``): a pool worker dies with the build,
a kernel zygote with its worker, a kernel with its zygote, and Jupyter Book runs under
:func:`guarded`, a small watcher that ends Jupyter Book's whole process group (LaTeX included)
when the build is gone. Within a second of the build's death none of them is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_requested: int | None = None


class Stopped(BaseException):
    """The build was told to stop (SIGINT or SIGTERM)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def check() -> None:
    """Raise Stopped if a stop signal arrived (call before writing anything)."""
    if _requested is not None:
        raise Stopped(_requested)


@contextmanager
def on_signals():
    """Within the block, SIGINT and SIGTERM raise Stopped (once; later signals are ignored)."""
    global _requested

    def handler(signum, frame):
        global _requested
        if _requested is not None:
            return
        _requested = signum
        raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
        _requested = None


def children_by_parent() -> dict[int, list[int]]:
    """``{parent pid: [child pids]}`` for every process visible in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: the fields after it are fixed
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int | None = None) -> list[int]:
    """Every process descended from ``pid`` (default: this process), parents before children."""
    tree, found, queue = children_by_parent(), [], [pid or os.getpid()]
    while queue:
        for child in tree.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def kill_descendants() -> int:
    """Stop, then SIGKILL, every descendant of this process; return how many.

    All are frozen first (SIGSTOP, repeated until no new one appears) so that none can start
    another process, or be re-parented out of reach, while the others are being killed.
    """
    frozen: list[int] = []
    for _ in range(50):
        fresh = [p for p in descendants() if p not in frozen]
        if not fresh:
            break
        for pid in fresh:
            _signal(pid, signal.SIGSTOP)
            frozen.append(pid)
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    for pid in frozen:  # reap this process's own children so none is left as a zombie
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    return len(frozen)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------- watching the parent
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int, signum: int = signal.SIGKILL) -> bool:
    """Have the system send ``signum`` to this process when its parent ``parent`` ends.

    Call it first thing in a child process. The parent may have ended before the call; the
    process then has another parent already, and exits at once. Returns False where the system
    has no such watch (not Linux): the child then relies on :func:`kill_descendants` alone.
    """
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    if prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # the parent ended before the watch began
        os._exit(1)
    return True


def guarded(command: list[str]) -> list[str]:
    """``command`` run under a watcher that ends its whole process group when this process
    ends, however it ends (for a command that starts processes of its own: Jupyter Book, LaTeX).
    """
    return [sys.executable, "-m", "analysis.pipeline.stopping", str(os.getpid()), "--", *command]


def _guard(parent: int, command: list[str]) -> int:  # pragma: no cover - the watcher process
    """The watcher: run ``command`` in a process group of its own; end the group (SIGKILL) when
    the parent ends (PR_SET_PDEATHSIG sends SIGTERM here) or the watcher is told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build decides what a Ctrl-C stops
    child: subprocess.Popen | None = None

    def end(signum, frame):
        if child is not None:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, end)
    die_with_parent(parent, signal.SIGTERM)
    child = subprocess.Popen(command, start_new_session=True)
    return child.wait()


if __name__ == "__main__":  # python -m analysis.pipeline.stopping PARENT -- COMMAND...
    sys.exit(_guard(int(sys.argv[1]), sys.argv[3:]))
