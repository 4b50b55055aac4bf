"""Executing runs: one task per run, on local processes or a Dask cluster, behind one interface.

A run becomes a :class:`ChapterTask` (its declaration, the template's text, its cache key and the
``data_dir`` the chapter sees). :func:`execute_task` runs anywhere the project's environment is
installed: it recreates, in a private temporary folder, the chapter's folder and the data folder
at the same relative place (so the executed notebook records exactly what a build in place
records), executes the template with papermill in a fresh kernel (:mod:`analysis.pipeline.kernels`)
and returns the normalised notebook and the files the chapter wrote beside it (``downloads/``).
Only the build's main process writes into the chapters folder, each file atomically, and it stops
writing the moment it is told to stop (:mod:`analysis.pipeline.stopping`).

Executors (``concurrent.futures.Executor``): :func:`local_backend` (a process pool, the default)
and :func:`dask_backend` (``distributed.Client(address).get_executor()``). The data reach the
task as a :class:`DataOnDisk` path (local) or a :class:`DataInMemory` bundle scattered once to
every Dask worker, so Dask workers need the environment but not the build folder.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import nbformat

from analysis.i18n import N_
from analysis.literal import markdown_literal
from analysis.pipeline import nofollow, stopping
from analysis.pipeline.cache import cache_key, sha256_file, stored_key
from analysis.pipeline.runs import (
    _ANSI,
    LANGUAGES,
    METADATA_KEY,
    ChapterFailed,
    Run,
    RunsFileError,
    edition_output,
    edition_parameters,
    editions_parameter,
    executes_once,
    template_parameters,
)
from analysis.project import LOCK_FILE

KERNEL_NAME = "python3"


@dataclass
class RunOutcome:
    run: Run
    executed: bool
    duration: float | None = None  # seconds, when executed in this build
    skipped_reason: str | None = None
    cpu_seconds: float | None = None  # CPU of the worker and its kernel, when executed


# --------------------------------------------------------------------------- the executed notebook
def _relative_data_dir(data_dir: Path, output: Path) -> str:
    """``data_dir`` as the chapter sees it: relative to the chapter's folder.

    Relative, so that an executed chapter records no machine-specific path and nbval can
    re-execute it from any clone.
    """
    return os.path.relpath(Path(data_dir).resolve(), output.parent.resolve())


def _scope_figure_labels(nb, run_id: str) -> None:
    """Prefix figure labels with the run id, so one template can run twice in a book.

    A figure named ``fig-x`` in the template (cell metadata ``mystnb.figure.name``) becomes
    ``<run id>-fig-x``; references to it in the notebook's Markdown follow.
    """
    renamed = {}
    for cell in nb.cells:
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        name = figure.get("name")
        if name and not name.startswith(f"{run_id}-"):
            renamed[name] = figure["name"] = f"{run_id}-{name}"
    if not renamed:
        return
    pattern = re.compile(
        r"(\{(?:numref|ref)\}`(?:[^`<]*<)?)(" + "|".join(map(re.escape, renamed)) + r")(>?`)"
    )
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = pattern.sub(
                lambda m: m.group(1) + renamed[m.group(2)] + m.group(3), cell.source
            )


RUN_DETAILS = N_(
    "The parameters, input checksums, commit, package versions and duration of this chapter are "
    "in the appendix, under {link}."
)
RUN_DETAILS_LINK = N_("run details: {run}")


def _in(lang: str, message: str) -> str:
    """``message`` in ``lang`` (the build writes chapters of several editions in one process)."""
    from analysis.i18n import translations

    return translations(lang).gettext(message)


def normalise(nb, run: Run, key: str, data_dir_param: str) -> None:
    """Make an executed notebook deterministic and reader-friendly, in place.

    Drops papermill's timestamps and durations, gives the injected cell a fixed id, removes the
    parameters cells, removes the code of other cells from the page (tag ``remove-input``: readers
    see results; the notebook, code included, is in the page's download menu; a template cell
    tagged ``show-input`` keeps its code visible), titles the chapter from the runs file, links
    the run details.
    """
    nb.metadata[METADATA_KEY] = {
        "run_id": run.id,
        "template": run.template,
        "cache_key": key,
        "parameters": run.parameters,
        "inputs": list(run.inputs),
    }
    if "editions" in nb.metadata.get("papermill", {}).get("parameters", {}):
        nb.metadata[METADATA_KEY]["editions"] = list(run.languages)
    elif run.lang != LANGUAGES[0]:
        nb.metadata[METADATA_KEY]["lang"] = run.lang
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code" and ({"parameters", "injected-parameters"} & set(tags)):
            if "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        elif cell.cell_type == "code" and not {
            "remove-cell",
            "remove-input",
            "hide-input",
            "show-input",
        } & set(tags):
            # Readers see results; the code is one click away (the .ipynb in the download menu).
            cell.metadata["tags"] = [*tags, "remove-input"]
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [
                        _ANSI.sub("", line) for line in output.get("traceback", [])
                    ]
    _scope_figure_labels(nb, run.id)
    title_and_details(nb, run)


def title_and_details(nb, run: Run) -> None:
    """Title the chapter from the runs file and link its run details, in the run's edition
    (in place; again on a chapter already titled, as when an edition is derived from it)."""
    title = f"# {markdown_literal(run.title)}"  # a title from data is text
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is not None and first_md.source.lstrip().startswith("# "):
        lines = first_md.source.lstrip().split("\n")
        first_md.source = "\n".join([title, *lines[1:]])
    else:
        cell = nbformat.v4.new_markdown_cell(title)
        cell["id"] = "chapter-title"
        nb.cells.insert(0, cell)
    details = nbformat.v4.new_markdown_cell(
        "```{seealso}\n"
        + _in(run.lang, RUN_DETAILS).format(
            link=f"{{ref}}`{_in(run.lang, RUN_DETAILS_LINK).format(run=run.id)} <run-details-{run.id}>`"
        )
        + "\n```"
    )
    details["id"] = "run-details-link"
    details.metadata["tags"] = ["run-details"]
    nb.cells = [c for c in nb.cells if "run-details" not in c.metadata.get("tags", [])] + [details]


def _template_cell_number(executed: Path, template: Path) -> int | None:
    """1-based number, in the template, of the cell that raised (found by its cell id).

    Papermill adds its own cells to the executed notebook (injected parameters, error
    banners), so its index is not what the reader of the template sees.
    """
    try:
        failed = [
            c.get("id")
            for c in nbformat.read(executed, as_version=4).cells
            if any(o.get("output_type") == "error" for o in c.get("outputs", []))
        ]
        ids = [c.get("id") for c in nbformat.read(template, as_version=4).cells]
        return ids.index(failed[0]) + 1
    except Exception:  # unreadable notebook or no error output: say "unknown cell"
        return None


# --------------------------------------------------------------------------- data for a task
@dataclass(frozen=True)
class DataOnDisk:
    """The data directory, readable by the worker at this path (local processes)."""

    path: str

    def materialise(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(self.path, target_is_directory=True)


@dataclass(frozen=True)
class DataInMemory:
    """Every file of the data directory as bytes, by relative path (sent to remote workers)."""

    files: dict = field(hash=False)

    @classmethod
    def read(cls, data_dir: Path) -> DataInMemory:
        root = Path(data_dir)
        return cls(
            {
                p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*"))
                if p.is_file()
            }
        )

    def materialise(self, target: Path) -> None:
        for name, content in self.files.items():
            path = target / PurePosixPath(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


# --------------------------------------------------------------------------- one task
@dataclass(frozen=True)
class ChapterTask:
    """Everything a worker needs to execute one run, without the build folder."""

    run: Run
    template_source: str  # the template notebook's text
    key: str  # cache key, recorded in the chapter
    data_dir_param: str  # ``data_dir`` as the chapter sees it (relative to its folder)
    kernel: str = (
        "prewarmed"  # "prewarmed" (analysis.pipeline.kernels) or "plain" (papermill's own)
    )


@dataclass(frozen=True)
class ExecutedChapter:
    """What a task returns: the chapter, the files it wrote beside it, its costs."""

    run_id: str
    notebook: str  # the normalised executed notebook (JSON text)
    files: dict  # relative path beside the chapter -> bytes (e.g. downloads/x.csv)
    seconds: float
    cpu_seconds: float  # of the kernel and the worker, measured in the worker


def _geometry(root: Path, data_dir_param: str) -> tuple[Path, Path]:
    """A chapter folder and a data folder under ``root`` placed as ``data_dir_param`` says."""
    parts = PurePosixPath(data_dir_param).parts
    ups = 0
    while ups < len(parts) and parts[ups] == "..":
        ups += 1
    rest = parts[ups:] or ("data",)
    chapter_dir = root.joinpath(*[f"up{i}" for i in range(ups)]) if ups else root / "here"
    data_dir = root.joinpath(*rest) if ups else chapter_dir.joinpath(*rest)
    chapter_dir.mkdir(parents=True, exist_ok=True)
    return chapter_dir, data_dir


def _cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system + usage.children_user + usage.children_system


def execute_task(task: ChapterTask, data) -> ExecutedChapter:
    """Execute one run in a private folder; return the chapter. Raises ChapterFailed.

    Runs in a worker process (local pool or Dask worker); writes nothing outside its own
    temporary folder, which it removes.
    """
    import shutil

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.pipeline import kernels

    run = task.run
    root = Path(tempfile.mkdtemp(prefix=f"chapter-{run.id}-"))
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    try:
        chapter_dir, data_dir = _geometry(root, task.data_dir_param)
        data.materialise(data_dir)
        template = root / "template.ipynb"
        template.write_text(task.template_source, encoding="utf-8")
        executed = chapter_dir / "chapter.ipynb"
        engine = {}
        if task.kernel == "prewarmed":
            engine["kernel_manager_class"] = kernels.ForkingKernelManager
        try:
            papermill.execute_notebook(
                str(template),
                str(executed),
                parameters={
                    "data_dir": task.data_dir_param,
                    **run.parameters,
                    **runner_parameters(run, template_parameters(template)),
                },
                kernel_name=KERNEL_NAME,
                cwd=str(chapter_dir),
                progress_bar=False,
                log_output=False,
                **engine,
            )
        except PapermillExecutionError as exc:
            cell = _template_cell_number(executed, template)
            traceback = _ANSI.sub("", "\n".join(exc.traceback or []))
            raise ChapterFailed(
                run.id, run.template, cell, f"{exc.ename}: {exc.evalue}", traceback
            ) from None
        except Exception as exc:  # kernel died, notebook unreadable, ...
            raise ChapterFailed(
                run.id, run.template, None, f"{type(exc).__name__}: {exc}", ""
            ) from None
        nb = nbformat.read(executed, as_version=4)
        normalise(nb, run, task.key, task.data_dir_param)
        files = {
            p.relative_to(chapter_dir).as_posix(): p.read_bytes()
            for p in sorted(chapter_dir.rglob("*"))
            if p.is_file() and p != executed and not p.name.startswith(".")
        }
        return ExecutedChapter(
            run.id,
            nbformat.writes(nb) + "\n",
            files,
            time.perf_counter() - started,
            _cpu_seconds() - cpu_started,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def runner_parameters(run: Run, declared: dict) -> dict:
    """The parameters the runner gives a template besides ``data_dir``: every edition of the run
    (``editions="en,id"``) and its texts per edition (``{"en": ..., "id": ...}``) to a template
    executed once, the run's edition (``lang``) to an old-style one."""
    if "editions" in declared:
        return {"editions": editions_parameter(run), **edition_parameters(run, declared)}
    if "lang" in declared:
        return {"lang": run.lang}
    return {}


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and os.replace (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.writing")
    try:
        nofollow.write_new(temporary, content)  # a link planted there is removed, not followed
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def file_target(output: Path, run: Run, name: str) -> Path:
    """Where a file the kernel made (``name``, relative to the chapter) is written: beside the
    chapter, except another edition's file of a chapter executed once (``<lang>/...``), which goes
    beside that edition's chapter (``chapters/<lang>/...``, :func:`edition_output`)."""
    head, _, rest = name.partition("/")
    if rest and head in run.languages[1:] and executes_once(run):
        root = Path(output)
        for _part in PurePosixPath(run.output).parts:
            root = root.parent
        return root / PurePosixPath(edition_output(run.output, head)).parent / rest
    return Path(output).parent / PurePosixPath(name)


def write_chapter(chapter: ExecutedChapter, output: Path, run: Run) -> None:
    """Write an executed chapter and the files it made (each atomically, see :func:`file_target`)."""
    for name, content in chapter.files.items():
        write_atomically(file_target(output, run, name), content)
    write_atomically(output, chapter.notebook.encode("utf-8"))


# --------------------------------------------------------------------------- executors
@dataclass
class Backend:
    """An executor and the way data reach its workers; the runner sees nothing else."""

    executor: Executor
    share: object  # callable: data_dir -> object with materialise(target), passed to each task
    workers: int
    name: str
    close: object = None  # callable run after the executor shut down

    def shutdown(self, cancel: bool = False) -> None:
        """Wait for the executor's work, or (``cancel``) drop what is queued and return at once."""
        if isinstance(self.executor, ProcessPoolExecutor):
            self.executor.shutdown(wait=not cancel, cancel_futures=True)
        else:  # distributed's ClientExecutor: wait=False cancels its futures
            self.executor.shutdown(wait=not cancel)
        if self.close:
            self.close()


def _warm_worker(build_pid: int | None = None) -> None:
    """Pool initializer: start the worker's kernel zygote now, not with the first run.

    A worker leaves stopping to the build's main process: it ignores the terminal's Ctrl-C
    (which reaches the whole process group) and dies at once on SIGTERM, and with the build
    (``build_pid``) however that ends.
    """
    import signal

    from analysis.pipeline import kernels

    if build_pid is not None:
        stopping.die_with_parent(build_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    kernels.zygote()


def local_backend(jobs: int | None, pending: int) -> Backend:
    workers = max(1, min(jobs or os.cpu_count() or 1, pending))
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_warm_worker, initargs=(os.getpid(),)
    )
    return Backend(
        pool, lambda data_dir: DataOnDisk(str(Path(data_dir).resolve())), workers, "local"
    )


def dask_backend(address: str) -> Backend:
    """Runs on the Dask scheduler at ``address``; the data are scattered once to every worker."""
    from distributed import Client

    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise RunsFileError(
            f"--scheduler {address}: cannot reach the Dask scheduler ({type(exc).__name__}: {exc})"
        ) from None
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def share(data_dir):
        return client.scatter(DataInMemory.read(Path(data_dir)), broadcast=True, hash=False)

    return Backend(client.get_executor(pure=False), share, workers, f"dask {address}", client.close)


# --------------------------------------------------------------------------- the runs
def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_task(run: Run, key: str, data_dir: Path, output: Path, kernel: str) -> ChapterTask:
    data_dir_param = os.path.relpath(Path(data_dir).resolve(), output.parent.resolve())
    source = run.template_path.read_text(encoding="utf-8")
    return ChapterTask(run, source, key, Path(data_dir_param).as_posix(), kernel)


def execute_runs(
    runs: list[Run],
    data_dir: Path,
    chapters_root: Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    scheduler: str | None = None,
    kernel: str = "prewarmed",
) -> list[RunOutcome]:
    """Execute every run whose cache key changed (all with ``force``); write their chapters.

    ``chapters_root`` is the folder that run outputs are relative to (``book/`` for the shipped
    book). Local processes (``jobs`` at a time) unless ``scheduler`` names a Dask scheduler.
    Prints progress. Raises ChapterFailed for the first failing run (the others finish), and
    stopping.Stopped on SIGINT/SIGTERM (workers and kernels stopped, nothing more written).
    """
    lock = sha256_file(LOCK_FILE) if LOCK_FILE.exists() else ""
    outcomes: dict[str, RunOutcome] = {}
    pending: list[tuple[Run, str]] = []
    for run in runs:
        key = cache_key(run, data_dir, lock=lock)
        if not force and stored_key(Path(chapters_root) / run.output) == key:
            outcomes[run.id] = RunOutcome(run, executed=False)
        else:
            pending.append((run, key))
    total = len(pending)
    _progress(
        f"chapters: {len(runs)} runs, {len(runs) - total} up to date, {total} to execute"
        + (f" on {scheduler}" if scheduler and pending else "")
    )
    if pending:
        backend = dask_backend(scheduler) if scheduler else local_backend(jobs, total)
        _run_on(backend, pending, Path(data_dir), Path(chapters_root), kernel, outcomes)
    return [outcomes[run.id] for run in runs]


def _run_on(backend, pending, data_dir, chapters_root, kernel, outcomes) -> None:
    failure: ChapterFailed | None = None
    done, total = 0, len(pending)
    cancel = True
    try:
        data = backend.share(data_dir)
        futures = {}
        for run, key in pending:
            output = chapters_root / run.output
            task = make_task(run, key, data_dir, output, kernel)
            futures[backend.executor.submit(execute_task, task, data)] = (run, output)
        running = set(futures)
        while running:
            finished, running = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                run, output = futures[future]
                done += 1
                try:
                    chapter = future.result()
                except ChapterFailed as exc:
                    failure = failure or exc
                    _progress(f"  [{done}/{total}] {run.id} FAILED")
                    continue
                stopping.check()  # told to stop: write nothing more
                write_chapter(chapter, output, run)
                outcomes[run.id] = RunOutcome(
                    run, executed=True, duration=chapter.seconds, cpu_seconds=chapter.cpu_seconds
                )
                _progress(
                    f"  [{done}/{total}] {run.id} done in {chapter.seconds:.1f} s "
                    f"({len(running)} still running or queued)"
                )
        cancel = False
    finally:
        backend.shutdown(cancel=cancel)
    if failure is not None:
        raise failure
