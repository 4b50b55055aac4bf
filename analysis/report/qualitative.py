"""The qualitative chapter in the edition's language: who was heard, the displays, the findings.

Every public function takes the study's results from :mod:`analysis.methods.qualitative` (and
:mod:`analysis.methods.sampling`) and the edition's language ``lang``, and returns the parts a
reader sees (:mod:`analysis.report.parts`). A display the data cannot fill is one sentence saying
why, so that a chapter has no empty section whatever study it runs for. Values from the data (a
title, a place, a coder, a quote) go through :func:`analysis.literal.markdown_literal`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import figures
from analysis.data.contract import LEVELS, ROLE_ORDER
from analysis.i18n import N_, SOURCE_LANGUAGE
from analysis.literal import markdown_literal as _text
from analysis.methods import qualitative as q
from analysis.methods.condensation import coder_ranking
from analysis.methods.qualitative import Quote, RoleCell, StudyFindings
from analysis.report.agreement import interval_verdict_label
from analysis.report.labels import INFORMANT_TYPES_PLURAL, Labels, field_label
from analysis.report.parts import Download, Figure, Part, Table, Text
from analysis.report.words import Words

#: Added to every quote shown from an illustrative dataset: its words were made up.
INVENTED = N_("invented")
#: Most themes one table of the role-ordered matrix shows side by side (its cells hold quotes),
#: and most columns of a table of counts: wider tables are cut into blocks, one under the other.
THEMES_PER_TABLE, COLUMNS_PER_TABLE = 6, 10
#: Most codes a frequency chart shows (those most informants used; the table has every code):
#: at 0.2 inch a code the chart then stays within a printed page.
MAX_CODES_SHOWN = 45
#: Longest code label a chart writes in full (longer labels end with an ellipsis).
MAX_LABEL_CHARS = 40
#: Most rows and columns a heatmap draws (rows at least about 0.12 inch, columns 0.1 inch at
#: print size, so that every label stays legible); the others are in the chapter's downloads.
MAX_HEATMAP_ROWS, MAX_HEATMAP_COLUMNS = 60, 45
#: Most columns a count heatmap writes its numbers into.
MAX_ANNOTATED_COLUMNS = 15
#: Most characters of a quote in the role-ordered matrix and in the findings table.
ROLE_QUOTE_CHARS, FINDING_QUOTE_CHARS = 60, 90


# --- quotes ---------------------------------------------------------------------------------------


def attribution(informant_id, edition: str | None, w: Words) -> str:
    """Who said it, in parentheses; in the illustrative edition, that the words are invented.

    ``attribution("PKS-R01", "illustrative", Words("en"))`` is "(PKS-R01, invented)".
    """
    who = "" if informant_id is None or informant_id != informant_id else str(informant_id)
    parts = [p for p in (who, w._(INVENTED) if edition == "illustrative" else "") if p]
    return f"({', '.join(parts)})" if parts else ""


def quote_text(quote: Quote, max_chars: int, edition: str | None, w: Words) -> str:
    """«text» [gloss] (informant id), marked as invented in the illustrative edition.

    The quote is always in its original Indonesian; the English gloss is shown in the English
    edition only.
    """
    text = f"«{q.excerpt(quote.text, max_chars)}»"
    if quote.gloss and w.lang == SOURCE_LANGUAGE:
        text += f" [{q.excerpt(quote.gloss, max_chars)}]"
    who = attribution(quote.informant_id, edition, w)
    return text + (f" {who}" if who else "")


# --- who was heard --------------------------------------------------------------------------------


def site_sentence(study, w: Words) -> str:
    """Who and where: one sentence naming the study, its place and its programme."""
    values = {
        "name": _text(study.short_name),
        "place": _text(study.place),
        "programme": _text(study.programme),
        "title": _text(study.title),
        "reference": _text(study.reference),
    }
    if study.fieldwork_year:
        return w._(
            "The study of {name} ({place}, {year}) looks at {programme}: *{title}*. "
            "Source: {reference}."
        ).format(year=study.fieldwork_year, **values)
    return w._(
        "The study of {name} ({place}) looks at {programme}: *{title}*. Source: {reference}."
    ).format(**values)


def levels_sentence(informants: pd.DataFrame, labels: Labels) -> str:
    """The levels and roles the informants speak from, in the order of the chain of government."""
    w = labels.w
    if informants.empty:
        return w._("The data hold no informants for this study.")
    levels = [lv for lv in LEVELS if lv in set(informants["level"])]
    roles = [r for r in ROLE_ORDER if r in set(informants["role"])]
    level_text = w.ngettext("{n} level ({levels})", "{n} levels ({levels})", len(levels)).format(
        n=w.integer(len(levels)),
        levels=", ".join(labels.level(lv) for lv in levels),
    )
    role_text = w.ngettext("{n} role ({roles})", "{n} roles ({roles})", len(roles)).format(
        n=w.integer(len(roles)), roles=", ".join(_text(labels.role_words(r)) for r in roles)
    )
    return w._("The informants speak from {levels} in {roles}.").format(
        levels=level_text, roles=role_text
    )


def describe_informants(informants: pd.DataFrame, labels: Labels, site: str | None = None) -> str:
    """One Markdown sentence: informants by role (and core/additional), and how many declined
    quotation."""
    w = labels.w
    inf = q.role_sorted_informants(informants, site)
    parts = []
    for role, group in inf.groupby("role", sort=False):
        kind = ""
        if (
            "informant_type" in group
            and group["informant_type"].notna().all()
            and group["informant_type"].nunique() == 1
        ):
            value = group["informant_type"].iloc[0]
            kind = " ({kind})".format(
                kind=w._(INFORMANT_TYPES_PLURAL[value])
                if value in INFORMANT_TYPES_PLURAL
                else w._("{kind} informants").format(kind=_text(value))
            )
        parts.append(labels.role_count(len(group), role) + kind)
    declined = int((~inf["consent_quote"].fillna(False).astype(bool)).sum())
    return w._(
        "The {n} informants: {parts}. {declined} of them did not agree to be quoted: "
        "their words are counted in every display but never shown."
    ).format(n=w.integer(len(inf)), parts=", ".join(parts), declined=w.integer(declined))


def informants_parts(
    study, informants: pd.DataFrame, *, lang: str, official_unit: str | None = None
) -> list[Part]:
    """The study named (title, place, programme, source), then who its informants are: roles,
    levels, and how many declined quotation. ``official_unit`` names the unit the lowest
    officials serve (:func:`analysis.methods.sampling.official_unit`)."""
    labels = Labels.of(lang, official_unit=official_unit)
    return [
        Text(site_sentence(study, labels.w)),
        Text(describe_informants(informants, labels) + " " + levels_sentence(informants, labels)),
    ]


def coders_text(segments: pd.DataFrame, w: Words) -> str:
    """Markdown: who coded the segments and whose codings the counts use; with one coder, that
    agreement between coders cannot be computed ("" when there is no coded segment)."""
    if segments.empty:
        return ""
    coders = coder_ranking(segments)
    if len(coders) == 1:
        return w._(
            "One coder, {coder}, coded every segment, and every count in this chapter uses those "
            "codings. With one coder, agreement between coders cannot be computed: the findings "
            "rest on one reading of the segments."
        ).format(coder=_text(coders[0]))
    return (
        w.ngettext(
            "{n} coder coded segments.",
            "{n} coders coded segments.",
            len(coders),
        ).format(n=w.integer(len(coders)))
        + " "
        + w._(
            "**Every count in this chapter uses the codings of the primary coder only**, {primary}: "
            "the coder who coded the most segments (with a division of labour, each segment counts "
            "with the codes of the highest-ranked coder who coded it). The other coders' codings serve "
            "the agreement statistics at the end of the chapter, so double coding never inflates a "
            "count."
        ).format(primary=_text(coders[0]))
    )


def coders_parts(segments: pd.DataFrame, *, lang: str) -> list[Part]:
    """Who coded the segments and whose codings every count uses."""
    return [Text(coders_text(segments, Words(lang)))]


def codebook_parts(
    counted: pd.DataFrame, codebook: pd.DataFrame, site: str, *, lang: str
) -> list[Part]:
    """The codes used, by theme, and the codebook of the site to download."""
    labels = Labels.of(lang, codebook)
    names = q.code_labels(codebook)
    used = codebook[codebook["code"].isin(counted["code"])].assign(
        label=lambda t: t["code"].map(names)
    )
    by_theme = used.groupby("theme", sort=False)["label"].agg(", ".join).reset_index()
    by_theme["theme"] = by_theme["theme"].map(labels.theme)
    return [
        Table(labels.with_headers(by_theme.rename(columns={"label": "codes"}))),
        Download(
            used[["code", "theme", "label", "description"]],
            f"codebook_{site}",
            labels.w._("The codebook of this site"),
            head=None,
        ),
    ]


# --- frequencies ----------------------------------------------------------------------------------


def frequency_parts(
    frequencies: pd.DataFrame, by_role: pd.DataFrame, site: str, *, lang: str
) -> list[Part]:
    """Segments and informants per code, and per code and role, to download."""
    w = Words(lang)
    shown = frequencies[["theme", "label", "segments", "informants", "share_informants"]]
    return [
        Download(
            shown.sort_values("informants", ascending=False),
            f"code_frequencies_{site}",
            w._("Segments and informants per code"),
            head=12,
            options={"formats": {"share_informants": "share"}},
        ),
        Download(
            by_role,
            f"code_frequencies_by_role_{site}",
            w._("Segments and informants per code and role"),
            head=None,
        ),
    ]


def frequency_figure_parts(
    frequencies: pd.DataFrame, codebook: pd.DataFrame, *, lang: str
) -> list[Part]:
    """The chart of the share of informants who used each code, coloured by theme."""
    labels = Labels.of(lang, codebook)
    title = labels.w._("Share of informants who used each code")
    return [
        Figure(
            lambda: plot_code_frequencies(frequencies, title=title, lang=lang, codebook=codebook),
            alt=frequencies_alt(frequencies, labels),
        )
    ]


def frequencies_alt(frequencies: pd.DataFrame, labels: Labels) -> str:
    """The frequency chart in words: how many codes, and per theme its most used code's share."""
    w = labels.w
    f = frequencies.dropna(subset=["share_informants"]).sort_values(
        ["share_informants", "label"], ascending=[False, True]
    )
    per_theme = [
        w._("{theme}: {n} codes, most used {code} ({share})").format(
            theme=labels.theme(theme),
            n=w.integer(len(rows)),
            code=rows["label"].iloc[0],
            share=w.share(rows["share_informants"].iloc[0]),
        )
        for theme, rows in f.groupby("theme", sort=False)
    ]
    return w._(
        "Dot chart of the share of the site's informants who used each of {n} codes, by theme. "
        "{themes}."
    ).format(n=w.integer(len(f)), themes="; ".join(per_theme))


