"""``python -m analysis build``: data → executed chapters → Jupyter Book HTML (and PDF).

Order: validate the data (stop on bad data, exit 2), check the runs file and every run's
parameters (exit 2), execute stale runs with papermill (exit 1 naming the chapter and cell on
failure), write ``results.json`` and the provenance appendix, build the book with Jupyter Book
into a temporary folder and swap it in only on success (a failed build keeps the last good book).
With ``--pdf`` the PDF is built first and the HTML after it, carrying the PDF as ``book.pdf``
and linking it from every page (``POVERTY_BOOK_PDF``, read by ``book/_ext/reader.py``).

The shipped book executes into ``book/chapters/`` (the committed nbval references). A build with
``--data DIR`` never touches them: it copies the book's sources into ``OUT/source/``, executes the
runs whose inputs DIR has, and builds ``OUT/html``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analysis.pipeline import durations as timings
from analysis.pipeline import editions, nofollow, plan, runner
from analysis.pipeline.editions import EditionsDisagree, check_editions_agree
from analysis.pipeline.jupyterbook import BookFailed
from analysis.pipeline.layout import (
    PDF_NAMES,
    SOURCE_LANGUAGE,
    edition_layout,
    shipped_layout,
    staged_layout,
)
from analysis.pipeline.nofollow import LinkFound
from analysis.pipeline.pages import edition_markdown, provenance_markdown, studies_markdown
from analysis.pipeline.provenance import git_commit, package_versions
from analysis.pipeline.publish import Staged, place_pdfs, publish, swap_all
from analysis.pipeline.replication import replication_markdown
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.runner import ChapterFailed, Run, RunsFileError
from analysis.pipeline.safety import (
    MADE_BY_THE_TOOL,
    BuildBusy,
    OutRefused,
    PersonalDataPublished,
    build_lock,
    check_out_dir,
    gate_personal_data,
    prepare_out_dir,
    refuse_links_in_out,
    write_failure,
)
from analysis.pipeline.summary import summary_markdown
from analysis.project import (
    BUILD_DIR,
    DATA_DIR,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    PROJECT_ROOT,
)

DEFAULT_DATA = DATA_DIR
DEFAULT_OUT = BUILD_DIR


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data checks
def check_data(data_dir: Path) -> bool:
    """Validate the data directory; print every problem. True when the build may go on."""
    from analysis.data.validate import validate_directory

    report = validate_directory(data_dir)
    text = report.summary()
    if text.strip():
        _say(text)
    return report.ok


def missing_inputs(run: Run, data_dir: Path) -> list[str]:
    return [name for name in run.inputs if not (Path(data_dir) / name).is_file()]


# --------------------------------------------------------------------------- provenance
def _durations_file(out_dir: Path) -> Path:
    return Path(out_dir) / "runs.json"


def record_durations(
    outcomes: list[runner.RunOutcome], out_dir: Path, staged: Staged | None = None
) -> dict:
    """Keep each executed run's duration in the build folder (never in the committed chapter).

    With ``staged``, ``runs.json`` is staged to be moved in with the rest of a good build.
    """
    path = _durations_file(out_dir)
    try:
        known = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        known = {}
    for outcome in outcomes:
        if outcome.executed:
            known[outcome.run.id] = {"duration_s": round(outcome.duration or 0.0, 2)}
    text = json.dumps(known, indent=2, sort_keys=True)
    if staged is not None:
        staged.write(path, text)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return known


# --------------------------------------------------------------------------- main
@dataclass(frozen=True)
class PlannedBuild:
    """A request once its folders, data and runs are checked: what :func:`_build_locked`
    executes and publishes (``data_dir`` and ``out_dir`` resolved, ``languages`` English first,
    ``custom`` for a book staged in OUT/source rather than the shipped chapters)."""

    runs: list[Run]
    toc: dict
    extra_parts: list[dict]
    skipped: dict[str, str]
    data_dir: Path
    out_dir: Path
    custom: bool
    languages: list[str]
    started: float


def build(request: BuildRequest) -> Path:
    """Build the book ``request`` asks for, in its languages (default: every edition; English
    alone with ``areas``, whose atlas has no translation); return the build folder.

    Raises RunsFileError, DataInvalid, OutRefused, BuildBusy, PersonalDataPublished (exit 2),
    ChapterFailed, BookFailed (exit 1).
    """
    started = time.perf_counter()
    languages = check_languages(list(request.languages), request.areas)
    areas, runs_file = request.areas, request.runs_file
    data_dir = request.data_dir
    custom = data_dir is not None and Path(data_dir).resolve() != DEFAULT_DATA.resolve()
    data_dir = Path(data_dir or DEFAULT_DATA).resolve()
    out_dir = Path(request.out_dir or DEFAULT_OUT).resolve()
    check_out_dir(out_dir, data_dir)
    refuse_links_in_out(out_dir)
    derived = custom and data_dir.is_dir() and plan.has_registry(data_dir)
    if not derived:  # the runs file is checked before the data, as before there was a registry
        runs, toc = _checked_plan(data_dir, custom, runs_file)
    if not data_dir.is_dir():
        raise DataInvalid(f"{data_dir}: data directory not found")
    if not check_data(data_dir):
        raise DataInvalid(
            f"{data_dir}: the data are not valid (problems above); nothing was executed"
        )
    if derived:  # the registry is read once it is known to be valid
        runs, toc = _checked_plan(data_dir, custom, runs_file)
    extra_parts = []
    if areas:  # the atlas: a separate (staged) book with a part of its own
        from analysis.pipeline import atlas

        atlas_runs = atlas.atlas_runs(areas, data_dir, Path(runs[0].templates_dir))
        runner.check_parameters(atlas_runs[0], runs_file)  # all alike: one check stands for all
        runs += atlas_runs
        extra_parts.append(atlas.toc_part(atlas_runs, areas))
        custom = True
    skipped = {}
    for run in runs:
        absent = missing_inputs(run, data_dir)
        if absent:
            skipped[run.id] = (
                f"its input{'s' if len(absent) > 1 else ''} {', '.join(absent)} not in {data_dir}"
            )
    skipped.update({k: v for k, v in plan.skip_reasons(runs, data_dir).items() if k not in skipped})
    if skipped and not custom:
        first = next(iter(skipped))
        raise DataInvalid(f"{data_dir}: run '{first}' cannot run: {skipped[first]}")
    for run_id, reason in skipped.items():
        _say(f"skipping chapter '{run_id}': {reason}")
    planned = PlannedBuild(
        runs, toc, extra_parts, skipped, data_dir, out_dir, custom, languages, started
    )
    prepare_out_dir(out_dir)
    with contextlib.ExitStack() as locks:
        locks.enter_context(build_lock(out_dir))
        refuse_links_in_out(out_dir)  # again, now that no other build of this tool writes there
        if not custom:  # the shipped chapters and generated pages are shared by every --out
            generated = shipped_layout(out_dir).generated
            nofollow.refuse_link(generated)
            generated.mkdir(parents=True, exist_ok=True)
            locks.enter_context(build_lock(generated))
        sources = [out_dir / name for name in MADE_BY_THE_TOOL if name.startswith("source")]
        new_sources = [path for path in sources if not path.exists()]
        try:
            _build_locked(request, planned)
        except OSError:  # a full disk, say: no half-written sources are left behind
            for path in new_sources:
                shutil.rmtree(path, ignore_errors=True)
            raise
    return out_dir


def _build_locked(request: BuildRequest, planned: PlannedBuild) -> None:
    """The build once the folders are checked and locked: results.json, runs.json, the generated
    pages and the books are replaced together, only when everything succeeded."""
    runs, toc, extra_parts, skipped = (
        planned.runs,
        planned.toc,
        planned.extra_parts,
        planned.skipped,
    )
    data_dir, out_dir, custom, languages = (
        planned.data_dir,
        planned.out_dir,
        planned.custom,
        planned.languages,
    )
    areas, scheduler, started = request.areas, request.scheduler, planned.started
    force, jobs, html, pdf, strict = (
        request.force,
        request.jobs,
        request.html,
        request.pdf,
        request.strict,
    )
    layout = (
        staged_layout(data_dir, out_dir, runs, skipped, toc, extra_parts)
        if custom
        else shipped_layout(out_dir)
    )
    if areas:  # reuse the shipped chapters where their cache keys still match
        seed = PROJECT_ROOT / "book" / "chapters"
        if not (layout.chapters_root / "chapters").exists() and seed.is_dir():
            shutil.copytree(seed, layout.chapters_root / "chapters")
    active = [run for run in runs if run.id not in skipped]
    outcomes = runner.execute_runs(
        active, data_dir, layout.chapters_root, force=force, jobs=jobs, scheduler=scheduler
    )
    timings.record(outcomes, layout.chapters_root)  # beside the chapters, written with them
    edition_runs = editions.make_editions(
        active,
        languages,
        data_dir,
        layout.chapters_root,
        runner.execute_runs,
        force=force,
        jobs=jobs,
        scheduler=scheduler,
    )
    staged, built_books = Staged(), []
    try:
        record_durations(outcomes, out_dir, staged)
        durations = timings.of_chapters(active, layout.chapters_root)
        results = runner.collect_results(active, layout.chapters_root)
        for lang, lang_runs in edition_runs.items():
            edition_results = runner.collect_results(lang_runs, layout.chapters_root)
            check_editions_agree(results, edition_results, lang)
        staged.write(
            out_dir / "results.json",
            json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
        commit, versions = git_commit(), package_versions()
        staged.write_source(layout.generated / "edition.md", edition_markdown(data_dir))
        staged.write_source(layout.generated / "studies.md", studies_markdown(data_dir))
        staged.write_source(
            layout.generated / "provenance.md",
            provenance_markdown(
                runs, outcomes, data_dir, durations, skipped, commit=commit, versions=versions
            ),
        )
        staged.write_source(
            layout.generated / "summary.md",
            summary_markdown(data_dir, results, active, SOURCE_LANGUAGE),
        )
        staged.write_source(
            layout.generated / "replication.md",
            replication_markdown(SOURCE_LANGUAGE, data_dir, layout.chapters_root, active),
        )
        sites = {}
        for lang, lang_runs in edition_runs.items():
            edition = edition_layout(layout, lang, lang_runs)
            edition.generated.mkdir(parents=True, exist_ok=True)
            (edition.generated / "edition.md").write_text(
                edition_markdown(data_dir, lang), encoding="utf-8"
            )
            (edition.generated / "studies.md").write_text(
                studies_markdown(data_dir, lang), encoding="utf-8"
            )
            all_lang_runs = [run.in_language(lang) for run in runs if lang in run.languages]
            (edition.generated / "provenance.md").write_text(
                provenance_markdown(
                    all_lang_runs,
                    outcomes,
                    data_dir,
                    durations,
                    skipped,
                    commit=commit,
                    versions=versions,
                    lang=lang,
                ),
                encoding="utf-8",
            )
            (edition.generated / "summary.md").write_text(
                summary_markdown(data_dir, results, lang_runs, lang), encoding="utf-8"
            )
            (edition.generated / "replication.md").write_text(
                replication_markdown(lang, data_dir, layout.chapters_root, lang_runs),
                encoding="utf-8",
            )
            sites[lang] = edition
        built_books = publish(layout, html=html, pdf=pdf, strict=strict, editions=sites)
        gate_personal_data(None, *staged.files.values(), *staged.previous)
        for built, _ in built_books:
            gate_personal_data(built)
        swap_all(built_books)
        if pdf:
            place_pdfs(out_dir, languages)
        staged.commit()
    except BaseException:
        staged.discard()
        for built, _ in built_books:
            shutil.rmtree(built.parent.parent, ignore_errors=True)
        for leftover in [*out_dir.glob(".html-*"), *out_dir.glob(".pdflatex-*")]:
            shutil.rmtree(leftover, ignore_errors=True)  # an edition rendered before the failure
        raise
    if html:
        _say(f"book: HTML in {out_dir / 'html'}  (open {out_dir / 'html' / 'index.html'})")
        for lang in languages[1:]:
            _say(f"book: the edition in {lang} in {out_dir / 'html' / lang}")
    if pdf:
        _say(f"book: PDF in {out_dir / 'latex' / 'book.pdf'}")
        for lang in languages[1:]:
            _say(f"book: PDF of the edition in {lang}: {out_dir / 'latex' / PDF_NAMES[lang]}")
        if html:
            _say(f"book: the site carries the PDF as {out_dir / 'html' / 'book.pdf'}")
    for leftover in out_dir.glob(".html-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.glob(".pdflatex-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    _say(
        f"build: done in {time.perf_counter() - started:.1f} s; results in {out_dir / 'results.json'}"
    )


def check_languages(languages: list[str] | None, areas: str | None = None) -> list[str]:
    """The editions to build, English first: ``languages`` checked (RunsFileError naming the
    choices), or every edition (English alone for an atlas: its chapters are not translated)."""
    if not languages:
        return [SOURCE_LANGUAGE] if areas else list(runner.LANGUAGES)
    unknown = [lang for lang in languages if lang not in runner.LANGUAGES]
    if unknown:
        raise RunsFileError(
            f"--lang {unknown[0]!r}: not a language of the book (one of {', '.join(runner.LANGUAGES)})"
        )
    return [SOURCE_LANGUAGE, *(lang for lang in runner.LANGUAGES[1:] if lang in languages)]


def _checked_plan(data_dir: Path, custom: bool, runs_file: Path) -> tuple[list[Run], dict]:
    """The runs (parameters checked against the templates) and the contents of this build."""
    runs, toc = plan.runs_for(data_dir, custom, runs_file)
    for run in runs:
        runner.check_parameters(run, runs_file)
    return runs, toc


class DataInvalid(ValueError):
    """The data directory failed validation (exit code 2)."""


def main(request: BuildRequest) -> int:
    """``python -m analysis build``: build what ``request`` asks for; the exit code."""
    from analysis.pipeline import stopping

    try:
        with stopping.on_signals():
            out = build(request)
    except stopping.Stopped as exc:
        stopped = stopping.kill_descendants()
        _say(f"build: {exc}; {stopped} worker and kernel processes ended, nothing more written")
        # Exit now: the process pool's threads wait for workers that no longer exist, and the
        # interpreter would join them at exit.
        sys.stderr.flush()
        os._exit(exc.exit_code)
    except (
        RunsFileError,
        DataInvalid,
        OutRefused,
        BuildBusy,
        PersonalDataPublished,
        LinkFound,
    ) as exc:
        _say(f"error: {exc}")
        return EXIT_BAD_INPUT
    except (ChapterFailed, EditionsDisagree) as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    except BookFailed as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    except OSError as exc:
        problem = write_failure(exc, Path(request.out_dir or DEFAULT_OUT).resolve())
        if problem is None:
            raise
        _say(f"error: {problem}")
        return EXIT_BAD_INPUT
    if request.data_dir is not None and request.html:
        print(out / "html" / "index.html")
    return EXIT_OK
