"""The book's runs and table of contents: the chapter catalogue (``book/chapters.yml``) applied to
the study registry (``study/studies.csv``).

The catalogue says which template runs for which rows (every study, the studies with households,
every regency, every province, the book as a whole), with its inputs, parameters, titles and
skip rules; this module makes the rows from the registry (and, for the provinces, the BPS
regency file's names) and fills the catalogue's patterns. It runs no analysis and names no
template. A ``--data`` folder with its own registry gets the chapters of its studies without an
edit to ``book/runs.yml`` or ``_toc.yml``; the committed files are the plan of the shipped
``data/`` (:func:`write_plan` writes them, a test keeps them equal).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import yaml

from analysis.data.registry import Study, all_studies, has_registry
from analysis.i18n import LANGUAGES, N_, babel_locale, translations
from analysis.pipeline import catalogue as catalogue_file
from analysis.pipeline.catalogue import Catalogue, Chapter, load_catalogue
from analysis.pipeline.runner import Run, load_runs
from analysis.project import DATA_DIR, RUNS_FILE, TEMPLATES_DIR, TOC_FILE

__all__ = ["derive_runs", "derive_toc", "has_registry", "runs_for", "write_plan"]

NUMBERS = {
    1: N_("one"),
    2: N_("two"),
    3: N_("three"),
    4: N_("four"),
    5: N_("five"),
    6: N_("six"),
    7: N_("seven"),
}
#: The name of a regency the registry gives only a code for.
REGENCY_FALLBACK = N_("regency {code}")
#: The BPS file whose four-digit codes name the provinces' regencies and cities.
AREA_FILE = "public/bps_regency_p0_2010_2018.csv"

RUNS_HEADER = """\
# The runs file: every executed chapter of the book.
# Written by `python -m analysis plan` from book/chapters.yml (the chapter catalogue) and
# data/study/studies.csv (analysis/pipeline/plan.py); a test keeps it equal to what they give. A
# --data folder with its own studies.csv gets its runs from the catalogue and its registry, not
# from this file.
#
# id          run id (used in results.json, the cache and the provenance appendix)
# template    notebook in book/templates/ (stored without outputs)
# output      executed notebook, relative to book/ (stored with outputs: the nbval reference)
# inputs      files the run reads, relative to the data directory; their sha256 is part of the
#             cache key, and a run whose inputs are missing from a --data directory is skipped
# optional_inputs
#             files the run reads when they are present (in the cache key too; never a reason to
#             skip): datapackage.json tells the data edition
# parameters  values injected by papermill; names and types are checked against the template's
#             `parameters` cell before anything runs. `data_dir` and `lang` are injected by the
#             runner.
# languages   the editions the chapter is part of (en first); each language's executed chapter
#             is chapters/<lang>/NAME.ipynb (English: chapters/NAME.ipynb)
# translated  per language, the title and the parameter values of that edition (from the
#             registry's Indonesian columns and the catalogue's Indonesian forms); what is not
#             given is English
"""
TOC_HEADER = (
    "# Table of contents, written by `python -m analysis plan` from book/chapters.yml and\n"
    "# data/study/studies.csv. Every run of book/runs.yml appears here (a test checks it).\n"
)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as people write YAML."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


#: The longest slug: file and run names made from data (a regency's or province's name) stay far
#: below the file system's limit on a name, however long the name in the data.
MAX_SLUG = 60


def slug(text: str) -> str:
    """``"Kota Batu"`` -> ``"kota_batu"`` (file and run names).

    A slug longer than MAX_SLUG is cut and ends with a digest of the whole text, so that two
    long names still give two names.
    """
    made = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "x"
    if len(made) <= MAX_SLUG:
        return made
    digest = hashlib.sha256(made.encode()).hexdigest()[:8]
    return f"{made[: MAX_SLUG - 9].rstrip('_')}_{digest}"


# --------------------------------------------------------------------------- rows
def _word(message: str, lang: str) -> str:
    return translations(lang).gettext(message)


def book_row(studies: list[Study], lang: str) -> dict:
    """The one row of the book: how many studies, in words up to seven."""
    n = len(studies)
    return {"count": n, "count_words": _word(NUMBERS[n], lang) if n in NUMBERS else str(n)}


def claimed_rise(study: Study, lang: str) -> str | None:
    """The study's claimed rise of incomes as a title says it (``"35-45 %"``, ``"10 %"``, the
    edition's decimal sign and percent sign: ``"35-45%"`` in Indonesian), or None when the
    registry gives no percentage."""
    from analysis.formatting import NBSP, percent_sign, shortest

    low, high = study.claim.get("claim_pct_low"), study.claim.get("claim_pct_high")
    if low is None and high is None:
        return None
    low, high = (high if low is None else low), (low if high is None else high)
    sign = percent_sign(lang).replace(NBSP, " ")  # a title's plain space in English
    locale = babel_locale(lang)
    low_text, high_text = shortest(low, locale=locale), shortest(high, locale=locale)
    return (low_text if low == high else f"{low_text}-{high_text}") + sign


def study_rows(studies: list[Study], lang: str) -> list[dict]:
    """One row per study: the registry's columns, its slug, claimed rise and part caption."""
    rows = []
    for s in studies:
        caption = s.short_name
        if s.regency_name and s.regency_name.lower() not in caption.lower():
            caption += f", {s.regency_name}"
        rows.append(
            {
                **s.__dict__,
                "slug": slug(s.site),
                "claimed_rise": claimed_rise(s, lang),
                "part_caption": caption,
            }
        )
    return rows


