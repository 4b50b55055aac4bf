"""What the context and overview chapters say: BPS poverty figures of a regency or a province, in
the edition's language.

The numbers come from :mod:`analysis.methods.context` (:class:`P0History`, :class:`ProvinceRanks`,
:class:`PeriodChange`) and :mod:`analysis.methods.province` (:class:`ProvinceOverview`); here they become sentences, tables with
readable headers, figures with their alt text, and the list of sources. Area names and sources
are BPS data: every one put into Markdown goes through :mod:`analysis.literal`; a sentence meant
for ``{glue:text}`` (plain text, never parsed) keeps them as written.
"""

from __future__ import annotations

from urllib.parse import urlparse

import numpy as np
import pandas as pd

from analysis import figures
from analysis.formatting import conjunction
from analysis.i18n import N_
from analysis.literal import markdown_link, markdown_literal
from analysis.methods.bps import Area, year_ranges
from analysis.methods.context import P0History, PeriodChange, ProvinceRanks, publication
from analysis.methods.province import ProvinceOverview
from analysis.report import brief
from analysis.report.parts import Figure, Part, Table, Text
from analysis.report.words import Words

#: Labels of the series for readers.
SERIES_LABELS = {
    "bps_regency_p0": N_("BPS regency series 2010-2018 (via Miranti 2020)"),
    "regency_updates": N_("Later BPS figures as quoted by BPS officials, Bappeda or the press"),
    "bps_province_poverty": N_("BPS provincial and national table 2015-2025"),
}
SERIES_SHORT = {
    "bps_regency_p0": N_("BPS regency series 2010\u20132018"),
    "regency_updates": N_("later figures quoted from BPS"),
    "bps_province_poverty": N_("BPS provincial table"),
}
SERIES_MARKERS = {"bps_regency_p0": "o", "regency_updates": "s", "bps_province_poverty": "^"}
INDICATOR_LABELS = {
    "year": N_("Year"),
    "round": N_("Round"),
    "p0": N_("P0 (%)"),
    "poor_thousands": N_("Poor (thousand people)"),
    "poverty_line": N_("Poverty line (Rp per capita per month)"),
    "p1": N_("P1 (poverty gap index)"),
    "p2": N_("P2 (poverty severity index)"),
    "area": N_("Area"),
}
#: Headers of the province's and the nation's table, one row a year, the rounds as columns.
ROUND_COLUMN_LABELS = {
    "p0_March": N_("P0, March (%)"),
    "p0_September": N_("P0, September (%)"),
    "poor_thousands_March": N_("Poor, March (thousand)"),
    "poor_thousands_September": N_("Poor, September (thousand)"),
    "poverty_line_March": N_("Poverty line, March (Rp)"),
    "poverty_line_September": N_("Poverty line, September (Rp)"),
}
#: The decimals BPS gives each indicator with. A figure the data hold as a whole number is a
#: rounded one (a press figure such as "3.876 million", a rate quoted as "10 %") and is printed
#: without decimals, never with BPS's; the files drop trailing zeros (11.2 is BPS's 11.20).
INDICATOR_DECIMALS = {"p0": 2, "poor_thousands": 2, "poverty_line": 0, "p1": 2, "p2": 2}
#: The indicators in words, as the list of sources names them.
INDICATOR_WORDS = {
    "p0": N_("p0"),
    "poor_thousands": N_("poor thousands"),
    "poverty_line": N_("poverty line"),
    "p1": N_("p1"),
    "p2": N_("p2"),
}
#: BPS's survey rounds (Susenas March and September) for readers.
ROUND_LABELS = {"March": N_("March"), "September": N_("September")}
#: Kinds of local area for readers.
AREA_TYPE_LABELS = {"regency": N_("regency (kabupaten)"), "city": N_("city (kota)")}


# --------------------------------------------------------------------------- words
def ordinal(n: int, *, lang: str) -> str:
    """1 -> "1st", 12 -> "12th", 22 -> "22nd"; in Indonesian "ke-1", "ke-12"."""
    n = int(n)
    if lang == "id":
        return f"ke-{n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def round_label(round_: str | None, *, lang: str) -> str | None:
    """A BPS survey round for readers: "March" (English), "Maret" (Indonesian)."""
    return Words(lang)._(ROUND_LABELS[round_]) if round_ in ROUND_LABELS else round_


def series_short(series: str, *, lang: str) -> str:
    """The short name of a series for readers (the key itself when it has none)."""
    return Words(lang)._(SERIES_SHORT[series]) if series in SERIES_SHORT else series


def series_label(series: str, *, lang: str) -> str:
    """The full name of a series for readers (the key itself when it has none)."""
    return Words(lang)._(SERIES_LABELS[series]) if series in SERIES_LABELS else series


def _p(w: Words, value) -> str:
    """A P0 (percent) in a sentence or a cell: two decimals, the edition's separators."""
    return w.number(value, 2)


def _plus(w: Words, value, digits: int = 2) -> str:
    """A difference with its sign always written (``+0.00``, ``-0.07``), the edition's digits."""
    sign = "-" if value < 0 or (value == 0 and np.signbit(value)) else "+"
    return sign + w.number(abs(value), digits)


def recorded_decimals(value, most: int) -> int:
    """The decimals to print a BPS figure with: none for a figure recorded as a whole number
    (3876.0: a rounded figure), else ``most`` (BPS's own; 4703.3 is BPS's 4,703.30)."""
    if value is None or pd.isna(value):
        return most
    return 0 if float(value).is_integer() else most


