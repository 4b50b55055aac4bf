"""The pages a build writes (``book/_generated/``), in the language of each edition.

- ``edition.md``: the landing page's box saying which data the build shows;
- ``provenance.md``: the appendix with every chapter's parameters, inputs, commit and duration.

Their words are marked for translation (catalog ``pipeline.pages``, :mod:`analysis.pipeline.translations`);
Sphinx leaves these pages out of its own catalogs (``book/_ext/translation.py``), since their
text changes with every commit and data folder.
"""

from __future__ import annotations

from pathlib import Path

from analysis import formatting
from analysis.i18n import _, in_language, ngettext
from analysis.literal import markdown_code, markdown_literal
from analysis.pipeline import runner
from analysis.pipeline.runner import Run


def provenance_markdown(
    runs: list[Run],
    outcomes: list[runner.RunOutcome],
    data_dir: Path,
    durations: dict,
    skipped: dict[str, str],
    *,
    commit: str | None = None,
    versions: dict[str, str] | None = None,
    lang: str = "en",
) -> str:
    """The provenance appendix: per chapter its parameters, input sha256, commit, versions,
    duration (``runs`` in the edition ``lang``; ``durations``: seconds by run id, those of the
    executions that made the stored chapters, :func:`analysis.pipeline.durations.of_chapters`)."""
    if commit is None or versions is None:
        from analysis.pipeline.provenance import git_commit, package_versions

        commit, versions = commit or git_commit(), versions or package_versions()
    with in_language(lang):
        return _provenance(runs, data_dir, durations, skipped, commit, versions)


def commit_words(commit: str) -> str:
    """The commit as the run details give it, in the edition's language: the commit in code,
    "(with uncommitted changes)" and "not a git checkout" in words (:func:`git_commit`)."""
    from analysis.pipeline.provenance import NOT_A_CHECKOUT, UNCOMMITTED

    if commit == NOT_A_CHECKOUT:
        return _("unknown (not a git checkout)")
    if commit.endswith(UNCOMMITTED):
        return (
            markdown_code(commit.removesuffix(UNCOMMITTED)) + " " + _("(with uncommitted changes)")
        )
    return markdown_code(commit)