def regency_rows(studies: list[Study], series: dict, lang: str) -> list[dict]:
    """One row per distinct regency code (studies sharing a code share it), in registry order.

    The slug is the regency's name; two codes whose names give one slug (a registry may write
    "Malang" for Kota Malang) get the code added, so that no two runs write one file. The period
    is the studies' ``context_start``-``context_end`` (the regency series' years where they give
    none); the title's years are the registry's, or all the BPS figures' years.
    """
    first, last = series["regency_years"]
    groups: dict[str, list[Study]] = {}
    for s in studies:
        if s.regency_code:
            groups.setdefault(s.regency_code, []).append(s)
    named = {}
    for code, group in groups.items():
        fallback = _word(REGENCY_FALLBACK, lang).format(code=code)
        name = next((s.regency_name for s in group if s.regency_name), None) or fallback
        named[code] = (name, slug(name if name != fallback else code))
    keys = Counter(key for _name, key in named.values())
    rows = []
    for code, group in groups.items():
        name, key = named[code]
        if keys[key] > 1:
            key = f"{key}_{code}"
        starts = [s.context_start for s in group if s.context_start is not None]
        ends = [s.context_end for s in group if s.context_end is not None]
        notes = [s.context_note for s in group if s.context_note]
        start = min(starts) if starts else min([first, *ends])
        end = max(ends) if ends else max([last, start])
        title_start = min(starts) if starts else None
        title_end = max(ends) if ends else None
        if title_start is None and title_end is None:
            title_start, title_end = series["all_years"]
        title_start = title_end if title_start is None else title_start
        title_end = title_start if title_end is None else title_end
        rows.append(
            {
                "code": int(code),
                "area": name,
                "slug": key,
                "period_start": start,
                "period_end": end,
                "period_note": "; ".join(notes) if notes else None,
                "title_start": title_start,
                "title_end": title_end,
                "single_year": title_start == title_end,
            }
        )
    return rows


def _province_names(data_dir: Path) -> dict[str, tuple[str, int]]:
    """Province code -> (its most frequent name, number of regencies and cities) in the BPS
    regency file of ``data_dir`` (empty when it has none)."""
    pairs = set()
    for row in catalogue_file.rows_of(data_dir, AREA_FILE):
        code = (row.get("area_code") or "").strip()
        if len(code) == 4:
            pairs.add((code, row.get("province") or ""))
    names: dict[str, Counter] = {}
    for code, province in pairs:
        names.setdefault(code[:2], Counter())[province] += 1
    return {
        prefix: (
            min(n for n, k in counted.items() if k == max(counted.values())),
            sum(counted.values()),
        )
        for prefix, counted in names.items()
    }


def province_rows(studies: list[Study], data_dir: Path) -> list[dict]:
    """One row per province of the studies' regencies that the BPS regency file covers (a
    province without its series has nothing to set side by side), its studies' areas marked."""
    names = _province_names(data_dir)
    marked: dict[str, list[int]] = {}
    for s in studies:
        if s.regency_code:
            codes = marked.setdefault(str(s.regency_code)[:2], [])
            if int(s.regency_code) not in codes:
                codes.append(int(s.regency_code))
    return [
        {
            "code": int(code),
            "province": names[code][0],
            "n_areas": names[code][1],
            "marked_codes": codes,
            "slug": slug(names[code][0]),
        }
        for code, codes in marked.items()
        if code in names
    ]