def figure_text(w: Words, value, indicator: str) -> str:
    """A BPS figure with the decimals its source gives (at most BPS's own); "" for no figure."""
    if value is None or pd.isna(value):
        return ""
    most = INDICATOR_DECIMALS.get(indicator, 2)
    return w.number(value, recorded_decimals(value, most))


def area_summary(area: Area, *, lang: str) -> str:
    """ "Jombang (3517), a regency (kabupaten) in Jawa Timur (35)" (plain text)."""
    w = Words(lang)
    key = "city" if area.area_type == "city" else "regency"
    return w._("{name} ({code}), a {kind} in {province} ({province_code})").format(
        name=area.name,
        code=area.code,
        kind=w._(AREA_TYPE_LABELS[key]),
        province=area.province_name,
        province_code=area.province_code,
    )


# --------------------------------------------------------------------------- in brief
#: The sections the briefs point to: the templates' headings, whose Indonesian is the chapter
#: catalogs' (``locales/id/LC_MESSAGES/chapters/{context,overview}.po``).
SECTIONS = {
    "ranks": N_("Where the area ranks in its province"),
    "period": N_("What changed over the study period"),
    "sources": N_("Sources"),
    "map": N_("On the map"),
}


def in_brief(
    history: P0History, ranks: ProvinceRanks, change: PeriodChange, *, lang: str
) -> list[Part]:
    """The context chapter in brief: the area's latest and first headcount rate, its rank in the
    province, the change over the study period, what area-wide BPS figures cannot say, and where
    to read more. Every number is one the chapter records; the figures are published (BPS), so
    the brief says nothing of illustrative data."""
    w = Words(lang)
    d = history.to_dict()
    area = markdown_literal(history.area.name)
    rate = w._(
        "In {last_year}, **{last_p0}** of the people of {area} lived below the BPS poverty line; "
        "in {first_year}, {first_p0}."
    ).format(
        last_year=d["last_year"],
        last_p0=w.percent(d["last_p0"], 2),
        area=area,
        first_year=d["first_year"],
        first_p0=w.percent(d["first_p0"], 2),
    )
    rank = ""
    if not ranks.table.empty:
        r = ranks.to_dict()
        rank = w._(
            "Among the {n} regencies and cities of {province} it ranked {first_rank} in "
            "{first_year} and {last_rank} in {last_year} (1 = the highest rate)."
        ).format(
            n=w.integer(r["n_areas"]),
            province=markdown_literal(ranks.area.province_name),
            first_rank=ordinal(r["first_rank"], lang=lang),
            first_year=r["first_year"],
            last_rank=ordinal(r["last_rank"], lang=lang),
            last_year=r["last_year"],
        )
    period = w._(
        "Over the study period, {start}–{end}, the rate went from {p0_start} to {p0_end} "
        "({change} percentage points)."
    ).format(
        start=change.start_year,
        end=change.end_year,
        p0_start=w.percent(change.p0_start, 2),
        p0_end=w.percent(change.p0_end, 2),
        change=_plus(w, change.change_pp),
    )
    cannot = w._(
        "These published BPS figures describe the whole area: they say nothing about a single "
        "kelurahan or desa, and a change in the rate is not the effect of any one programme."
    )
    pointers = [
        (w._("the ranks"), SECTIONS["ranks"]),
        (w._("the study period"), SECTIONS["period"]),
        (w._("every figure's source"), SECTIONS["sources"]),
    ]
    return [brief.block([rate, rank, period, cannot, brief.read_more(pointers, w)], w)]


def overview_in_brief(overview: ProvinceOverview, *, lang: str) -> list[Part]:
    """The province overview in brief: the range of the headcount rate across the province's
    regencies and cities, BPS's provincial and national rates, the study areas, what one year of
    one indicator cannot say, and where to read more. Every number is one the chapter records."""
    w = Words(lang)
    d = overview.to_dict()
    spread = w._(
        "In {year} the headcount rate of the {n} regencies and cities of {province} ran from "
        "{lowest_p0} ({lowest}) to **{highest_p0}** ({highest})."
    ).format(
        year=d["year"],
        n=w.integer(d["n_areas"]),
        province=markdown_literal(d["province_name"]),
        lowest_p0=w.percent(d["lowest_p0"], 2),
        lowest=markdown_literal(d["lowest_name"]),
        highest_p0=w.percent(d["highest_p0"], 2),
        highest=markdown_literal(d["highest_name"]),
    )
    rates = []
    if d["province_p0"] is not None:
        rates.append(
            w._("BPS's provincial rate was {p0}, with {n} areas above it").format(
                p0=w.percent(d["province_p0"], 2), n=w.integer(d["n_above_province"])
            )
        )
    if d["national_p0"] is not None:
        rates.append(w._("the national rate {p0}").format(p0=w.percent(d["national_p0"], 2)))
    yardsticks = (
        w._("{rates}; the median of the areas was {median}.").format(
            rates="; ".join(rates), median=w.percent(d["median_p0"], 2)
        )
        if rates
        else w._(
            "The data hold no provincial or national rate for {year}; the median of the areas was {median}."
        ).format(year=d["year"], median=w.percent(d["median_p0"], 2))
    )
    marked = " ".join(
        w._("{area} had {p0}, {rank} of {n}.").format(
            area=markdown_literal(row.area_name),
            p0=w.percent(row.p0, 2),
            rank=ordinal(int(row.rank), lang=lang),
            n=w.integer(len(overview.table)),
        )
        for row in overview.marked().itertuples()
    )
    cannot = w._(
        "One year and one indicator: the headcount rate counts the poor, not how far below the "
        "line they fall, and the chapters on the study areas follow them over the years."
    )
    pointers = [
        (w._("the map"), SECTIONS["map"]),
        (w._("every figure's source"), SECTIONS["sources"]),
    ]
    return [brief.block([spread, yardsticks, marked, cannot, brief.read_more(pointers, w)], w)]


