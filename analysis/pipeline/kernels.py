"""Fresh kernels without the start-up cost: forked from a zygote that imported the libraries once.

A plain papermill run starts ``python -m ipykernel_launcher`` (about 0.7 s) and the chapter's
first cell then imports pandas, matplotlib, seaborn, statsmodels and scipy (about 1.6 s). Here
each worker process keeps one *zygote*: a small Python process that has imported ipykernel and
those libraries and nothing else (it never runs notebook code and holds no socket). Every run
asks it to ``fork``: the child becomes the run's own kernel process, with the run's working
folder and environment, re-seeded random generators and its own new session, and is served to
papermill through jupyter_client's provisioner interface. So each run still gets a fresh kernel
of its own, no state passes between runs (a child starts from the zygote's state, which only
imported modules), and the imports cost copy-on-write pages instead of CPU seconds.

The project's own ``analysis`` package is not pre-imported: each kernel imports it from source,
so an edited module is always the one a chapter sees.

Kernels talk over IPC sockets in the run's private folder (no "running over TCP without
encryption" warnings; nothing listens on the network).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

#: Imported once by the zygote (third-party only; see the module docstring).
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "nbformat",
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# --------------------------------------------------------------------------- the zygote process
def _serve(parent: int | None = None) -> None:  # pragma: no cover - runs in the zygote process
    """The zygote: import PRELOAD, then fork one kernel per request line read from stdin.

    It dies with ``parent`` (its worker process); each kernel dies with the zygote.
    """
    import importlib
    import warnings

    from analysis.pipeline.stopping import die_with_parent

    if parent is not None:
        die_with_parent(parent)

    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # what ipykernel sets for its kernels
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in PRELOAD:
            importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    replies.write(b"ready\n")
    replies.flush()
    for line in requests:
        request = json.loads(line)
        zygote_pid = os.getpid()
        pid = os.fork()
        if pid == 0:
            die_with_parent(zygote_pid)
            _become_kernel(request)  # never returns
        replies.write(f"{pid}\n".encode())
        replies.flush()


def _become_kernel(request: dict) -> None:  # pragma: no cover - runs in the forked child
    """In the forked child: become a fresh ipykernel for one run, then exit."""
    code = 1
    try:
        os.setsid()  # like jupyter_client's kernels: a terminal's Ctrl-C goes to the build only
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)  # the zygote's stdout is its reply pipe
        os.close(devnull)
        sys.stdin = open(os.devnull)  # noqa: SIM115
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        sys.path[0] = ""  # as ``python -m ipykernel_launcher`` has it
        import random

        import numpy

        random.seed()
        numpy.random.seed()
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(request["argv"][1:])
        app.start()
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


class Zygote:
    """Handle on one zygote process (one per worker process)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"from analysis.pipeline.kernels import _serve; _serve({os.getpid()})",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        if self.process.stdout.readline().strip() != b"ready":
            raise RuntimeError("the kernel zygote did not start")

    def fork(self, argv: list[str], cwd: str, env: dict) -> int:
        request = {"argv": argv, "cwd": cwd, "env": env}
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def alive(self) -> bool:
        return self.process.poll() is None


_zygote: Zygote | None = None


def zygote() -> Zygote:
    """This process's zygote, started on first use (and again if it died)."""
    global _zygote
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote()
    return _zygote


# --------------------------------------------------------------------------- jupyter_client side
class ForkedProcess:
    """The part of ``subprocess.Popen`` that jupyter_client uses, for a kernel forked elsewhere."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernel is forked by the zygote instead of started by Popen."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        env = dict(kwargs.get("env") or os.environ)
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        # cmd is [python, -m, ipykernel_launcher, -f, connection_file, ...]
        start = cmd.index("ipykernel_launcher") if "ipykernel_launcher" in cmd else 2
        argv = ["ipykernel_launcher", *cmd[start + 1 :]]
        pid = zygote().fork(argv, cwd, env)
        self.process = ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, pid, cwd
        return self.connection_info


class ForkingKernelManager(AsyncKernelManager):
    """The kernel manager papermill is given (``kernel_manager_class``): forked kernels on IPC.

    The IPC socket files go in the run's working folder (hidden names), which is private to the
    run (:func:`analysis.pipeline.execute.execute_task`).
    """

    async def _async_interrupt_kernel(self) -> None:
        """No interrupt on the way out: jupyter_client interrupts a kernel before asking it to
        shut down, and a kernel interrupted between two messages logs "KeyboardInterrupt caught
        in kernel" into the build's output. A run's kernel is idle when it is shut down; the
        shutdown request ends it (or, failing that, jupyter_client kills it)."""
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    async def _async_pre_start_kernel(self, **kw):
        self.transport = "ipc"
        self.ip = os.path.join(str(kw.get("cwd") or os.getcwd()), ".kernel-ipc")
        if self.provisioner is None:
            self.kernel_id = kw.pop("kernel_id", None) or self.kernel_id or str(uuid.uuid4())
            kw["kernel_id"] = self.kernel_id
            self.provisioner = ForkingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)