def rows_of(
    chapter: Chapter, studies: list[Study], data_dir: Path, catalogue: Catalogue, lang: str
):
    """The rows ``chapter`` runs for (its ``for_each``)."""
    if chapter.for_each == "book":
        return [book_row(studies, lang)]
    if chapter.for_each == "study":
        return study_rows(studies, lang)
    if chapter.for_each == "regency":
        return regency_rows(studies, catalogue.series, lang)
    return province_rows(studies, data_dir)


# --------------------------------------------------------------------------- runs
def chapter_runs(
    chapter: Chapter, rows: list[dict], data_dir: Path, catalogue: Catalogue, lang: str = "en"
) -> list[Run]:
    """The runs of ``chapter`` for ``rows`` (those that pass its ``only_when`` rules), in ``lang``."""
    runs = []
    for row in rows:
        fields = {**catalogue.series, **row}
        for name, default in chapter.defaults.items():
            if fields.get(name) is None:
                fields[name] = catalogue_file.in_language(default, lang)
        fields["dashed"] = str(fields.get("slug", "")).replace("_", "-")
        if catalogue_file.failed_rule(chapter.only_when, data_dir, fields) is not None:
            continue
        runs.append(
            Run(
                id=catalogue_file.fill(chapter.id, fields),
                title=catalogue_file.title(chapter, fields, lang),
                template=chapter.template,
                output=catalogue_file.fill(chapter.output, fields),
                inputs=chapter.inputs,
                parameters={
                    name: catalogue_file.value_of(value, fields)
                    for name, value in chapter.parameters.items()
                },
                templates_dir=str(TEMPLATES_DIR),
                optional_inputs=chapter.optional_inputs,
            )
        )
    return runs


def derive_runs(data_dir: str | Path = DATA_DIR, catalogue: Catalogue | None = None) -> list[Run]:
    """The runs of the book of ``data_dir``'s registry (see the module docstring), each with its
    title and parameters in the other editions' languages (``Run.translated``): the registry's
    Indonesian columns (``headline@id`` ...) and the catalogue's Indonesian forms give them."""
    catalogue = catalogue or load_catalogue()
    runs = _derive_runs(Path(data_dir), catalogue, LANGUAGES[0])
    for lang in LANGUAGES[1:]:
        other = _derive_runs(Path(data_dir), catalogue, lang)
        for run, translated in zip(runs, other, strict=True):
            changed = {k: v for k, v in translated.parameters.items() if run.parameters.get(k) != v}
            run.translated[lang] = {"title": translated.title, "parameters": changed}
    return runs


def _derive_runs(data_dir: Path, catalogue: Catalogue, lang: str) -> list[Run]:
    studies = all_studies(data_dir, lang)
    return [
        run
        for chapter in catalogue.chapters
        for run in chapter_runs(
            chapter, rows_of(chapter, studies, data_dir, catalogue, lang), data_dir, catalogue, lang
        )
    ]


#: Levels numbered in the HTML (chapters, sections, subsections), as the PDF numbers them, so that
#: both call a section 7.2 and a figure Fig. 7.1 (Sphinx's ``numfig_secnum_depth`` of 1 numbers
#: figures by chapter once the chapters are numbered; sphinx-multitoc-numbering counts the
#: chapters on across the parts, like LaTeX).
NUMBERED = 3


