"""The replication package's README: what a data editor needs to rerun the book.

The sections follow the template of the AEA Data Editor's replication README (overview; data
availability and provenance; the data files; computational requirements; randomness;
instructions; the list of tables, figures and numbers with the program that makes each). Every
line is filled from what the project records, never typed by hand: the data package
(``data/datapackage.json``: sources, licences, checksums), the lock file, the Debian packages of
``scripts/install-system-deps.sh``, the recorded benchmark (``benchmarks/results.json``), the runs
(templates, inputs, parameters and seeds) and the stored executed chapters (their figures, tables,
downloads and glued numbers).

``REPLICATION.md`` at the top of the repository is :func:`replication_markdown` in English; the
book's appendix is the same text in the edition's language. A unit test keeps the file equal to
what this module writes (``python -m analysis.pipeline.replication`` rewrites it).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from analysis.data.dictionary import as_code
from analysis.i18n import edition_outputs
from analysis.literal import markdown_code, markdown_literal, markdown_with_code
from analysis.pipeline import runner
from analysis.project import PROJECT_ROOT
from analysis.report.dictionary import descriptor_text, file_title
from analysis.report.words import Words

REPLICATION_FILE = PROJECT_ROOT / "REPLICATION.md"
BOOK_LOCALES = PROJECT_ROOT / "locales"  # the book's catalogs (Sphinx's), by language
DATA_PACKAGE = Path("datapackage.json")
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
SYSTEM_DEPS = PROJECT_ROOT / "scripts" / "install-system-deps.sh"
BENCHMARK = PROJECT_ROOT / "benchmarks" / "results.json"
#: The packages a reader recognises, named with their pinned versions (the lock file has all).
KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "nbval",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "krippendorff",
    "babel",
)


@dataclass(frozen=True)
class ChapterContents:
    """What one executed chapter shows: its figures and tables (each by the section it is in and
    its alt text when it has one), its downloads and the keys of its glued numbers."""

    figures: tuple[tuple[str, str], ...]
    tables: tuple[str, ...]
    downloads: tuple[str, ...]
    numbers: tuple[str, ...]


DOWNLOAD_LINK = re.compile(r"\{download\}`[^`]*<([^>]+)>`")


def _text(data: dict, mime: str) -> str:
    value = data.get(mime, "")
    return "".join(value) if isinstance(value, list) else str(value)


def _is_table(data: dict) -> bool:
    markdown = _text(data, "text/markdown")
    return "<table" in _text(data, "text/html") or bool(
        re.search(r"^\|.*\|\s*$\n^\|\s*:?-{3,}", markdown, re.M)
    )


GLUE_ROLE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


def _with_values(heading: str, values: dict) -> str:
    """A heading with its glued values written in (``All {glue:text}`n` areas`` -> ``All 38
    areas``), formatted by their format specification."""

    def value(match: re.Match) -> str:
        found = values.get(match.group(1), match.group(1))
        try:
            return format(found, match.group(2) or "")
        except (TypeError, ValueError):
            return str(found)

    return GLUE_ROLE.sub(value, heading)


def heading_translator(lang: str, template: str):
    """A function giving a template's heading in the edition ``lang``, from the book's catalog of
    that template (``locales/<lang>/LC_MESSAGES/chapters/<template>.po``, the one Sphinx
    translates the chapter with); a heading the catalog lacks stays as it is."""
    from babel.messages.pofile import read_po

    path = BOOK_LOCALES / lang / "LC_MESSAGES" / "chapters" / f"{Path(template).stem}.po"
    if not path.is_file():
        return lambda heading: heading
    with path.open("rb") as handle:
        catalog = read_po(handle)
    table = {m.id: m.string for m in catalog if isinstance(m.id, str) and m.string and not m.fuzzy}
    return lambda heading: table.get(heading, heading)


def chapter_contents(notebook: Path, translate=None) -> ChapterContents:
    """The figures, tables, downloads and glued numbers of an executed chapter (read, not run);
    ``translate`` gives its headings in the edition's language (:func:`heading_translator`)."""
    translate = translate or (lambda heading: heading)
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    nb = edition_outputs(nb, runner.shown_language(nb))  # one edition's outputs
    values = runner.glued_values(notebook)
    section, figures, tables, downloads = "", [], [], []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            headings = re.findall(r"^#{1,3} (.+)$", "".join(cell.get("source", "")), re.M)
            section = _with_values(translate(headings[-1].strip()), values) if headings else section
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if output.get("metadata", {}).get("scrapbook"):
                continue
            if "image/png" in data or "image/svg+xml" in data:
                alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
                figures.append((section, alt))
            elif _is_table(data):
                tables.append(section)
            downloads.extend(DOWNLOAD_LINK.findall(_text(data, "text/markdown")))
    numbers = tuple(sorted(values))
    return ChapterContents(tuple(figures), tuple(tables), tuple(downloads), numbers)