def _provenance(runs, data_dir, durations, skipped, commit, versions) -> str:
    lines = [
        "# " + _("Run details and provenance"),
        "",
        _(
            "Every chapter of this book is a notebook executed by papermill from a template in "
            "`book/templates/`, with the parameters and input files below (see `book/runs.yml`). "
            "A chapter is executed again only when its template, parameters, inputs, the "
            "`analysis` package or the lock file change."
        ),
        "",
        _("- Commit: {commit}").format(commit=commit_words(commit)),
        _("- Packages: {packages}").format(
            packages=", ".join(f"`{k} {v}`" for k, v in versions.items())
        ),
        "",
    ]
    for run in runs:
        lines += [
            f"(run-details-{run.id})=",
            f"## {markdown_literal(run.title)}",
            "",
            _("- Run id: `{run}`").format(run=run.id),
            _("- Template: `book/templates/{template}`").format(template=run.template),
            _("- Executed chapter: `book/{output}`").format(output=run.output),
        ]
        if run.id in skipped:
            lines += [
                _("- Not built: {reason}").format(reason=markdown_literal(skipped[run.id])),
                "",
            ]
            continue
        params = ", ".join(markdown_code(f"{k} = {v!r}") for k, v in run.parameters.items()) or _(
            "none besides `data_dir`"
        )
        lines.append(_("- Parameters: {parameters}").format(parameters=params))
        # The duration of the execution that made the stored chapter, whether it ran in this
        # build or on another machine (the record is kept beside the chapters), so that a no-op
        # rebuild produces the same page (and the book need not be rendered again).
        if run.id in durations:
            seconds = formatting.decimal(durations[run.id], 1)
            lines.append(
                _("- Duration of the execution that made this chapter: {seconds} s").format(
                    seconds=seconds
                )
            )
        else:
            lines.append(
                _(
                    "- Duration: not recorded (the chapter was made before durations were "
                    "recorded, or by a build that did not record them)"
                )
            )
        lines.append(_("- Inputs (sha256):"))
        # the name, then the digest on a line of its own: both fit the page's width
        for name, digest in runner.input_digests(run, data_dir).items():
            lines.append(f"  - {markdown_code(name)}:\\\n    {markdown_code(digest)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def edition_markdown(data_dir: Path, lang: str = "en") -> str:
    """The landing page's one box on which data this build shows (``book/_generated/edition.md``).

    Per study when the registry declares its ``data_kind`` (the shipped studies stay
    illustrative beside a researcher's field study); otherwise by file: illustrative when every
    study file present is the shipped illustrative data (its sha256 still matches
    ``datapackage.json``), field data otherwise. The BPS figures are real either way.
    """
    from analysis.data.contract import STUDY_FILES
    from analysis.data.loading import declared_data_kinds, edition

    present = [spec.key for spec in STUDY_FILES if (Path(data_dir) / spec.path).is_file()]
    with in_language(lang):
        real = _("The BPS poverty figures are real, each with its source.")
        if not present:
            return _box(
                "note",
                _("Which data this build shows"),
                real + " " + _("This build holds no study data."),
            )
        kinds = declared_data_kinds(data_dir)
        if kinds:
            return _box_by_study(data_dir, kinds, real)
        editions = {key: edition(data_dir, key) for key in present}
        illustrative = sorted(k for k, v in editions.items() if v == "illustrative")
        if len(illustrative) == len(editions):
            return _illustrative_box(real, _("the studies"))
        field = sorted(k for k, v in editions.items() if v != "illustrative")
        mixed = (
            _(" (still illustrative: {files})").format(files=", ".join(illustrative))
            if illustrative
            else ""
        )
        return _box(
            "note",
            _("Field data"),
            real
            + " "
            + _("**This build shows field data** supplied by the researcher for {files}").format(
                files=", ".join(field)
            )
            + mixed
            + ".",
        )


#: Up to this many studies are named in a title made from the registry; more are counted.
TITLE_NAMES = 3


def shipped_title(lang: str = "en") -> str:
    """The shipped book's title in the edition ``lang`` (``_config.yml``, ``locales/<lang>/config.yml``)."""
    from analysis.pipeline.config import edition_config

    return edition_config(lang)["title"]


def book_title(data_dir: Path, lang: str = "en") -> tuple[str, str | None]:
    """(title, subtitle or None) of the book built from ``data_dir``, in the edition ``lang``.

    ``study/book.csv`` when the folder has one (its ``@id`` columns for the Indonesian edition,
    the original marked where they are empty); else the shipped title when the registry's studies
    are the shipped ones (or there is no registry); else a title made from the registry: the
    studies' short names, or their number when there are more than :data:`TITLE_NAMES`.
    """
    from analysis.data import registry
    from analysis.data.contract import BOOK, STUDIES
    from analysis.data.loading import load
    from analysis.data.validate import resolve
    from analysis.project import PROJECT_ROOT

    data_dir = Path(data_dir)
    with in_language(lang):
        if resolve(data_dir, BOOK) is not None:
            row = load(data_dir, "book", lang).iloc[0]
            subtitle = row.get("subtitle")
            return str(row["title"]), (
                str(subtitle) if isinstance(subtitle, str) and subtitle.strip() else None
            )
        if resolve(data_dir, STUDIES) is None:
            return shipped_title(lang), None
        if set(registry.site_order(data_dir)) == set(registry.site_order(PROJECT_ROOT / "data")):
            return shipped_title(lang), None
        names = [str(n) for n in registry.studies(data_dir, lang)["short_name"]]
        if len(names) > TITLE_NAMES:
            return (
                ngettext(
                    "Poverty programmes: {n} study re-analysed",
                    "Poverty programmes: {n} studies re-analysed",
                    len(names),
                ).format(n=formatting.integer(len(names))),
                None,
            )
        return _("{studies}: poverty programmes re-analysed").format(
            studies=formatting.conjunction(names)
        ), None


def title_markdown(title: str, subtitle: str | None) -> str:
    """The landing page's heading for a book's title (and its subtitle, in italics, below),
    every character of them shown as written."""
    lines = ["# " + markdown_literal(title)]
    if subtitle:
        lines += ["", "*" + markdown_literal(subtitle) + "*"]
    return "\n".join(lines) + "\n"


def studies_markdown(data_dir: Path, lang: str = "en") -> str:
    """The landing page's list of the studies (``book/_generated/studies.md``): one paragraph a
    registry row, in registry order and the edition's language, every value shown literally.

    Short name and headline, then the title as published, place and year, design, data
    collection and analysis, what the study reports, and whether the book shows illustrative or
    field data for it. A data folder without a registry gets a sentence saying so.
    """
    from analysis.data import registry
    from analysis.data.contract import label
    from analysis.data.loading import edition

    with in_language(lang):
        if not registry.has_registry(data_dir):
            return _("This data folder has no study registry (`study/studies.csv`).") + "\n"
        studies = registry.all_studies(data_dir, lang)
        present = (Path(data_dir) / "study" / "segments.csv").is_file()
        paragraphs = []
        for study in studies:
            heading = markdown_literal(study.short_name)
            if study.headline:
                heading += ": " + markdown_literal(study.headline)
            where = markdown_literal(study.place)
            if study.fieldwork_year:
                where += f", {int(study.fieldwork_year)}"
            cite = f" {{cite:p}}`{study.site}_study`" if f"{study.site}_study" in bib_keys() else ""
            lines = [f"**{heading}.** *{markdown_literal(study.title)}* ({where}){cite}."]
            facts = [
                (_("Programme"), study.programme),
                (_("Design"), study.design),
                (_("Informants chosen"), label("selection", study.selection)),
                (_("Data"), study.data_collection),
                (_("Analysis"), study.analysis_method),
                (_("Reported"), study.reported),
                (_("Source"), study.reference),
            ]
            lines += [f"{name}: {markdown_literal(value)}." for name, value in facts if value]
            kind = study.data_kind or (
                edition(data_dir, "segments", study.site) if present else None
            )
            if kind in ("illustrative", "field"):
                lines.append(
                    _("This book shows illustrative data for this study.")
                    if kind == "illustrative"
                    else _("This book shows this study's field data.")
                )
            paragraphs.append(" ".join(lines))
        return "\n\n".join(paragraphs) + "\n"


def bib_keys() -> set[str]:
    """The citation keys of ``book/references.bib``: a study whose site is ``pakis`` is cited on
    the landing page when the bibliography has ``pakis_study`` (site ids are letters, digits and
    hyphens, so the role holds no text of the data)."""
    import re

    from analysis.project import PROJECT_ROOT

    path = PROJECT_ROOT / "book" / "references.bib"
    if not path.is_file():
        return set()
    return set(re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), re.M))