# --------------------------------------------------------------------------- sentences (glue:text)
def history_sentences(history: P0History, *, lang: str) -> dict[str, str]:
    """Plain-text sentences on gaps, sources and comparison, for ``{glue:text}`` (not Markdown)."""
    w = Words(lang)
    return {
        "gaps": _gaps_sentence(w, history),
        "sources": _disagreement_sentence(w, history),
        "comparison": _comparison_sentence(w, history),
    }


def change_sentences(change: PeriodChange, *, lang: str) -> dict[str, str]:
    """Plain-text sentences for the parts of the comparison that some areas or years lack."""
    w = Words(lang)
    return {
        "rank": _rank_sentence(w, change),
        "province": _province_sentence(w, change),
        "poor": _poor_sentence(w, change),
        "outside": _outside_sentence(w, change, lambda text: text),
    }


def history_summary(history: P0History, *, lang: str) -> str:
    """One plain-text paragraph: the area, its first and last P0, and the sentences."""
    w = Words(lang)
    d = history.to_dict()
    head = w._("{area}: P0 {first_p0} % in {first_year}, {last_p0} % in {last_year}.").format(
        area=area_summary(history.area, lang=lang),
        first_p0=_p(w, d["first_p0"]),
        first_year=d["first_year"],
        last_p0=_p(w, d["last_p0"]),
        last_year=d["last_year"],
    )
    return head + " " + " ".join(history_sentences(history, lang=lang).values())


def ranks_summary(ranks: ProvinceRanks, *, lang: str) -> str:
    """The area's first and last rank in its province (plain text)."""
    w = Words(lang)
    d = ranks.to_dict()
    return w._(
        "{area} ranked {first_rank} of {n} in {first_year} and {last_rank} in {last_year} "
        "(1 = highest P0 in {province})."
    ).format(
        area=ranks.area.name,
        first_rank=ordinal(d["first_rank"], lang=lang),
        n=w.integer(d["n_areas"]),
        first_year=d["first_year"],
        last_rank=ordinal(d["last_rank"], lang=lang),
        last_year=d["last_year"],
        province=ranks.area.province_name,
    )


def change_summary(change: PeriodChange, *, lang: str) -> str:
    """The period change in one plain-text paragraph."""
    w = Words(lang)
    head = w._(
        "{area}, {start}-{end}: P0 {p0_start} % -> {p0_end} % ({change} points, {relative} %)."
    ).format(
        area=change.area_name,
        start=change.start_year,
        end=change.end_year,
        p0_start=_p(w, change.p0_start),
        p0_end=_p(w, change.p0_end),
        change=_plus(w, change.change_pp),
        relative=_plus(w, change.change_relative_pct, 1),
    )
    return " ".join([head, *change_sentences(change, lang=lang).values()])


def _gaps_sentence(w: Words, history: P0History) -> str:
    missing = history.missing_years
    if not missing:
        return w._("The data hold a figure for every year from {first} to {last}.").format(
            first=history.line["year"].min(), last=history.line["year"].max()
        )
    return w._(
        "The data hold no {round} figure for {area} in {years}; the line breaks there rather "
        "than guess."
    ).format(
        round=round_label(history.round, lang=w.lang),
        area=history.area.name,
        years=year_ranges(missing),
    )


def _disagreement_sentence(w: Words, history: P0History) -> str:
    alternatives = history.alternatives
    if alternatives.empty:
        return w._("Each year's figure comes from one source only.")
    parts = [
        w._(
            "for {year}, {release} gives {value} %, the {series} (on the line) {line_value} %"
        ).format(
            year=row.year,
            release=row.release,
            value=_p(w, row.value),
            series=series_short(row.line_series, lang=w.lang),
            line_value=_p(w, row.line_value),
        )
        for row in history.disagreements.itertuples()
    ]
    agreeing = alternatives[alternatives["agrees"]]
    text = ""
    if parts:
        text = w._(
            "Sources disagree {differences}. The other figure is drawn as a hollow diamond and "
            "listed under the figure."
        ).format(differences="; ".join(parts))
    if len(agreeing):
        years = year_ranges(agreeing["year"])
        if parts:
            text += " " + w._(
                "Where sources overlap otherwise ({years}) they give the same figure."
            ).format(years=years)
        else:
            text += " " + w._("Where sources overlap ({years}) they give the same figure.").format(
                years=years
            )
    return text.strip()


def _comparison_sentence(w: Words, history: P0History) -> str:
    d = history.to_dict()
    if d["comparison_year"] is None:
        return w._(
            "The data hold no provincial or national rate for a year with a figure for {area}; "
            "compare with the median of the province instead (below)."
        ).format(area=history.area.name)
    parts = [w._("{area} {p0} %").format(area=history.area.name, p0=_p(w, d["comparison_p0"]))]
    if d["comparison_province_p0"] is not None:
        parts.append(
            w._("{province} as a whole {p0} %").format(
                province=history.area.province_name, p0=_p(w, d["comparison_province_p0"])
            )
        )
    if d["comparison_national_p0"] is not None:
        parts.append(w._("Indonesia {p0} %").format(p0=_p(w, d["comparison_national_p0"])))
    return w._("In March {year}, the latest year with figures to compare: {figures}.").format(
        year=d["comparison_year"], figures=", ".join(parts)
    )


