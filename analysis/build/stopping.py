"""Builds that stop when told: SIGINT and SIGTERM end the build, its workers and their kernels.

:func:`on_signals` turns either signal into :class:`Stopped` in the build's main thread (a
``BaseException``, so no ``except Exception`` swallows it). The main process is the only writer of
chapters (:mod:`analysis.build.execute`) and calls :func:`check` before every write, so nothing is
written once a signal arrived. :func:`kill_descendants` then ends every process the build started,
found through ``/proc`` by parent id (kernels run in sessions of their own, so a process group
would not reach them): pool workers, kernel zygotes, kernels, Jupyter Book and its Sphinx
workers.
"""

from __future__ import annotations

import os
import signal
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