def _illustrative_box(real: str, studies: str) -> str:
    return _box(
        "warning",
        _("Illustrative study data"),
        real
        + " "
        + _(
            "The interviews, codings and household incomes of {studies} are not public, so this "
            "build shows illustrative study data: a stand-in generated by the project's seeded "
            "code, calibrated to what the studies report. Its numbers, quotes and codings are "
            "not field results."
        ).format(studies=studies),
    )


def _box_by_study(data_dir: Path, kinds: dict[str, str], real: str) -> str:
    """The box when the registry says, study by study, which data are illustrative."""
    from analysis.data import registry

    names = registry.labels(data_dir)
    by_kind: dict[str, list[str]] = {"illustrative": [], "field": []}
    for site, name in names.items():
        by_kind[kinds.get(site, "field")].append(markdown_literal(name))
    illustrative, field = by_kind["illustrative"], by_kind["field"]
    if not field:
        return _illustrative_box(real, formatting.conjunction(illustrative))
    if not illustrative:
        return _box(
            "note",
            _("Field data"),
            real
            + " "
            + _("**This build shows field data** supplied by the researchers of {studies}.").format(
                studies=formatting.conjunction(field)
            ),
        )
    return _box(
        "warning",
        _("Illustrative and field data"),
        real
        + " "
        + _(
            "The data of {illustrative} are illustrative: a stand-in generated by the project's "
            "seeded code, calibrated to what those studies report, not field results. The data "
            "of {field} are field data supplied by their researchers."
        ).format(
            illustrative=formatting.conjunction(illustrative),
            field=formatting.conjunction(field),
        ),
    )


def _box(kind: str, title: str, text: str) -> str:
    """A MyST ``warning`` or ``note`` box opening with its title in bold (like the chapters' own
    banners; a titled generic admonition would lose its colour in the PDF)."""
    return f":::{{{kind}}}\n**{title}.** {text}\n:::\n"