def _rank_sentence(w: Words, change: PeriodChange) -> str:
    if change.rank_start is None or change.rank_end is None:
        return w._(
            "Ranks need every regency's figure from one series; the data hold them for "
            "2010\u20132018 only, so no rank is given for {start}\u2013{end}."
        ).format(start=change.start_year, end=change.end_year)
    return w._(
        "Among the {n} regencies and cities of {province} it ranked {rank_start} in {start} and "
        "{rank_end} in {end} (1 = highest rate); its distance from the provincial median went "
        "from {distance_start} to {distance_end} percentage points."
    ).format(
        n=w.integer(change.n_areas),
        province=change.province_name,
        rank_start=ordinal(change.rank_start, lang=w.lang),
        start=change.start_year,
        rank_end=ordinal(change.rank_end, lang=w.lang),
        end=change.end_year,
        distance_start=_plus(w, change.distance_start),
        distance_end=_plus(w, change.distance_end),
    )


def _outside_sentence(w: Words, change: PeriodChange, text) -> str:
    """Which study years have no P0 figure and which years the comparison uses ("" when the
    study period is compared as the registry gives it). ``text`` writes a data value (the area's
    name): as written for plain text, escaped for Markdown."""
    if not change.years_without_figure:
        return ""
    study = (
        str(change.study_start)
        if change.study_start == change.study_end
        else f"{change.study_start}\u2013{change.study_end}"
    )
    within = (
        change.study_start is not None
        and change.study_start <= change.start_year
        and change.end_year <= change.study_end
    )
    if within:
        message = w._(
            "The study period of the registry is {study}; the data hold no P0 figure for {area} "
            "in {years}, so the comparison runs from {start} to {end}, the first and last years "
            "of the period with a figure."
        )
    else:
        message = w._(
            "The study period of the registry is {study}; the data hold no P0 figure for {area} "
            "in {years}, so the comparison runs over the years the series has, from {start} to "
            "{end}."
        )
    return message.format(
        study=study,
        area=text(change.area_name),
        years=change.years_without_figure,
        start=change.start_year,
        end=change.end_year,
    )


def _province_sentence(w: Words, change: PeriodChange) -> str:
    s, e = change.start_year, change.end_year
    if None not in (
        change.province_p0_start,
        change.province_p0_end,
        change.national_p0_start,
        change.national_p0_end,
    ):
        return w._(
            "Over the same years the rate of {province} as a whole went from {province_start} % "
            "to {province_end} %, and Indonesia's from {national_start} % to {national_end} %."
        ).format(
            province=change.province_name,
            province_start=_p(w, change.province_p0_start),
            province_end=_p(w, change.province_p0_end),
            national_start=_p(w, change.national_p0_start),
            national_end=_p(w, change.national_p0_end),
        )
    if change.province_p0_end is not None and change.national_p0_end is not None:
        return w._(
            "BPS's provincial and national rates are in the data from 2015 only: in {end} "
            "{province} stood at {province_end} % and Indonesia at {national_end} %; for {start} "
            "the median of the regencies is the only yardstick."
        ).format(
            end=e,
            province=change.province_name,
            province_end=_p(w, change.province_p0_end),
            national_end=_p(w, change.national_p0_end),
            start=s,
        )
    return w._(
        "BPS's provincial and national rates are in the data for 2015\u20132025 only, so for "
        "{start}\u2013{end} the median of {province}'s regencies and cities is the yardstick."
    ).format(start=s, end=e, province=change.province_name)


def _poor_sentence(w: Words, change: PeriodChange) -> str:
    start, end = change.poor_thousands_start, change.poor_thousands_end
    if start is not None and end is not None:
        return w._(
            "The number of poor people went from {start} thousand to {end} thousand "
            "({change} thousand)."
        ).format(
            start=figure_text(w, start, "poor_thousands"),
            end=figure_text(w, end, "poor_thousands"),
            change=_plus(w, end - start, min(recorded_decimals(v, 2) for v in (start, end))),
        )
    if start is not None or end is not None:
        year, value = (change.start_year, start) if start is not None else (change.end_year, end)
        return w._(
            "The number of poor people is in the data for {year} only: {value} thousand."
        ).format(year=year, value=figure_text(w, value, "poor_thousands"))
    return w._("The data hold no count of poor people in {area} for {start} or {end}.").format(
        area=change.area_name, start=change.start_year, end=change.end_year
    )


# --------------------------------------------------------------------------- tables
def _year_text(years: pd.Series) -> pd.Series:
    """Years as text ("2010"): a year has no thousands separator in any edition, whatever its
    column is called ("Year", "Tahun")."""
    return years.map(lambda y: "" if pd.isna(y) else str(int(y)))


def p0_frame(history: P0History, *, lang: str) -> pd.DataFrame:
    """The numbers behind the P0 chart, one row a year, with readable column names (percent)."""
    w = Words(lang)
    frame = history.to_frame()
    frame["series"] = frame["series"].map(
        lambda s: series_short(s, lang=lang) if isinstance(s, str) else ""
    )
    frame["year"] = _year_text(frame["year"])
    return frame.rename(
        columns={
            "year": w._("Year"),
            "p0": w._("{area} P0 (%)").format(area=history.area.name),
            "series": w._("Series on the line"),
            "median": w._("Median of the province's regencies and cities (%)"),
            "province_p0": w._("{province} (%)").format(province=history.area.province_name),
            "national_p0": w._("Indonesia (%)"),
        }
    )


