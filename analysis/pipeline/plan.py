"""The book's runs and table of contents, derived from the study registry.

For every study of ``study/studies.csv`` (in its order): a qualitative chapter, and an income
chapter when ``study/households.csv`` has rows of that study; a context chapter for every distinct
``regency_code`` and an overview of every province they lie in; the programme inventory, the synthesis of all studies and the data dictionary.
A ``--data`` folder with its own registry gets the chapters of its studies without an edit to
``book/runs.yml`` or ``_toc.yml``; the committed files are the plan of the shipped ``data/``
(:func:`write_plan` writes them, a test keeps them equal).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from analysis.data.registry import Study, all_studies, has_registry
from analysis.pipeline.runner import LANGUAGES, Run, load_runs

__all__ = ["derive_runs", "derive_toc", "has_registry", "runs_for", "write_plan"]
from analysis.i18n import N_, _, babel_locale, in_language
from analysis.project import DATA_DIR, RUNS_FILE, TEMPLATES_DIR, TOC_FILE

PUBLIC_INPUTS = (
    "public/bps_regency_p0_2010_2018.csv",
    "public/bps_province_poverty_2015_2025.csv",
    "public/regency_updates_2013_2025.csv",
)
#: Years of the BPS regency series: a context chapter's default period.
SERIES_START, SERIES_END = 2010, 2018
SERIES_LABEL = N_("the years of the BPS regency series")
BOOTSTRAP_SEED, BOOTSTRAP_RESAMPLES = 20170801, 9999
NUMBERS = {
    1: N_("one"),
    2: N_("two"),
    3: N_("three"),
    4: N_("four"),
    5: N_("five"),
    6: N_("six"),
    7: N_("seven"),
}

RUNS_HEADER = """\
# The runs file: every executed chapter of the book.
# Written by `python -m analysis plan` from data/study/studies.csv (analysis/pipeline/plan.py); a test
# keeps it equal to what the registry gives. A --data folder with its own studies.csv gets its
# runs from its registry, not from this file.
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
#             registry's Indonesian columns and analysis/locale); what is not given is English
"""
TOC_HEADER = (
    "# Table of contents, written by `python -m analysis plan` from data/study/studies.csv.\n"
    "# Every run of book/runs.yml appears here (a test checks it).\n"
)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as people write YAML."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def formatting_decimal_symbol() -> str:
    """The decimal sign of the language titles are written in ("." or ",")."""
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(babel_locale())


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


def _households_sites(data_dir: Path) -> set[str]:
    from analysis.data.loading import load_optional

    households = load_optional(data_dir, "households")
    return set() if households is None else set(households["site"])


def _number(n: int) -> str:
    return _(NUMBERS[n]) if n in NUMBERS else str(n)


def qualitative_title(study: Study) -> str:
    about = study.headline or _("{programme}, a qualitative analysis").format(
        programme=study.programme
    )
    return _("{site}: {about}").format(site=study.short_name, about=about)


def income_title(study: Study) -> str:
    low, high = study.claim["claim_pct_low"], study.claim["claim_pct_high"]
    if low is None and high is None:
        return _("{site}: household incomes before and after {programme}").format(
            site=study.short_name, programme=study.programme
        )
    low, high = (high if low is None else low), (low if high is None else high)
    rise = f"{low:g} %" if low == high else f"{low:g}-{high:g} %"
    rise = rise.replace(".", formatting_decimal_symbol())
    return _("{site}: did incomes rise {rise}?").format(site=study.short_name, rise=rise)


def context_title(area: str, start: int | None, end: int | None) -> str:
    """The context chapter's title: the registry's years (``context_start``/``context_end``) when
    it gives them, else the years the chapter's figures span (the regency series from 2010, the
    provincial table to 2025)."""
    if start is None and end is None:
        return _("Poverty in {area}, 2010-2025").format(area=area)
    start, end = (end if start is None else start), (start if end is None else end)
    if start == end:
        return _("Poverty in {area}, {year}").format(area=area, year=start)
    return _("Poverty in {area}, {start}-{end}").format(area=area, start=start, end=end)


def _context_runs(studies: list[Study]) -> list[Run]:
    """One context run per distinct regency code (studies sharing a code share its chapter).

    The chapter's file is named after the regency; two codes whose names give the same file
    name (a registry may write "Malang" for Kota Malang) get the code added, so that no two runs
    write one file.
    """
    runs, seen = [], {}
    for s in studies:
        if s.regency_code:
            seen.setdefault(s.regency_code, []).append(s)
    names = {}
    for code, group in seen.items():
        fallback = _("regency {code}").format(code=code)
        name = next((s.regency_name for s in group if s.regency_name), None) or fallback
        names[code] = (name, slug(name if name != fallback else code))
    keys = [key for _name, key in names.values()]
    for code, group in seen.items():
        name, key = names[code]
        if keys.count(key) > 1:
            key = f"{key}_{code}"
        starts = [s.context_start for s in group if s.context_start is not None]
        ends = [s.context_end for s in group if s.context_end is not None]
        notes = [s.context_note for s in group if s.context_note]
        start = min(starts) if starts else min([SERIES_START, *ends])
        end = max(ends) if ends else max([SERIES_END, start])
        runs.append(
            Run(
                f"context-{key.replace('_', '-')}",
                context_title(name, min(starts) if starts else None, max(ends) if ends else None),
                "context.ipynb",
                f"chapters/context_{key}.ipynb",
                PUBLIC_INPUTS,
                {
                    "area_code": int(code),
                    "period_start": start,
                    "period_end": end,
                    "period_label": "; ".join(notes) if notes else _(SERIES_LABEL),
                },
                str(TEMPLATES_DIR),
            )
        )
    return runs


#: The appendix for programmers: the results keys of the income chapter (when there is one).
RESULTS_KEYS_PAGE = "book/pages/results-keys"

#: What the accessibility checks cover and what they do not (tests/book/test_accessibility.py).
ACCESSIBILITY_PAGE = "book/pages/accessibility"

#: Year of the province overview: the last year of the BPS regency series.
OVERVIEW_YEAR = SERIES_END


def _province_names(data_dir: Path) -> dict[str, tuple[str, int]]:
    """Province code -> (province name, number of regencies and cities) from the BPS series."""
    import pandas as pd

    series = Path(data_dir) / PUBLIC_INPUTS[0]
    if not series.is_file():
        return {}
    frame = pd.read_csv(series, dtype=str, usecols=["area_code", "province"]).drop_duplicates()
    frame = frame[frame["area_code"].str.len() == 4]
    grouped = frame.groupby(frame["area_code"].str[:2])
    return {code: (group["province"].mode().iloc[0], len(group)) for code, group in grouped}


def _overview_runs(studies: list[Study], data_dir: Path) -> list[Run]:
    """One overview chapter per province of the studies' regencies, the studies' areas marked."""
    names = _province_names(data_dir)
    by_province: dict[str, list[int]] = {}
    for s in studies:
        if s.regency_code:
            marked = by_province.setdefault(str(s.regency_code)[:2], [])
            if int(s.regency_code) not in marked:
                marked.append(int(s.regency_code))
    runs = []
    for code, marked in by_province.items():
        if code not in names:
            continue  # no BPS series for the province: nothing to set side by side
        province, n_areas = names[code]
        key = slug(province)
        runs.append(
            Run(
                f"overview-{key.replace('_', '-')}",
                _("The {n} regencies and cities of {province}, {year}").format(
                    n=n_areas, province=province, year=OVERVIEW_YEAR
                ),
                "overview.ipynb",
                f"chapters/overview_{key}.ipynb",
                PUBLIC_INPUTS,
                {"province_code": int(code), "year": OVERVIEW_YEAR, "marked_codes": marked},
                str(TEMPLATES_DIR),
            )
        )
    return runs


def derive_runs(data_dir: str | Path = DATA_DIR) -> list[Run]:
    """The runs of the book of ``data_dir``'s registry (see the module docstring), each with its
    title and parameters in the other editions' languages (``Run.translated``): the registry's
    Indonesian columns (``headline@id`` ...) and the catalogs of this module give them."""
    runs = _derive_runs(data_dir)
    for lang in LANGUAGES[1:]:
        with in_language(lang):
            other = _derive_runs(data_dir)
        for run, translated in zip(runs, other, strict=True):
            changed = {k: v for k, v in translated.parameters.items() if run.parameters.get(k) != v}
            run.translated[lang] = {"title": translated.title, "parameters": changed}
    return runs


def _derive_runs(data_dir: str | Path) -> list[Run]:
    data_dir = Path(data_dir)
    studies = all_studies(data_dir)
    with_households = _households_sites(data_dir)
    t = str(TEMPLATES_DIR)
    n = len(studies)
    runs = _context_runs(studies) + _overview_runs(studies, data_dir)
    runs.append(
        Run(
            "programmes",
            _("The programmes of the study")
            if n == 1
            else _("The programmes at the {count} sites").format(count=_number(n)),
            "programmes.ipynb",
            "chapters/programmes.ipynb",
            ("study/studies.csv", "study/programmes.csv"),
            {},
            t,
            ("datapackage.json",),
        )
    )
    for s in studies:
        runs.append(
            Run(
                f"qualitative-{s.site}",
                qualitative_title(s),
                "qualitative.ipynb",
                f"chapters/qualitative_{slug(s.site)}.ipynb",
                (
                    "study/studies.csv",
                    "study/informants.csv",
                    "study/codebook.csv",
                    "study/segments.csv",
                ),
                {"site": s.site},
                t,
                ("study/households.csv", "study/sampling_frame.csv", "datapackage.json"),
            )
        )
        if s.site in with_households:
            runs.append(
                Run(
                    f"income-{s.site}",
                    income_title(s),
                    "income.ipynb",
                    f"chapters/income_{slug(s.site)}.ipynb",
                    (
                        "study/studies.csv",
                        "study/households.csv",
                        "study/informants.csv",
                        "public/cpi_inflation_national.csv",
                    ),
                    {
                        "site": s.site,
                        "bootstrap_seed": BOOTSTRAP_SEED,
                        "bootstrap_resamples": BOOTSTRAP_RESAMPLES,
                    },
                    t,
                    ("datapackage.json",),
                )
            )
    runs.append(
        Run(
            "synthesis",
            _("The study at a glance")
            if n == 1
            else _("The {count} studies side by side").format(count=_number(n)),
            "synthesis.ipynb",
            "chapters/synthesis.ipynb",
            (
                "study/studies.csv",
                "study/programmes.csv",
                "study/informants.csv",
                "study/codebook.csv",
                "study/segments.csv",
            ),
            {},
            t,
            ("study/households.csv", "public/cpi_inflation_national.csv", "datapackage.json"),
        )
    )
    runs.append(
        Run(
            "data-dictionary",
            _("Data dictionary"),
            "data_dictionary.ipynb",
            "chapters/data_dictionary.ipynb",
            ("datapackage.json",),
            {},
            t,
        )
    )
    return runs


def _part_caption(study: Study) -> str:
    name = study.short_name
    if study.regency_name and study.regency_name.lower() not in name.lower():
        name += f", {study.regency_name}"
    return name


def derive_toc(data_dir: str | Path = DATA_DIR, runs: list[Run] | None = None) -> dict:
    """The table of contents of the book of ``data_dir``'s registry (leaving out absent runs)."""
    data_dir = Path(data_dir)
    runs = derive_runs(data_dir) if runs is None else runs
    by_id = {r.id: r.docname for r in runs}

    def files(*ids: str) -> list[dict]:
        return [{"file": by_id[i]} for i in ids if i in by_id]

    parts = [
        {
            "caption": "Where the studies stand",
            "chapters": files(
                *[r.id for r in runs if r.template in ("context.ipynb", "overview.ipynb")]
            ),
        },
        {"caption": "The programmes", "chapters": files("programmes")},
    ]
    for s in all_studies(data_dir):
        parts.append(
            {
                "caption": _part_caption(s),
                "chapters": files(f"qualitative-{s.site}", f"income-{s.site}"),
            }
        )
    parts += [
        {"caption": "Together", "chapters": files("synthesis")},
        {
            "caption": "Using this book",
            "chapters": [{"file": "book/pages/rerun"}, {"file": ACCESSIBILITY_PAGE}],
        },
        {
            "caption": "Appendices",
            "chapters": files("data-dictionary")
            + [{"file": "book/_generated/provenance"}]
            + (
                [{"file": RESULTS_KEYS_PAGE}]
                if any(r.template == "income.ipynb" for r in runs)
                else []
            )
            + [
                {"file": "book/pages/glossary"},
                {"file": "book/pages/references"},
            ],
        },
    ]
    return {
        "format": "jb-book",
        "root": "book/pages/intro",
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


def skip_reasons(runs: list[Run], data_dir: str | Path) -> dict[str, str]:
    """Runs the data cannot feed although their inputs are present, with the reason.

    A context run whose BPS code has no series in ``public/bps_regency_p0_2010_2018.csv`` is
    skipped (the build prints why) rather than failing on a code the data do not hold.
    """
    import pandas as pd

    reasons = _no_segment_reasons(runs, data_dir)
    series = Path(data_dir) / PUBLIC_INPUTS[0]
    if not series.is_file():
        return reasons
    codes = set(pd.read_csv(series, dtype=str, usecols=["area_code"])["area_code"])
    reasons |= {
        r.id: (
            f"regency code {r.parameters['area_code']} has no BPS series in {PUBLIC_INPUTS[0]} "
            "(the studies there have no context chapter)"
        )
        for r in runs
        if r.template == "context.ipynb" and str(r.parameters.get("area_code")) not in codes
    }
    return reasons | _period_reasons([r for r in runs if r.id not in reasons], data_dir)


def _period_reasons(runs: list[Run], data_dir: str | Path) -> dict[str, str]:
    """A context run whose area has fewer than two years with a P0 figure is skipped, saying so.

    A study period past the series (fieldwork in 2024, a series to 2018) or before it is no
    reason: the chapter compares the years the series has and names the study years it lacks
    (:func:`analysis.methods.context.period_change`).
    """
    contexts = [r for r in runs if r.template == "context.ipynb"]
    if not contexts:
        return {}
    from analysis.methods import context

    try:
        facts = context.load_bps(data_dir)
    except (FileNotFoundError, ValueError, KeyError):
        return {}
    out = {}
    for r in contexts:
        p = r.parameters
        try:
            context.period_change(facts, p["area_code"], p["period_start"], p["period_end"])
        except ValueError as problem:
            out[r.id] = f"{problem} (no context chapter)"
    return out


def _no_segment_reasons(runs: list[Run], data_dir: str | Path) -> dict[str, str]:
    """A qualitative run whose study has no coded segment is skipped: there is nothing to analyse."""
    qualitative = [r for r in runs if r.template == "qualitative.ipynb"]
    if not qualitative:
        return {}
    from analysis.data.loading import load_optional

    segments = load_optional(Path(data_dir), "segments")
    coded = set() if segments is None else set(segments["site"])
    return {
        r.id: (
            f"study {r.parameters.get('site')!r} has no coded segments in study/segments.csv "
            "(no qualitative chapter)"
        )
        for r in qualitative
        if r.parameters.get("site") not in coded
    }


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