def locked_packages(lock: Path = LOCK_FILE) -> dict[str, str]:
    """``{name: version}`` of every pinned package of the lock file."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", line.strip())
        if match:
            pins[match.group(1).lower().split("[")[0]] = match.group(2)
    return pins


def python_version(environment: Path = PROJECT_ROOT / "environment.yml") -> str:
    """The Python version ``environment.yml`` asks for (``3.11``); the running one's when the
    file is not there (a copy of the package without the repository)."""
    import platform

    if not environment.is_file():
        return ".".join(platform.python_version_tuple()[:2])
    match = re.search(r"^\s*-\s*python\s*=\s*([\d.]+)", environment.read_text("utf-8"), re.M)
    return match.group(1) if match else ""


def system_packages(script: Path = SYSTEM_DEPS) -> list[str]:
    """The Debian packages the install script lists (none when it is not there)."""
    if not script.is_file():
        return []
    text = script.read_text(encoding="utf-8")
    block = re.search(r"PACKAGES=\((.*?)\n\)", text, re.S)
    if not block:
        return []
    words = re.sub(r"#[^\n]*", "", block.group(1)).split()
    return [w for w in words if re.fullmatch(r"[a-z0-9][a-z0-9+.\-]*", w)]


def _benchmark(path: Path = BENCHMARK) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return lines


def _resources(data_dir: Path) -> list[dict]:
    """The data package's resources; for a folder without ``datapackage.json`` (a researcher's
    own data) the descriptor made in memory, its study files as field data."""
    from analysis.data.contract import STUDY_FILES
    from analysis.data.datapackage import build_descriptor

    package = Path(data_dir) / DATA_PACKAGE
    if not package.is_file():
        field = {spec.key: "field" for spec in STUDY_FILES}
        return build_descriptor(Path(data_dir), editions=field).get("resources", [])
    return json.loads(package.read_text(encoding="utf-8")).get("resources", [])


def _shipped(data_dir: Path) -> bool:
    """Whether ``data_dir`` is the project's own ``data/`` folder."""
    return Path(data_dir).resolve() == (PROJECT_ROOT / "data").resolve()


def _data_path(data_dir: Path, path: str) -> str:
    """A data file's path as a replicator types it: from the repository's top folder for the
    shipped data, from the data folder for a researcher's own."""
    return ("data/" if _shipped(data_dir) else "") + path


def _kind(w: Words, edition: str) -> str:
    return {
        "real": w._("published figures"),
        "published": w._("published facts of the studies"),
        "illustrative": w._("illustrative"),  # what that means: the paragraphs above the table
        "field": w._("field data"),
    }.get(edition, markdown_literal(edition))


def _redistribution(w: Words, resource: dict) -> str:
    """Whether a data file may be passed on, by its licence (the descriptor's ``licenses``)."""
    names = {item.get("name") for item in resource.get("licenses", [])}
    if resource.get("edition") == "published":
        return w._("yes, with attribution to the studies")
    if "MIT" in names:
        return w._("yes, with the licence's notice")
    if "CC-BY-4.0" in names:
        return w._("yes (CC BY 4.0)")
    if "other-at" in names:
        return w._("yes, with attribution to BPS")
    return w._("the researcher decides")