def alternatives_frame(history: P0History, *, lang: str) -> pd.DataFrame:
    """Figures for a year that the line does not use, next to the line's figure."""
    w = Words(lang)
    frame = history.alternatives[
        ["year", "value", "release", "line_value", "line_series", "difference"]
    ].copy()
    frame["line_series"] = frame["line_series"].map(lambda s: series_short(s, lang=lang))
    frame["year"] = _year_text(frame["year"])
    return frame.rename(
        columns={
            "year": w._("Year"),
            "value": w._("Other figure (%)"),
            "release": w._("Its BPS release"),
            "line_value": w._("Figure on the line (%)"),
            "line_series": w._("Series of the line"),
            "difference": w._("Difference (points)"),
        }
    )


def rank_frame(ranks: ProvinceRanks, *, lang: str) -> pd.DataFrame:
    """Rank, median and distances by year, with readable column names."""
    w = Words(lang)
    n = int(ranks.table["n_areas"].max())
    frame = ranks.table[
        ["year", "p0", "rank", "median", "distance_pp", "province_p0", "distance_province_pp"]
    ].copy()
    frame["year"] = _year_text(frame["year"])
    province = ranks.area.province_name
    return frame.rename(
        columns={
            "year": w._("Year"),
            "p0": w._("P0 (%)"),
            "rank": w._("Rank of {n}").format(n=w.integer(n)),
            "median": w._("Median (%)"),
            "distance_pp": w._("From median (points)"),
            "province_p0": w._("{province} (%)").format(province=province),
            "distance_province_pp": w._("From {province} (points)").format(province=province),
        }
    )


def change_frame(change: PeriodChange, *, lang: str) -> pd.DataFrame:
    """The period change as a small table: measure, start year, end year, change."""
    w = Words(lang)
    labels = {
        "p0": w._("P0 of {area} (%)").format(area=change.area_name),
        "rank": w._("Rank in the province (1 = highest P0)"),
        "median": w._("Median of the province's regencies and cities (%)"),
        "distance": w._("Distance from the median (points)"),
        "province_p0": w._("{province} rate (%)").format(province=change.province_name),
        "national_p0": w._("Indonesia rate (%)"),
        "poor_thousands": w._("Poor people in {area} (thousand)").format(area=change.area_name),
    }
    frame = change.to_frame()
    decimals = {"rank": 0, "poor_thousands": None}  # None: the figure's own precision

    def cell(value, measure: str) -> str:
        if value is None or pd.isna(value):
            return ""
        digits = decimals.get(measure, 2)
        if digits is None:
            return figure_text(w, value, measure)
        return w.number(value, digits)

    for column in ("start", "end", "change"):
        frame[column] = [cell(v, m) for v, m in zip(frame[column], frame["measure"])]
    frame["measure"] = frame["measure"].map(labels)
    return frame.rename(
        columns={
            "measure": w._("Measure"),
            "start": str(change.start_year),
            "end": str(change.end_year),
            "change": w._("Change"),
        }
    )


def indicators_frame(table: pd.DataFrame, *, lang: str, labels: bool = True) -> pd.DataFrame:
    """The indicator table as text for display: Rupiah with thousands separators, blanks for gaps."""
    w = Words(lang)
    shown = table.copy()
    for column in INDICATOR_DECIMALS:
        if column in shown:
            shown[column] = shown[column].map(lambda v, c=column: figure_text(w, v, c))
    shown = shown.dropna(axis=1, how="all")
    shown = shown.loc[:, [c for c in shown.columns if not (shown[c] == "").all()]]
    if not labels:
        return shown
    if "round" in shown:
        shown["round"] = shown["round"].map(lambda r: round_label(r, lang=lang))
    if "year" in shown:
        shown["year"] = _year_text(shown["year"])
    return shown.rename(columns={k: w._(v) for k, v in INDICATOR_LABELS.items()})


def overview_frame(overview: ProvinceOverview, *, lang: str) -> pd.DataFrame:
    """The ranked list for readers: rank, area, type, P0 and distance from the province."""
    w = Words(lang)
    t = overview.table
    return pd.DataFrame(
        {
            w._("Rank"): t["rank"],
            w._("Area"): t["area_name"] + np.where(t["marked"], " \u25c6", ""),
            w._("Code"): t["area_code"],
            w._("Type"): t["area_type"].map(lambda k: w._(AREA_TYPE_LABELS[k])),
            w._("P0 (%)"): t["p0"].map(lambda v: _p(w, v)),
            w._("Difference from the province (pp)"): t["distance_province_pp"].map(
                lambda v: "" if pd.isna(v) else _plus(w, v)
            ),
        }
    )


# --------------------------------------------------------------------------- what a chapter shows
def history_figure(history: P0History, *, lang: str) -> Figure:
    """The P0 chart, with alt text naming the first and last figures and the gaps."""
    w = Words(lang)
    d = history.to_dict()
    alt = w._(
        "Line chart of the headcount poverty rate (P0) of {area}, {first_year}\u2013{last_year}: "
        "{first_p0} % in {first_year} and {last_p0} % in {last_year}, beside the median of "
        "{province}'s regencies and cities, the provincial rate and Indonesia's."
    ).format(
        area=history.area.name,
        first_year=d["first_year"],
        last_year=d["last_year"],
        first_p0=_p(w, d["first_p0"]),
        last_p0=_p(w, d["last_p0"]),
        province=history.area.province_name,
    )
    missing = history.missing_years
    if missing:
        alt += " " + w._("No figure for {years}.").format(years=year_ranges(missing))
    return Figure(lambda: plot_p0_history(history, lang=lang), alt=alt)


