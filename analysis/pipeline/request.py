"""What a build is asked to do: one :class:`BuildRequest`, made by the command line
(:func:`analysis.pipeline.cli.build_request`) or by a program (``benchmarks/run.py``), and given
to :func:`analysis.pipeline.book.build`.

The pipeline: command line -> BuildRequest -> plan (:mod:`analysis.pipeline.plan`) -> execute
(:mod:`analysis.pipeline.runner`) -> publish (:mod:`analysis.pipeline.publish`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.project import RUNS_FILE


@dataclass(frozen=True)
class BuildRequest:
    """A build of the book: every choice ``python -m analysis build`` offers, with its default.

    ``html`` and ``pdf`` say which books are rendered (``--no-book``: neither; ``--only-pdf``:
    the PDF alone); ``languages`` empty means every edition (English alone with ``areas``).
    ``runs_file`` is the runs file read for the shipped data (tests give their own).
    """

    data_dir: Path | None = None  # None: the shipped data/
    out_dir: Path | None = None  # None: _build/
    languages: tuple[str, ...] = ()
    html: bool = True
    pdf: bool = False
    strict: bool = False
    force: bool = False
    jobs: int | None = None
    areas: str | None = None
    scheduler: str | None = None
    runs_file: Path = RUNS_FILE

    def arguments(self) -> list[str]:
        """The arguments of ``python -m analysis build`` that ask for this build (the inverse of
        :func:`analysis.pipeline.cli.build_request`). ValueError for what the command line
        cannot say (another runs file)."""
        if Path(self.runs_file) != RUNS_FILE:
            raise ValueError(f"{self.runs_file}: the command line reads only {RUNS_FILE}")
        args: list[str] = []
        for flag, value in (
            ("--data", self.data_dir),
            ("--out", self.out_dir),
            ("--jobs", self.jobs),
            ("--areas", self.areas),
            ("--scheduler", self.scheduler),
        ):
            if value is not None:
                args += [flag, str(value)]
        for lang in self.languages:
            args += ["--lang", lang]
        if self.force:
            args.append("--force")
        if self.strict:
            args.append("--strict")
        if not self.html:
            args.append("--only-pdf" if self.pdf else "--no-book")
        elif self.pdf:
            args.append("--pdf")
        return args