def _descriptor_cell(text: str, w: Words) -> str:
    """A source or licence of the descriptor as a table cell: in the edition's language, literal,
    the names a program writes (``source_url``) as code."""
    return markdown_with_code(as_code(descriptor_text(text, w.lang)))


def availability_paragraphs(w: Words, kinds: set[str]) -> list[str]:
    """What may be said of the data's availability, for the kinds of files the package holds
    (``"real"`` published figures, ``"illustrative"`` generated data, ``"field"`` data)."""
    lines = []
    if "illustrative" in kinds:
        lines += [
            w._(
                "The original interview transcripts and household incomes of the shipped studies "
                "are not public and are not part of this package. Their study files are an "
                "illustrative dataset generated by the project's seeded code and calibrated to "
                "what the studies report."
            ),
            "",
        ]
    if "field" in kinds:
        lines += [
            w._(
                "The study files marked as field data were supplied by the researcher; whether "
                "they may be published with the book is the researcher's decision, under the "
                "consent their informants gave."
            ),
            "",
        ]
    if "real" in kinds:
        lines += [
            w._("The BPS files hold published figures, each row with its source."),
            "",
        ]
    if "published" in kinds:
        lines += [
            w._(
                "The study registry (`study/studies.csv`) holds the studies' published facts: "
                "their titles, places, designs and claims, as their records give them."
            ),
            "",
        ]
    lines += [w._("Every file below is in the data folder the book was built from."), ""]
    return lines


def data_section(w: Words, data_dir: Path) -> list[str]:
    """Data availability and provenance, and the list of data files with their checksums."""
    rows, files, digests = [], [], []
    resources = _resources(data_dir)
    for resource in resources:
        sources = "; ".join(
            _descriptor_cell(s.get("title", ""), w) for s in resource.get("sources", [])
        )
        licence = "; ".join(
            _descriptor_cell(item.get("title") or item.get("name", ""), w)
            for item in resource.get("licenses", [])
        ) or w._("the data package's licence (CC BY 4.0)")
        redistributed = _redistribution(w, resource)
        path = markdown_code(_data_path(data_dir, resource["path"]))
        rows.append([path, _kind(w, resource.get("edition", "")), sources, licence, redistributed])
        files.append(
            [
                path,
                markdown_literal(file_title(resource.get("title", ""), w.lang)),
                w.integer(resource.get("bytes", 0)),
            ]
        )
        digests.append(
            f"{resource.get('hash', '').removeprefix('sha256:')}  "
            + _data_path(data_dir, resource["path"])
        )
    lines = [
        "## " + w._("Data availability and provenance"),
        "",
        *availability_paragraphs(w, {resource.get("edition", "") for resource in resources}),
        "",
        *_table(
            [w._("File"), w._("Kind"), w._("Source"), w._("Licence"), w._("Redistributable")],
            rows,
        ),
        "",
        "## " + w._("Data files and checksums"),
        "",
        *_table([w._("File"), w._("Title"), w._("Bytes")], files),
        "",
        (
            w._(
                "Their SHA-256 checksums, as `sha256sum -c` reads them (from the repository's "
                "top folder); `python -m analysis datapackage data --check` makes the same check."
            )
            if _shipped(data_dir)
            else w._("Their SHA-256 checksums, as `sha256sum -c` reads them (in the data folder).")
        ),
        "",
        "```text",
        *digests,
        "```",
        "",
    ]
    return lines