def derive_toc(
    data_dir: str | Path = DATA_DIR,
    runs: list[Run] | None = None,
    catalogue: Catalogue | None = None,
) -> dict:
    """The table of contents of the book of ``data_dir``'s registry: the catalogue's
    ``contents`` with the runs there are (a part without any is left out)."""
    data_dir = Path(data_dir)
    catalogue = catalogue or load_catalogue()
    runs = derive_runs(data_dir, catalogue) if runs is None else runs
    kinds = {c.template: c.name for c in catalogue.chapters}
    of_kind = {name: [r for r in runs if kinds.get(r.template) == name] for name in kinds.values()}

    def pages(part: dict) -> list[dict]:
        out = []
        for page in part.get("pages", []):
            if isinstance(page, dict):
                if not of_kind.get(page.get("when_chapter"), []):
                    continue
                page = page["page"]
            out.append({"file": page})
        return out

    parts = []
    for part in catalogue.contents["parts"]:
        if part.get("for_each") == "study":
            for row in study_rows(all_studies(data_dir), LANGUAGES[0]):
                fields = {**catalogue.series, **row}
                ids = [
                    catalogue_file.fill(catalogue.chapter(name).id, fields)
                    for name in part["chapters"]
                ]
                by_id = {r.id: r for name in part["chapters"] for r in of_kind[name]}
                chapters = [{"file": by_id[i].docname} for i in ids if i in by_id]
                parts.append({"caption": row["part_caption"], "chapters": chapters})
            continue
        chapters = [
            {"file": r.docname} for r in runs if kinds.get(r.template) in part.get("chapters", [])
        ]
        parts.append({"caption": part["caption"], "chapters": chapters + pages(part)})
    return {
        "format": "jb-book",
        "root": catalogue.contents["root"],
        "defaults": {"numbered": NUMBERED},
        "parts": [p for p in parts if p["chapters"]],
    }


def runs_document(runs: list[Run]) -> dict:
    """The runs as the runs file writes them."""
    out = []
    for r in runs:
        entry = {"id": r.id, "title": r.title, "template": r.template, "output": r.output}
        entry["inputs"] = list(r.inputs)
        if r.optional_inputs:
            entry["optional_inputs"] = list(r.optional_inputs)
        entry["parameters"] = dict(r.parameters)
        entry["languages"] = list(r.languages)
        translated = {
            lang: {k: v for k, v in given.items() if v}
            for lang, given in r.translated.items()
            if lang in r.languages
        }
        if translated:
            entry["translated"] = translated
        out.append(entry)
    return {"runs": out}


def write_plan(
    data_dir: str | Path = DATA_DIR, runs_file: Path = RUNS_FILE, toc_file: Path = TOC_FILE
) -> list[Run]:
    """Write the runs file and the table of contents of ``data_dir``'s registry."""
    runs = derive_runs(data_dir)
    dump = {"Dumper": _Dumper, "sort_keys": False, "allow_unicode": True, "width": 100}
    Path(runs_file).write_text(
        RUNS_HEADER + yaml.dump(runs_document(runs), **dump), encoding="utf-8"
    )
    Path(toc_file).write_text(
        TOC_HEADER + yaml.dump(derive_toc(data_dir, runs), **dump), encoding="utf-8"
    )
    return runs


def skip_reasons(
    runs: list[Run], data_dir: str | Path, catalogue: Catalogue | None = None
) -> dict[str, str]:
    """Runs the data cannot feed although their inputs are present, with the reason: the first
    ``skip_unless`` rule of their chapter in the catalogue that the data folder fails (a context
    run whose regency has no BPS series, or a P0 figure for fewer than two years; a qualitative
    run whose study has no coded segment)."""
    catalogue = catalogue or load_catalogue()
    reasons = {}
    for run in runs:
        reason = catalogue_file.skip_reason(run, Path(data_dir), catalogue)
        if reason is not None:
            reasons[run.id] = reason
    return reasons


def runs_for(data_dir: Path, custom: bool, runs_file: Path = RUNS_FILE) -> tuple[list[Run], dict]:
    """The runs and table of contents a build uses.

    The shipped data use the committed runs file and ``_toc.yml``; a ``--data`` folder with a
    registry uses the plan of its registry; one without (public files only, say) the committed
    runs file, whose chapters without inputs are then skipped.
    """
    if custom and has_registry(data_dir):
        runs = derive_runs(data_dir)
        return runs, derive_toc(data_dir, runs)
    return load_runs(runs_file), yaml.safe_load(Path(TOC_FILE).read_text(encoding="utf-8"))


def main(data_dir: Path = DATA_DIR) -> int:
    """``python -m analysis plan``: rewrite book/runs.yml and _toc.yml from the shipped registry."""
    from analysis.project import EXIT_OK

    runs = write_plan(data_dir)
    print(f"wrote {RUNS_FILE} ({len(runs)} runs) and {TOC_FILE}")
    return EXIT_OK