def history_caption(history: P0History, *, lang: str) -> str:
    """The P0 chart's caption (plain text, for ``{glue:text}``): the area, the years, which
    years are shaded (or that none are), the second figures drawn, and the comparison series
    with the years each covers."""
    w = Words(lang)
    area, province = history.area.name, history.area.province_name
    line = history.line
    parts = [
        w._("Headcount poverty rate (P0, {round} round) of {area}, {first}\u2013{last}.").format(
            round=round_label(history.round, lang=lang),
            area=area,
            first=int(line["year"].min()),
            last=int(line["year"].max()),
        ),
        w._("The symbol of each point names its series."),
    ]
    if len(history.disagreements):
        parts.append(
            w._(
                "A hollow diamond is a second BPS release's figure for {years}, a year the line "
                "takes from the primary series."
            ).format(years=year_ranges(history.disagreements["year"]))
        )
    missing = history.missing_years
    parts.append(
        w._(
            "Shaded: {years}, with no figure for {area}; the line breaks there, nothing is "
            "interpolated."
        ).format(years=year_ranges(missing), area=area)
        if missing
        else w._("Every year has a figure, so no year is shaded.")
    )
    comparison = history.comparison
    series = []
    for column, text in (
        ("province_p0", w._("the BPS rate of {province}").format(province=province)),
        ("national_p0", w._("the BPS rate of Indonesia")),
        (
            "median",
            w._("the median of {province}'s regencies and cities").format(province=province),
        ),
    ):
        years = comparison.loc[comparison[column].notna(), "year"]
        if len(years):
            series.append(f"{text} ({year_ranges(years)})")
    if series:
        parts.append(
            w._("Compared with {series}.").format(series=conjunction(series, locale=w.locale))
        )
    return " ".join(parts)


def ranks_caption(ranks: ProvinceRanks, *, lang: str) -> str:
    """The rank chart's caption (plain text, for ``{glue:text}``): the province, the area, the
    series and its years."""
    w = Words(lang)
    table = ranks.table
    return w._(
        "Left: the headcount rate of every regency and city of {province} (grey), their median "
        "(dash-dot) and {area} (red), BPS regency series, March {first}\u2013{last}. Right: the "
        "rank of {area} among the {n} regencies and cities, 1 being the highest rate."
    ).format(
        province=ranks.area.province_name,
        area=ranks.area.name,
        first=int(table["year"].min()),
        last=int(table["year"].max()),
        n=w.integer(table["n_areas"].max()),
    )


def history_tables(history: P0History, *, lang: str) -> list[Part]:
    """The numbers behind the chart, and the second figures of a year from other sources."""
    w = Words(lang)
    parts: list[Part] = [Table(p0_frame(history, lang=lang))]
    if len(history.alternatives):
        parts += [
            Text(
                w._(
                    "Years with a second figure, from another source, next to the figure on the "
                    "line:"
                )
            ),
            Table(alternatives_frame(history, lang=lang)),
        ]
    return parts


def ranks_figure(ranks: ProvinceRanks, *, lang: str) -> Figure:
    """The province's spread and the area's rank, with alt text naming the ranks."""
    w = Words(lang)
    d = ranks.to_dict()
    alt = w._(
        "Two charts. Left: the P0 of every regency and city of {province} by year, with their "
        "median and {area}. Right: the rank of {area}, {first_rank} of {n} in {first_year} and "
        "{last_rank} in {last_year} (1 = highest P0)."
    ).format(
        province=ranks.area.province_name,
        area=ranks.area.name,
        first_rank=ordinal(d["first_rank"], lang=lang),
        n=w.integer(d["n_areas"]),
        first_year=d["first_year"],
        last_rank=ordinal(d["last_rank"], lang=lang),
        last_year=d["last_year"],
    )
    return Figure(lambda: plot_province_rank(ranks, lang=lang), alt=alt)


def rank_table(ranks: ProvinceRanks, *, lang: str) -> Table:
    return Table(rank_frame(ranks, lang=lang))


def indicators(table: pd.DataFrame, area: Area, *, lang: str) -> Part | list[Part]:
    """The area's number of poor, poverty line, P1 and P2, or why the data hold none."""
    if len(table):
        return [
            Table(indicators_frame(table.drop(columns=["release"]), lang=lang)),
            source_line(table["release"], lang=lang),
        ]
    return Text(
        Words(lang)
        ._(
            "The data hold no number of poor, poverty line, P1 or P2 for {area}; "
            "only its headcount rate (above)."
        )
        .format(area=markdown_literal(area.name))
    )


def wider_indicators(tables: list[tuple[str, pd.DataFrame]], *, lang: str) -> list[Part]:
    """The province's and the nation's figures (:func:`analysis.methods.context.rounds_by_area`):
    per area one table, one row a year, the March and September rounds side by side, each figure
    with the decimals its source gives; under each, the BPS publications it comes from."""
    w = Words(lang)
    parts: list[Part] = []
    for area, table in tables:
        shown = table.copy()
        for column in ROUND_COLUMN_LABELS:
            indicator = column.rsplit("_", 1)[0]
            shown[column] = shown[column].map(lambda v, i=indicator: figure_text(w, v, i))
        shown = shown.loc[:, [c for c in shown.columns if not (shown[c] == "").all()]]
        shown["year"] = _year_text(shown["year"])
        shown = shown.rename(
            columns={"year": w._("Year"), **{k: w._(v) for k, v in ROUND_COLUMN_LABELS.items()}}
        )
        parts += [
            Text(f"**{markdown_literal(area)}**"),
            Table(shown),
            source_line(table.attrs.get("releases", ()), lang=lang),
        ]
    return parts