def requirements_section(w: Words) -> list[str]:
    """Software (from the lock file and the install script), machine, runtime and memory."""
    pins = locked_packages()
    key = [markdown_code(f"{name} {pins[name]}") for name in KEY_PACKAGES if name in pins]
    bench = _benchmark()
    machine = bench.get("machine", {})
    clean = bench.get("builds", {}).get("clean", {})
    lines = [
        "## " + w._("Computational requirements"),
        "",
        w._(
            "Python {python} with the {n} packages pinned in `requirements.lock` (among them {key}); "
            "the Debian packages {debian}."
        ).format(
            python=python_version(),
            n=w.integer(len(pins)),
            key=w.conjunction(key),
            debian=w.conjunction([f"`{p}`" for p in system_packages()]),
        ),
        "",
    ]
    if clean:
        lines += [
            w._(
                "Measured on {cores} cores and {memory} GB of memory ({cpu}, {os}): a clean build of "
                "the chapters took {seconds} s ({cpu_seconds} CPU-seconds) with a peak memory of "
                "{peak} MB (`benchmarks/results.json`, `make benchmark`)."
            ).format(
                cores=w.integer(machine.get("cores", 0)),
                memory=w.number(machine.get("memory_gb", 0), 1),
                cpu=markdown_literal(machine.get("cpu_model", "")),
                os=markdown_literal(machine.get("os", "")),
                seconds=w.number(clean.get("seconds", 0), 1),
                cpu_seconds=w.number(clean.get("cpu_seconds", 0), 1),
                peak=w.integer(clean.get("peak_memory_mb", 0)),
            ),
            "",
        ]
    return lines


def _studies(data_dir: Path, lang: str = "en") -> list:
    from analysis.data import registry

    try:
        return registry.all_studies(data_dir, lang)
    except (OSError, ValueError):
        return []


def seeds_section(w: Words, runs: list[runner.Run], data_dir: Path) -> list[str]:
    """Every seed: the runs' seed parameters, the registry's draws (``sampling_seed``, read by
    the qualitative chapter of a two-stage study) and the illustrative data's generator."""
    from analysis.illustrative.make import DEFAULT_SEED

    rows = [
        [markdown_code(run.id), markdown_code(name), markdown_code(str(value))]
        for run in runs
        for name, value in sorted(run.parameters.items())
        if "seed" in name
    ]
    rows += [
        [
            markdown_code(f"qualitative-{study.site}"),
            markdown_code("sampling_seed"),
            markdown_code(str(int(study.sampling_seed))),
        ]
        for study in _studies(data_dir)
        if study.sampling_seed is not None
    ]
    if any(resource.get("edition") == "illustrative" for resource in _resources(data_dir)):
        rows.append(
            [
                markdown_code("make-illustrative"),
                markdown_code("--seed"),
                markdown_code(str(DEFAULT_SEED)),
            ]
        )
    return [
        "## " + w._("Randomness"),
        "",
        w._(
            "Every random draw is seeded, and every seed is listed below with the run or "
            "program that takes it. Floats are rounded to 12 significant digits "
            "before they are stored, so that two machines write the same chapters."
        ),
        "",
        *_table([w._("Run"), w._("Parameter"), w._("Seed")], rows),
        "",
    ]


def instructions_section(w: Words) -> list[str]:
    return [
        "## " + w._("Instructions to replicators"),
        "",
        "```bash",
        "git clone https://github.com/poverty-programmes-book/poverty-programmes-book.git",
        "cd poverty-programmes-book",
        "make book   # .venv from requirements.lock, then every chapter and the HTML book",
        "make pdf    # the PDFs of both editions",
        "make test   # every check, the stored chapters re-executed by nbval among them",
        "```",
        "",
        w._(
            "`make book` validates the data, executes each chapter's template with papermill "
            "(skipping those whose inputs, parameters and code are unchanged), writes every glued "
            "number to `_build/results.json` and builds the book. Nothing is downloaded while it "
            "runs."
        ),
        "",
    ]