def theme_colours(themes) -> dict[str, str]:
    """A colour for each theme of a chart, ``themes`` most important first (see
    :func:`analysis.figures.category_colours`): beyond eight themes the first seven keep a colour
    of their own and the others share grey, named in the legend as "other themes"."""
    return figures.category_colours(themes)


def _theme_legend(colours: dict[str, str], labels: Labels) -> list[tuple[str, str, list[str]]]:
    """(colour, legend label, themes) a legend entry: one per coloured theme, one for the others."""
    entries = [
        (colour, labels.theme(theme), [theme])
        for theme, colour in colours.items()
        if colour != figures.OTHER_COLOUR
    ]
    others = [t for t, colour in colours.items() if colour == figures.OTHER_COLOUR]
    if others:
        label = labels.w.ngettext("{n} other theme", "{n} other themes", len(others)).format(
            n=labels.w.integer(len(others))
        )
        entries.append((figures.OTHER_COLOUR, label, others))
    return entries


def plot_code_frequencies(
    frequencies: pd.DataFrame,
    *,
    title: str,
    lang: str,
    codebook: pd.DataFrame | None = None,
    top: int | None = None,
):
    """Share of informants who used each code (no interval: the informants were chosen, not
    drawn), coloured by theme.

    At most ``top`` codes (by default :data:`MAX_CODES_SHOWN`) are drawn, those most informants
    used; the title says how many of how many (the table and download have all). Any number of
    themes: beyond eight, the themes with the most codes drawn keep a colour and the others share
    grey under "other themes" in the legend. The figure grows with the number of codes drawn.
    Labels in the edition's language ``lang`` (themes named as the ``codebook`` names them).
    """
    import matplotlib.pyplot as plt

    labels = Labels.of(lang, codebook)
    w = labels.w
    f = frequencies.dropna(subset=["share_informants"]).sort_values(
        ["share_informants", "label"], ascending=[False, True]
    )
    total = len(f)
    f = f.head(top or MAX_CODES_SHOWN)
    fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_IN, 1.4 + 0.2 * max(len(f), 1)))
    themes = list(dict.fromkeys(f["theme"]))
    if len(themes) > len(figures.OKABE_ITO):  # the themes with most codes drawn come first
        drawn = f["theme"].value_counts()
        themes = sorted(themes, key=lambda t: -drawn[t])
    colours = theme_colours(themes)
    y = np.arange(len(f))
    for k, (colour, label, members) in enumerate(_theme_legend(colours, labels)):
        part = f["theme"].isin(members).to_numpy()
        ax.plot(
            100 * f["share_informants"].to_numpy()[part],
            y[part],
            figures.MARKERS[k % len(figures.MARKERS)],
            color=colour,
            label=label,
            markersize=4,
            linestyle="none",
        )
    ax.set_yticks(y, [q.excerpt(v, MAX_LABEL_CHARS) for v in f["label"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(w._("informants who used the code (% of the site's informants)"))
    ax.set_ylabel(w._("code"))
    if len(f) < total:
        title += "\n" + w.ngettext(
            "the code most informants used, of {total}; every code is in the table",
            "the {n} codes most informants used, of {total}; every code is in the table",
            len(f),
        ).format(n=w.integer(len(f)), total=w.integer(total))
    ax.set_title(title)
    if themes:
        ax.legend(title=w._("theme"), fontsize=7, title_fontsize=8, loc="lower right")
    return fig


# --- heatmaps -------------------------------------------------------------------------------------


def label_columns(matrix: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The same matrix with code columns (and index, where codes) renamed to the codebook's labels."""
    names = q.code_labels(codebook)
    out = matrix.rename(columns=names)
    if set(matrix.index) <= set(names):
        out = out.rename(index=names)
    return out


def largest_part(
    matrix: pd.DataFrame,
    max_rows: int | None = MAX_HEATMAP_ROWS,
    max_columns: int | None = MAX_HEATMAP_COLUMNS,
    *,
    symmetric: bool = False,
) -> pd.DataFrame:
    """The rows and columns of ``matrix`` with the largest totals (at most ``max_rows`` and
    ``max_columns``; None: all), in their original order; the whole matrix when it fits.

    ``symmetric``: a square matrix of codes by codes keeps the same codes on both axes (those
    with the largest totals off the diagonal, ties in their order).
    """
    values = np.nan_to_num(matrix.to_numpy(dtype=float), nan=0.0)

    def keep(totals, limit):
        if limit is None or len(totals) <= limit:
            return np.arange(len(totals))
        return np.sort(np.argsort(-totals, kind="stable")[:limit])

    if symmetric:
        limit = min(x for x in (max_rows, max_columns, len(matrix)) if x is not None)
        off = values.copy()
        np.fill_diagonal(off, 0.0)
        codes = keep(off.sum(axis=0) + off.sum(axis=1), limit)
        return matrix.iloc[codes, codes]
    rows = keep(values.sum(axis=1), max_rows)
    columns = keep(values.sum(axis=0), max_columns)
    if len(rows) == matrix.shape[0] and len(columns) == matrix.shape[1]:
        return matrix
    return matrix.iloc[rows, columns]


def trim_note(matrix: pd.DataFrame, shown: pd.DataFrame, w: Words) -> str:
    """What a heatmap of ``shown`` leaves out of ``matrix`` ("" when nothing): for its title."""
    (rows, columns), (all_rows, all_columns) = shown.shape, matrix.shape
    numbers = {
        "rows": w.integer(rows),
        "all_rows": w.integer(all_rows),
        "columns": w.integer(columns),
        "all_columns": w.integer(all_columns),
    }
    if rows < all_rows and columns < all_columns:
        return w._(
            "the {rows} of {all_rows} rows and {columns} of {all_columns} columns with the "
            "largest totals"
        ).format(**numbers)
    if rows < all_rows:
        return w._("the {rows} of {all_rows} rows with the largest totals").format(**numbers)
    if columns < all_columns:
        return w._("the {columns} of {all_columns} columns with the largest totals").format(
            **numbers
        )
    return ""


def _heatmap_size(matrix: pd.DataFrame) -> tuple[float, float]:
    """Inches for a heatmap at print size: at most the text width, rows about 0.16 in high."""
    rows, cols = matrix.shape
    width = min(figures.TEXT_WIDTH_IN, 2.6 + 0.15 * cols)
    return width, min(9.0, 2.0 + 0.16 * rows)


def plot_count_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    axes: tuple[str, str, str],
    lang: str,
    annot: bool = False,
    figsize=None,
    limits: tuple[int | None, int | None] = (MAX_HEATMAP_ROWS, MAX_HEATMAP_COLUMNS),
):
    """Heatmap of whole-number counts on a discrete scale: one colour step (and tick) a count.

    ``axes`` are the labels of the x axis, the y axis and the colour bar. A continuous colour bar
    would suggest values between 1 and 2 that no cell can hold. Sized for print
    (:mod:`analysis.figures`): at most the text width, text at least 7 pt. A matrix larger than
    ``limits`` (rows, columns) is drawn in part (:func:`largest_part`), the title saying what is
    left out (said in ``lang``). Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    w = Words(lang)
    xlabel, ylabel, count_label = axes
    whole, matrix = matrix, largest_part(matrix, *limits)
    note = trim_note(whole, matrix, w)
    title = title + (f"\n{note}" if note else "")
    values = matrix.to_numpy(dtype=float)
    top = int(np.nanmax(values)) if values.size and np.isfinite(values).any() else 1
    cmap, norm, ticks = figures.count_scale(top)
    fig, ax = plt.subplots(figsize=figsize or _heatmap_size(matrix))
    sns.heatmap(
        matrix,
        ax=ax,
        cmap=cmap,
        norm=norm,
        annot=annot,
        fmt="d" if annot else ".2g",
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": count_label, "ticks": ticks, "shrink": 0.8},
        annot_kws={"size": 7.5},
        xticklabels=True,
        yticklabels=True,
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="both", labelsize=7)
    colorbar = ax.collections[0].colorbar
    colorbar.ax.tick_params(labelsize=7.5)
    colorbar.ax.minorticks_off()
    return fig


def informant_matrix_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame, *, lang: str
) -> list[Part]:
    """The informant x code heatmap, or one sentence when no segment names its informant."""
    w = Words(lang)
    matrix = q.informant_code_matrix(counted, informants, codebook)
    if matrix.empty or matrix.shape[1] == 0 or not matrix.to_numpy().any():
        return [
            Text(
                w._(
                    "No coded segment of this study names its informant (`segments.csv` without "
                    "`informant_id`, or only observation notes and documents), so there is no "
                    "informant × code matrix."
                )
            )
        ]
    axes = (
        w._("code (grouped by theme)"),
        w._("informant (in role order)"),
        w._("segments (number)"),
    )
    title = w._("Segments per informant and code")
    busiest = matrix.sum(axis=1)
    alt = w._(
        "Heatmap of the segments of {rows} informants (rows, in role order) for {columns} codes "
        "(columns, grouped by theme): {total} segments in all, at most {top} in one cell; the "
        "informant with the most coded segments, {informant}, has {most}."
    ).format(
        rows=w.integer(matrix.shape[0]),
        columns=w.integer(matrix.shape[1]),
        total=w.integer(int(matrix.to_numpy().sum())),
        top=w.integer(int(matrix.to_numpy().max())),
        informant=busiest.idxmax(),
        most=w.integer(int(busiest.max())),
    )
    parts: list[Part] = [
        Figure(
            lambda: plot_count_heatmap(
                label_columns(matrix, codebook), title=title, axes=axes, lang=lang
            ),
            alt=alt,
        )
    ]
    if largest_part(matrix).shape != matrix.shape:  # the figure draws part: the rest to download
        sites = "_".join(str(s) for s in pd.unique(counted["site"])) if "site" in counted else ""
        parts.append(
            Download(
                matrix.reset_index(),
                f"informant_code_matrix_{sites}".rstrip("_"),
                w._("Segments per informant and code (every informant and code)"),
                head=None,
            )
        )
    return parts


# --- matrices -------------------------------------------------------------------------------------


def theme_blocks(themes, groups: dict[str, str], labels: Labels, size: int = THEMES_PER_TABLE):
    """(Markdown heading, themes) for each table of a matrix whose columns are ``themes``: one
    table per theme group (in the order the themes come), cut into blocks of at most ``size``
    themes when a group has more ("**Themes: programmes (2 of 3)**")."""
    w = labels.w
    blocks = []
    for group in dict.fromkeys(groups.get(t, "themes") for t in themes):
        members = [t for t in themes if groups.get(t, "themes") == group]
        parts = [members[k : k + size] for k in range(0, len(members), size)]
        for k, part in enumerate(parts, start=1):
            numbers = {"part": w.integer(k), "parts": w.integer(len(parts))}
            if group == "themes":  # a codebook without theme groups
                heading = (
                    w._("**Themes**")
                    if len(parts) == 1
                    else w._("**Themes ({part} of {parts})**").format(**numbers)
                )
            elif len(parts) == 1:
                heading = w._("**Themes: {group}**").format(group=_text(labels.theme(group)))
            else:
                heading = w._("**Themes: {group} ({part} of {parts})**").format(
                    group=_text(labels.theme(group)), **numbers
                )
            blocks.append((heading, part))
    return blocks


def column_blocks(frame: pd.DataFrame, size: int = COLUMNS_PER_TABLE) -> list[pd.DataFrame]:
    """The frame cut into tables of at most ``size`` columns (the index repeated in each)."""
    if frame.shape[1] <= size:
        return [frame]
    return [frame.iloc[:, k : k + size] for k in range(0, frame.shape[1], size)]


def of_all(frame: pd.DataFrame, w: Words) -> pd.DataFrame:
    """A frame of :class:`analysis.methods.qualitative.OfAll` cells written "k/n"."""
    return frame.map(lambda c: f"{w.integer(c.k)}/{w.integer(c.n)}")


def role_cell(cell: RoleCell | None, edition: str | None, w: Words) -> str:
    """A cell of the role-ordered matrix: "k/N: «quote» [gloss]" or why it quotes no one."""
    if cell is None:
        return ""
    text = f"{w.integer(cell.k)}/{w.integer(cell.n)}"
    if cell.quote is not None:
        return text + ": " + quote_text(cell.quote, ROLE_QUOTE_CHARS, edition, w)
    if cell.missing == q.NO_QUOTE:
        return text + w._(": (no consented quote)")
    return text + w._(": (quoted in another column)")


def role_matrix_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    lang: str,
    data_edition: str | None = None,
    official_unit: str | None = None,
) -> list[Part]:
    """The role-ordered matrix (roles × themes, k/N and one quote a cell), one table per block
    of themes; quotes marked invented when the ``data_edition`` is illustrative."""
    labels = Labels.of(lang, codebook, official_unit)
    matrix = q.role_ordered_matrix(counted, informants, codebook)
    cells = labels.with_roles(matrix.map(lambda c: role_cell(c, data_edition, labels.w)))
    parts: list[Part] = []
    for heading, themes in theme_blocks(matrix.columns, q.theme_groups(codebook), labels):
        parts += [Text(heading), Table(labels.with_headers(cells[themes]), {"index": True})]
    return parts


def clustered_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    site: str,
    *,
    lang: str,
    official_unit: str | None = None,
) -> list[Part]:
    """The conceptually clustered matrix by role (k/N per theme), in blocks of columns, and the
    codes each informant named by theme to download."""
    labels = Labels.of(lang, codebook, official_unit)
    clustered = labels.with_roles(
        of_all(q.conceptually_clustered_matrix(counted, informants, codebook, by="role"), labels.w)
    )
    clustered.columns = [
        f"{labels.theme(theme)} ({labels.theme(group).split()[0]})"
        for group, theme in clustered.columns
    ]
    parts: list[Part] = [
        Table(labels.with_headers(block), {"index": True}) for block in column_blocks(clustered)
    ]
    by_informant = q.conceptually_clustered_matrix(counted, informants, codebook)
    parts.append(
        Download(
            by_informant.droplevel(0, axis=1).reset_index(),
            f"conceptually_clustered_{site}",
            labels.w._("Codes each informant named, by theme"),
            head=None,
        )
    )
    return parts


def plot_conceptually_clustered(
    counts: pd.DataFrame, *, title: str, lang: str, codebook: pd.DataFrame | None = None
):
    """Heatmap of a conceptually clustered count matrix (columns (group, theme)), groups divided
    and named.

    Counts of distinct codes are whole numbers: the scale is discrete (:func:`plot_count_heatmap`).
    At most :data:`MAX_HEATMAP_ROWS` informants and :data:`MAX_HEATMAP_COLUMNS` themes are
    drawn (those with the most codes named; the title says so); cells carry their number while
    they are large enough to read it. Labels in ``lang``, themes as the ``codebook`` names them.
    """
    labels = Labels.of(lang, codebook)
    w = labels.w
    shown = largest_part(counts)
    note = trim_note(counts, shown, w)
    flat = shown.copy()
    groups = flat.columns.get_level_values(0)
    flat.columns = [labels.theme(t) for t in flat.columns.get_level_values(-1)]
    fig = plot_count_heatmap(
        flat,
        title=title,
        axes=(w._("theme"), w._("informant"), w._("distinct codes named in the theme")),
        lang=lang,
        annot=flat.shape[1] <= MAX_ANNOTATED_COLUMNS,
        figsize=(
            min(figures.TEXT_WIDTH_IN, 2.8 + 0.45 * flat.shape[1]),
            min(9.0, 1.8 + 0.18 * len(flat)),
        ),
        limits=(None, None),
    )
    ax = fig.axes[0]
    ax.set_title(title + (f"\n{note}" if note else ""), pad=18)  # room for the group names
    bounds = [k for k in range(1, len(groups)) if groups[k] != groups[k - 1]]
    for k in bounds:
        ax.axvline(k, color="black", linewidth=1.5)
    starts = [0] + bounds
    ends = bounds + [len(groups)]
    for a, b in zip(starts, ends):
        group_words = labels.theme(groups[a]).split()
        ax.text(
            (a + b) / 2,
            -0.6,
            group_words[0] if group_words else "",
            ha="center",
            va="bottom",
            fontsize=8,
            fontstyle="italic",
            transform=ax.transData,
            clip_on=False,
        )
    return fig


def clustered_figure_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame, *, lang: str
) -> list[Part]:
    """The heatmap of distinct codes per informant and theme, or why there is none."""
    labels = Labels.of(lang, codebook)
    w = labels.w
    counts = q.conceptually_clustered_matrix(counted, informants, codebook, by="count")
    if counts.empty or counts.shape[1] == 0:
        return [
            Text(
                w._(
                    "No informant of this study has a coded segment (segments without "
                    "`informant_id`, or only notes and documents), so there is no heatmap of "
                    "codes per informant and theme."
                )
            )
        ]
    named = counts.gt(0).sum()
    alt = w._(
        "Heatmap of the distinct codes {rows} informants (rows) named in each of {columns} "
        "themes (columns, grouped by concept). Informants who named the theme: {themes}."
    ).format(
        rows=w.integer(len(counts)),
        columns=w.integer(counts.shape[1]),
        themes="; ".join(
            f"{labels.theme(theme)} {w.integer(int(n))}" for (_group, theme), n in named.items()
        ),
    )
    title = w._("Distinct codes per informant and theme")
    return [
        Figure(
            lambda: plot_conceptually_clustered(counts, title=title, lang=lang, codebook=codebook),
            alt=alt,
        )
    ]


def checklist_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    lang: str,
    official_unit: str | None = None,
) -> list[Part]:
    """The indicator most informants named and the checklist of poverty indicators by role, or
    why there is none (no informant named one: never "named by most informants (0 of 11)")."""
    labels = Labels.of(lang, codebook, official_unit)
    w = labels.w
    checklist = q.checklist_matrix(counted, informants, codebook, theme="indicators")
    facts = q.indicator_facts(checklist)
    if checklist.empty or checklist.shape[1] == 0 or facts["top_indicator_n"] == 0:
        return [
            Text(
                w._(
                    "No informant of this study named a code of the theme `indicators`, so there "
                    "is no checklist."
                )
            )
        ]
    sentence = w.ngettext(
        'The indicator named by most informants is "{indicator}" ({n} of {total} informant).',
        'The indicator named by most informants is "{indicator}" ({n} of {total} informants).',
        len(checklist),
    ).format(
        indicator=facts["top_indicator"],
        n=w.integer(facts["top_indicator_n"]),
        total=w.integer(len(checklist)),
    )
    summary = labels.with_roles(of_all(q.checklist_summary(checklist, informants), w))
    return [Text(sentence), Table(labels.with_headers(summary), {"index": True})]


# --- co-occurrence and triangulation --------------------------------------------------------------


def pair_name(pair: str | None, *, lang: str) -> str:
    """The strongest pair of codes for the prose ("none" when no two codes meet)."""
    return Words(lang)._("none") if pair is None else pair


def cooccurrence_table_parts(
    result: q.CoOccurrence, codebook: pd.DataFrame, *, lang: str
) -> list[Part]:
    """The eight pairs of codes that co-occur most within segments."""
    labels = Labels.of(lang, codebook)
    names = q.code_labels(codebook)
    pairs = result.pairs(8).assign(
        code_1=lambda d: d["code_1"].map(names), code_2=lambda d: d["code_2"].map(names)
    )
    return [
        Table(labels.with_headers(pairs), {"formats": {labels.header("coefficient"): "decimal"}})
    ]


def plot_cooccurrence(coefficient: pd.DataFrame, *, title: str, lang: str, figsize=None):
    """Heatmap of co-occurrence coefficients with the diagonal masked (a code always meets itself).

    The scale runs from 0 to the largest coefficient off the diagonal, so the pairs that do meet
    are told apart instead of being drowned by the diagonal's ones. Labels in ``lang``. Returns
    the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    w = Words(lang)

    whole = coefficient
    coefficient = largest_part(coefficient, symmetric=True)
    if len(coefficient) < len(whole):
        title += "\n" + w._("the {n} of {total} codes that co-occur most").format(
            n=w.integer(len(coefficient)), total=w.integer(len(whole))
        )
    mask = figures.mask_diagonal(coefficient)
    off = coefficient.to_numpy(dtype=float)[~mask]
    top = float(np.nanmax(off)) if off.size and np.isfinite(off).any() else 1.0
    top = max(0.1, np.ceil(top * 10) / 10)
    size = _heatmap_size(coefficient)
    fig, ax = plt.subplots(figsize=figsize or (size[0], min(size[0] - 0.4, 8.0)))
    sns.heatmap(
        coefficient,
        ax=ax,
        mask=mask,
        cmap="rocket_r",
        vmin=0,
        vmax=top,
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": w._("n12 / (n1 + n2 - n12); diagonal left blank"), "shrink": 0.8},
        xticklabels=True,
        yticklabels=True,
    )
    ax.grid(False)  # no grid lines through the blank diagonal
    ax.set_title(title)
    ax.set_xlabel(w._("code"))
    ax.set_ylabel(w._("code"))
    ax.tick_params(axis="both", labelsize=7)
    ax.collections[0].colorbar.ax.tick_params(labelsize=7.5)
    return fig


def cooccurrence_figure_parts(
    result: q.CoOccurrence, codebook: pd.DataFrame, within: str, *, lang: str
) -> list[Part]:
    """The co-occurrence heatmap within segments or informants, or why there is none."""
    w = Words(lang)
    coefficient = result.coefficient
    if coefficient.empty or min(coefficient.shape) < 2:
        return [
            Text(
                w._(
                    "Fewer than two codes occur in this study's segments, so there is no "
                    "co-occurrence heatmap within segments."
                )
                if within == "segment"
                else w._(
                    "Fewer than two codes occur in this study's informants, so there is no "
                    "co-occurrence heatmap within informants."
                )
            )
        ]
    title = (
        w._("Code co-occurrence within segments")
        if within == "segment"
        else w._("Code co-occurrence within informants")
    )
    pair, c = q.strongest_pair(result, q.code_labels(codebook))
    alt = w._(
        "Heatmap of the co-occurrence coefficient of {n} codes (0 when two codes never meet, 1 "
        "when they always come together); the strongest pair is {pair} (c = {c})."
    ).format(
        n=w.integer(len(coefficient)),
        pair=pair_name(pair, lang=lang),
        c=w.decimal(c, 2),
    )
    return [
        Figure(
            lambda: plot_cooccurrence(label_columns(coefficient, codebook), title=title, lang=lang),
            alt=alt,
        )
    ]


def triangulation_parts(
    counted: pd.DataFrame, codebook: pd.DataFrame, site: str, *, lang: str
) -> list[Part]:
    """Segments per theme and source type (triangulated themes marked), and the code-level table
    to download."""
    labels = Labels.of(lang, codebook)
    by_theme = q.triangulation(counted, codebook, level="theme")
    return [
        Table(labels.with_headers(by_theme.assign(theme=by_theme["theme"].map(labels.theme)))),
        Download(
            q.triangulation(counted, codebook),
            f"triangulation_{site}",
            labels.w._("Segments per code and source type"),
            head=None,
        ),
    ]


def case_matrix_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    households: pd.DataFrame | None,
    codebook: pd.DataFrame,
    site: str,
    *,
    lang: str,
) -> list[Part]:
    """The case-ordered meta-matrix when the study's households name its informants, else a
    sentence."""
    labels = Labels.of(lang, codebook)
    w = labels.w
    usable = (
        households is not None
        and "informant_id" in households.columns
        and households["informant_id"].isin(informants["informant_id"]).any()
    )
    if not usable:
        return [
            Text(
                w._(
                    "The data hold no household incomes for this study's informants "
                    "(`households.csv` with `informant_id`), so there is no case-ordered "
                    "meta-matrix sorting informants by their income change."
                )
            )
        ]
    themes = [t for t in ("programmes", "outcomes") if t in set(codebook["theme"])]
    meta = q.case_ordered_meta_matrix(
        counted, informants, households, codebook, site=site, themes=themes or None
    )
    money = {c: meta[c].map(w.integer) for c in ("income_before", "income_after", "change")}
    shown = meta.assign(**money)
    if "business_type" in shown:
        shown["business_type"] = shown["business_type"].map(
            lambda v: v if v is None or v != v else field_label(w, "business_type", v)
        )
    return [
        Text(w._("### Case-ordered meta-matrix")),
        Text(
            w._(
                "The informants whose household incomes the data hold are sorted by the change "
                "in their household's monthly income, largest rise first, next to what they said "
                "about the programme and its outcomes. If credit use and talk of rising income "
                "line up with the largest rises, the display shows it; if not, that is worth "
                "knowing too."
            )
        ),
        Table(labels.with_headers(shown), {"formats": {labels.header("change_pct"): w.integer}}),
    ]


# --- findings -------------------------------------------------------------------------------------

#: The findings table as a reader meets it: the verdict beside the evidence, before the (long)
#: reliability note, so that it is never the column cut off at the page's right edge.
FINDING_COLUMNS = [
    "finding",
    "verdict",
    "informants (k/N)",
    "share %",
    "segments",
    "source_types",
    "reliability",
]


def reliability_text(row, labels: Labels, names: dict[str, str]) -> str:
    """The findings table's reliability note of one finding (a row of
    :func:`analysis.methods.qualitative.findings_table`): the weakest code and its interval, or
    why reliability was not assessed, and whether that caps the verdict at moderate. ``names``
    are the codes' labels."""
    w = labels.w
    status = row["reliability_status"]
    if status == q.ONE_CODER:
        return w._("not assessed (one coder): at most moderate")
    if status == q.NO_DOUBLE_CODING:
        return w._("not assessed (no double coding): at most moderate")
    if status == q.NOT_ASSESSED:
        return w._("not assessed: at most moderate")
    text = w._("{code}: alpha {alpha} (95 % interval {low} to {high}), {verdict}").format(
        code=names.get(row["weakest_code"], row["weakest_code"]),
        alpha=w.decimal(round(float(row["min_alpha"]), 2) + 0.0, 2),
        low=w.decimal(round(float(row["alpha_low"]), 2) + 0.0, 2),
        high=w.decimal(round(float(row["alpha_high"]), 2) + 0.0, 2),
        verdict=interval_verdict_label(row["weakest_verdict"], w),
    )
    if row["codes_unassessed"]:
        n = int(row["codes_unassessed"])
        text += "; " + w.ngettext("{n} code not assessed", "{n} codes not assessed", n).format(
            n=w.integer(n)
        )
    if row["capped"]:
        text += "; " + w._("not every code reliable by its interval: at most moderate")
    return text


def findings_parts(
    findings: StudyFindings,
    codebook: pd.DataFrame,
    *,
    lang: str,
    data_edition: str | None = None,
) -> list[Part]:
    """The findings table with reliability and the quotations, or why there is none.

    The chapter states the rule above the table (the verdict rule, reliability by the interval's
    lower bound, "all of" findings). Shares of informants are shown without an interval (the
    informants were chosen, not drawn). When the ``data_edition`` is illustrative every
    quotation is marked as invented.
    """
    labels = Labels.of(lang, codebook)
    w = labels.w
    if findings.table is None:
        if findings.problem == q.NO_FINDINGS:
            return [
                Text(
                    w._(
                        "The codebook names no finding of this study, so there is no findings "
                        "table."
                    )
                )
            ]
        return [Text(w._("No findings table: {problem}.").format(problem=_text(findings.problem)))]
    table = findings.table.copy()
    names = q.code_labels(codebook)
    table["informants (k/N)"] = [
        f"{w.integer(k)}/{w.integer(n)}"
        for k, n in zip(table["informants"], table["informants_total"])
    ]
    table["share %"] = [w.integer(100 * s) if s == s else "" for s in table["share_informants"]]
    if "reliability_status" in table:
        table["reliability"] = [
            reliability_text(row, labels, names) for _i, row in table.iterrows()
        ]
    table["quotes"] = [
        " ".join(quote_text(x, FINDING_QUOTE_CHARS, data_edition, w) for x in quotes)
        for quotes in table["quotes"]
    ]
    shown = table[[c for c in FINDING_COLUMNS if c in table]].copy()
    shown["verdict"] = shown["verdict"].map(labels.verdict)
    if "source_types" in shown:
        shown["source_types"] = shown["source_types"].map(labels.source_types)
    if data_edition == "illustrative":
        intro = w._(
            "The quotations that illustrate each finding, from consenting informants only "
            "(Indonesian, English gloss in brackets, informant id in parentheses; every one "
            "invented for the illustrative dataset, and marked so):"
        )
    else:
        intro = w._(
            "The quotations that illustrate each finding, from consenting informants only "
            "(Indonesian, English gloss in brackets, informant id in parentheses):"
        )
    return [
        Table(labels.with_headers(shown)),
        Text(intro),
        Table(labels.with_headers(table[["finding", "quotes"]])),
    ]


__all__ = [
    "case_matrix_parts",
    "checklist_parts",
    "clustered_figure_parts",
    "clustered_parts",
    "codebook_parts",
    "coders_parts",
    "cooccurrence_figure_parts",
    "cooccurrence_table_parts",
    "findings_parts",
    "frequency_figure_parts",
    "frequency_parts",
    "informant_matrix_parts",
    "informants_parts",
    "pair_name",
    "role_matrix_parts",
    "triangulation_parts",
]