def source_line(releases, *, lang: str) -> Text:
    """ "Source: BPS, Berita Resmi Statistik: Profil Kemiskinan di Jawa Timur (retrieval pages
    under Sources)." : the BPS publications a table's figures come from, never a news page."""
    names = list(dict.fromkeys(publication(r) for r in releases if r))
    w = Words(lang)
    if not names:
        return Text("")
    return Text(
        w._("Source: {publications} (each release and where it was retrieved: Sources).").format(
            publications="; ".join(markdown_literal(n) for n in names)
        )
    )


def outside(change: PeriodChange, *, lang: str) -> Text:
    """The study years without a figure, if any (Markdown: the area's name escaped)."""
    return Text(_outside_sentence(Words(lang), change, markdown_literal))


def change_table(change: PeriodChange, *, lang: str) -> Table:
    return Table(change_frame(change, lang=lang))


def _host(url: str) -> str:
    """The site of an address, as a link's text: "https://www.bps.go.id/..." -> "bps.go.id"."""
    host = urlparse(url).netloc or url
    return host.removeprefix("www.")


def sources(table: pd.DataFrame, *, lang: str) -> Text:
    """The chapter's list of sources (:func:`analysis.methods.context.sources_table`): one item
    per BPS publication, naming its areas, indicators and years, then the pages its figures were
    retrieved from as short links (the site's name). A retrieval page is never a figure's source:
    it is only how the figure was found. Every value is the data's, the address linked only if
    http(s)."""
    w = Words(lang)
    lines = []
    for row in table.itertuples():
        words = ", ".join(
            w._(INDICATOR_WORDS[i]) if i in INDICATOR_WORDS else i.replace("_", " ")
            for i in row.indicators.split(", ")
            if i
        )
        seen: dict[str, int] = {}
        links = []
        for _title, url in row.retrieved:
            host = _host(url)
            seen[host] = seen.get(host, 0) + 1
            text = host if seen[host] == 1 else f"{host} ({seen[host]})"
            links.append(markdown_link(text, url))
        lines.append(
            w._(
                "- **{publication}** ({areas}; {indicators}; {years}). Retrieved from: {links}."
            ).format(
                publication=markdown_literal(row.publication),
                areas=markdown_literal(row.areas),
                indicators=markdown_literal(words),
                years=markdown_literal(row.years),
                links=", ".join(links),
            )
        )
    return Text("\n".join(lines))


def overview_record(overview: ProvinceOverview, *, lang: str) -> dict:
    """What the overview chapter glues: the numbers, the rounds in words and the marked areas."""
    values = overview.to_dict()
    values["province_round"] = round_label(overview.province_round, lang=lang)
    values["national_round"] = round_label(overview.national_round, lang=lang)
    return values


def marked_sentences(overview: ProvinceOverview, *, lang: str) -> str:
    """One plain-text sentence per marked area: its P0 and rank that year."""
    w = Words(lang)
    n = len(overview.table)
    return " ".join(
        w._("{area} ({code}) had {p0} %, {rank} of {n}.").format(
            area=row.area_name,
            code=row.area_code,
            p0=_p(w, row.p0),
            rank=ordinal(int(row.rank), lang=lang),
            n=w.integer(n),
        )
        for row in overview.marked().itertuples()
    )


def overview_summary(overview: ProvinceOverview, *, lang: str) -> str:
    w = Words(lang)
    d = overview.to_dict()
    return w._(
        "{n} regencies and cities of {province} in {year}: P0 from {lowest_p0} % "
        "({lowest}) to {highest_p0} % ({highest})."
    ).format(
        n=w.integer(d["n_areas"]),
        province=d["province_name"],
        year=d["year"],
        lowest_p0=_p(w, d["lowest_p0"]),
        lowest=d["lowest_name"],
        highest_p0=_p(w, d["highest_p0"]),
        highest=d["highest_name"],
    )


def overview_figure(overview: ProvinceOverview, *, lang: str) -> Figure:
    """The ranked dot plot, with alt text naming the range and the marked areas."""
    alt = overview_summary(overview, lang=lang)
    marked = marked_sentences(overview, lang=lang)
    return Figure(
        lambda: plot_province_overview(overview, lang=lang),
        alt=f"{alt} {marked}".strip(),
    )


def overview_table(overview: ProvinceOverview, *, lang: str) -> Table:
    return Table(overview_frame(overview, lang=lang))


# --------------------------------------------------------------------------- figures
def _edition_ticks(ax, axis: str, w: Words) -> None:
    """Tick labels of a number axis in the edition's digits ("2,5" in Indonesian).

    The English edition keeps matplotlib's own labels (its figures stay as they were).
    """
    if w.lang == "en":
        return
    from matplotlib.ticker import FuncFormatter

    def label(value, _position):
        digits = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
        return w.number(value, digits)

    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(label))