def outputs_section(
    w: Words, runs: list[runner.Run], chapters_root: Path, data_dir: Path
) -> list[str]:
    """Every table, figure, download and glued number, with the template, run and data files."""
    lines = [
        "## " + w._("Tables, figures and numbers, and the programs that make them"),
        "",
        w._(
            "Each chapter is one run: a template executed with its parameters on its data files. "
            "The figures and tables are listed in the order the chapter shows them, by the section "
            "they are in; the numbers are the keys of `results.json`."
        ),
        "",
    ]
    for run in runs:
        notebook = Path(chapters_root) / run.output
        if not notebook.is_file():
            continue
        contents = chapter_contents(notebook, heading_translator(w.lang, run.template))
        inputs = [
            *run.inputs,
            *(path for path in run.optional_inputs if (Path(data_dir) / path).is_file()),
        ]
        lines += [
            "### " + markdown_literal(run.title),
            "",
            w._("Run {run}: template {template}, data files {inputs}.").format(
                run=markdown_code(run.id),
                template=markdown_code("book/templates/" + run.template),
                inputs=w.conjunction(markdown_code(_data_path(data_dir, path)) for path in inputs),
            ),
            "",
        ]
        shown = [
            [
                w._("Figure {n}").format(n=w.integer(k)),
                markdown_literal(section),
                markdown_literal(alt),
            ]
            for k, (section, alt) in enumerate(contents.figures, 1)
        ] + [
            [w._("Table {n}").format(n=w.integer(k)), markdown_literal(section), ""]
            for k, section in enumerate(contents.tables, 1)
        ]
        if shown:
            lines += [*_table([w._("Output"), w._("Section"), w._("What it shows")], shown), ""]
        if contents.downloads:
            lines += [
                w._("Downloads: {files}.").format(
                    files=w.conjunction(markdown_code(d) for d in contents.downloads)
                ),
                "",
            ]
        lines += [
            w.ngettext(
                "{n} glued number: {keys}.", "{n} glued numbers: {keys}.", len(contents.numbers)
            ).format(
                n=w.integer(len(contents.numbers)),
                keys=", ".join(markdown_code(k) for k in contents.numbers),
            ),
            "",
        ]
    return lines


def overview_paragraph(w: Words, data_dir: Path) -> str:
    """What the package rebuilds: the studies of the data folder, by name, and what data it has."""
    names = [study.short_name for study in _studies(data_dir, w.lang)]
    kinds = {resource.get("edition", "") for resource in _resources(data_dir)}
    sources = [
        text
        for kind, text in (
            ("real", w._("published BPS statistics")),
            ("illustrative", w._("an illustrative dataset")),
            ("field", w._("field data")),
        )
        if kind in kinds
    ]
    studies = markdown_literal(w.conjunction(names)) if names else w._("no study")
    what = w.ngettext(
        "This package rebuilds the book from its data: a re-analysis of the study of {studies} "
        "on {sources}.",
        "This package rebuilds the book from its data: a re-analysis of the studies of "
        "{studies} on {sources}.",
        len(names),
    ).format(studies=studies, sources=w.conjunction(sources) or w._("no data file"))
    return (
        what
        + " "
        + w._(
            "It follows the sections of the AEA Data Editor's template for a replication README. "
            "This file is generated (`analysis/pipeline/replication.py`); edit the records it is "
            "made from, not the file."
        )
    )


def replication_markdown(
    lang: str = "en",
    data_dir: Path = PROJECT_ROOT / "data",
    chapters_root: Path = PROJECT_ROOT / "book",
    runs: list[runner.Run] | None = None,
) -> str:
    """The replication README in ``lang`` (Markdown), from the project's records."""
    w = Words(lang)
    runs = runner.load_runs() if runs is None else runs
    lines = [
        "# " + w._("Replication package"),
        "",
        overview_paragraph(w, data_dir),
        "",
        *data_section(w, data_dir),
        *requirements_section(w),
        *seeds_section(w, runs, data_dir),
        *instructions_section(w),
        *outputs_section(w, runs, chapters_root, data_dir),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    """Rewrite ``REPLICATION.md`` from the project's records."""
    REPLICATION_FILE.write_text(replication_markdown("en"), encoding="utf-8")
    print(f"wrote {REPLICATION_FILE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