def plot_p0_history(history: P0History, *, lang: str):
    """P0 of the area (line; marker = source; gaps shaded), province, nation and the median."""
    import matplotlib.pyplot as plt

    w = Words(lang)
    fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_IN, 4.8), layout="constrained")
    line, comparison = history.line, history.comparison
    for year in history.missing_years:
        ax.axvspan(
            year - 0.5,
            year + 0.5,
            color="0.92",
            zorder=0,
            label=w._("no figure (gap)") if year == history.missing_years[0] else None,
        )
    ax.plot(
        comparison["year"],
        comparison["median"],
        color="0.45",
        ls="-.",
        lw=1.2,
        label=w._("median of {province}'s regencies/cities").format(
            province=history.area.province_name
        ),
    )
    ax.plot(
        comparison["year"],
        comparison["province_p0"],
        color="C1",
        ls="--",
        marker=".",
        lw=1.4,
        label=w._("{province} (provincial rate)").format(province=history.area.province_name),
    )
    ax.plot(
        comparison["year"],
        comparison["national_p0"],
        color="C2",
        ls=":",
        marker=".",
        lw=1.6,
        label="Indonesia",
    )
    ax.plot(line["year"], line["value"], color="C0", lw=2.2, zorder=3)
    for series, points in line.dropna(subset=["value"]).groupby("series", sort=False):
        ax.scatter(
            points["year"],
            points["value"],
            marker=SERIES_MARKERS.get(series, "o"),
            color="C0",
            s=36,
            zorder=4,
            label=f"{history.area.name}: {series_short(series, lang=lang)}",
        )
    other = history.disagreements
    if len(other):
        ax.scatter(
            other["year"],
            other["value"],
            marker="D",
            facecolors="none",
            edgecolors="C3",
            s=50,
            zorder=5,
            label=w._("another BPS release, same year (not on the line)"),
        )
    ax.set(
        title=w._("Headcount poverty rate (P0), {area}, {round}").format(
            area=history.area.name, round=round_label(history.round, lang=lang)
        ),
        xlabel=w._("Year"),
        ylabel=w._("Population below the poverty line (%)"),
        xlim=(line["year"].min() - 0.5, line["year"].max() + 0.5),
    )
    ax.set_xticks(line["year"][::2])
    ax.set_ylim(bottom=0)
    _edition_ticks(ax, "y", w)
    fig.legend(loc="outside lower center", ncol=2, fontsize="small", frameon=False)
    return fig


def plot_province_rank(ranks: ProvinceRanks, *, lang: str):
    """Left: P0 of every area of the province, the median and this area; right: its rank."""
    import matplotlib.pyplot as plt

    w = Words(lang)
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(figures.TEXT_WIDTH_IN, 3.6),
        gridspec_kw={"width_ratios": [3, 2]},
        layout="constrained",
    )
    peers, table = ranks.peers, ranks.table
    left.scatter(
        peers["year"],
        peers["p0"],
        color="0.65",
        s=12,
        alpha=0.7,
        label=w._("each regency or city"),
    )
    left.plot(
        table["year"], table["median"], color="k", ls="-.", lw=1.2, label=w._("provincial median")
    )
    left.plot(table["year"], table["p0"], color="C3", marker="o", lw=2, label=ranks.area.name)
    left.set(
        title=w._("P0 in {province}, {n} areas").format(
            province=ranks.area.province_name, n=w.integer(table["n_areas"].max())
        ),
        xlabel=w._("Year"),
        ylabel=w._("Population below the poverty line (%)"),
    )
    _edition_ticks(left, "y", w)
    left.legend(fontsize="small")
    n = int(table["n_areas"].max())
    right.plot(table["year"], table["rank"], color="C3", marker="o", lw=2)
    right.set(
        title=w._("Rank of {area}").format(area=ranks.area.name),
        xlabel=w._("Year"),
        ylabel=w._("Rank of {n} (1 = highest P0)").format(n=w.integer(n)),
        ylim=(n + 0.5, 0.5),
        yticks=sorted({1, *range(5, n, 5), n}),
    )
    for axis in (left, right):
        axis.set_xticks(table["year"][::2])
    return fig


def plot_province_overview(overview: ProvinceOverview, *, lang: str):
    """A ranked dot plot: one dot per area, the province and national rates as lines."""
    import matplotlib.pyplot as plt

    w = Words(lang)
    t = overview.table.iloc[::-1].reset_index(drop=True)  # highest P0 at the top
    fig, ax = plt.subplots(
        figsize=(figures.TEXT_WIDTH_IN, 0.17 * len(t) + 1.6), layout="constrained"
    )
    positions = np.arange(len(t))
    plain_rows, marked_rows = t[~t["marked"]], t[t["marked"]]
    ax.hlines(positions, 0, t["p0"], color="0.88", lw=0.8, zorder=1)
    ax.scatter(
        plain_rows["p0"],
        plain_rows.index,
        color="0.35",
        s=18,
        zorder=2,
        label=w._("regency or city"),
    )
    ax.scatter(
        marked_rows["p0"],
        marked_rows.index,
        color="C3",
        marker="D",
        s=42,
        zorder=3,
        label=w._("the study areas"),
    )
    for value, style, label in (
        (
            overview.province_p0,
            "-.",
            w._("{province} (BPS, {round})").format(
                province=overview.province_name,
                round=round_label(overview.province_round, lang=lang),
            ),
        ),
        (
            overview.national_p0,
            ":",
            w._("Indonesia (BPS, {round})").format(
                round=round_label(overview.national_round, lang=lang)
            ),
        ),
    ):
        if value is not None:
            ax.axvline(
                value,
                color="k",
                ls=style,
                lw=1.1,
                label=w._("{label}: {p0} %").format(label=label, p0=_p(w, value)),
            )
    ax.set_yticks(positions, t["area_name"], fontsize="small")
    for tick, marked in zip(ax.get_yticklabels(), t["marked"]):
        if marked:
            tick.set_color("C3")
            tick.set_fontweight("bold")
    ax.set(
        xlabel=w._("Population below the poverty line, March (%)"),
        ylim=(-0.8, len(t) - 0.2),
        xlim=(0, float(t["p0"].max()) * 1.08),
        title=w._("P0 of the {n} regencies and cities of {province}, {year}").format(
            n=w.integer(len(t)), province=overview.province_name, year=overview.year
        ),
    )
    _edition_ticks(ax, "x", w)
    ax.legend(loc="lower right", fontsize="small")
    return fig
