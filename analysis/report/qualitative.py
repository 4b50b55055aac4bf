"""The qualitative chapter in the edition's language: who was heard, the displays, the findings.

Every public function takes the study's results from :mod:`analysis.methods.qualitative` (and
:mod:`analysis.methods.sampling`) and the edition's language ``lang``, and returns the parts a
reader sees (:mod:`analysis.report.parts`). A display the data cannot fill is one sentence saying
why, so that a chapter has no empty section whatever study it runs for. Values from the data (a
title, a place, a coder, a quote) go through :func:`analysis.literal.markdown_literal`.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.contract import LEVELS, ROLE_ORDER
from analysis.i18n import N_
from analysis.literal import markdown_literal as _text
from analysis.methods import qualitative as q
from analysis.methods.agreement import StudyAgreement
from analysis.methods.condensation import coder_ranking
from analysis.methods.findings import VERDICTS
from analysis.methods.qualitative import RoleCell, StudyFindings
from analysis.report import brief
from analysis.report.agreement import word
from analysis.report.findings import ROLE_QUOTE_CHARS, invented_note, quote_text
from analysis.report.labels import INFORMANT_TYPES_PLURAL, Labels, field_label
from analysis.report.parts import Download, Figure, Part, Table, Text
from analysis.report.qualitative_figures import (
    label_columns,
    largest_part,
    plot_code_frequencies,
    plot_conceptually_clustered,
    plot_cooccurrence,
    plot_count_heatmap,
)
from analysis.report.words import Words

#: Most themes one table of the role-ordered matrix shows side by side (its cells hold quotes),
#: and most columns of a table of counts (k/N cells under two-word theme headers, which must fit
#: the text column of a laptop): wider tables are cut into blocks, one under the other.
THEMES_PER_TABLE, COLUMNS_PER_TABLE = 6, 5


#: The chapter's sections its brief points to: the template's headings, whose Indonesian is the
#: chapter catalog's (``locales/id/LC_MESSAGES/chapters/qualitative.po``).
SECTIONS = {
    "display": N_("Data display"),
    "coders": N_("Do two coders read the segments alike?"),
    "findings": N_("How well do the data support the study's findings?"),
}
#: What the brief says once of illustrative data (the banner says the rest).
ILLUSTRATIVE_POINT = N_(
    "These are illustrative data: the counts, quotations and verdicts show how the analysis "
    "works, not field results."
)
#: The kinds of source of a segment, as the brief counts them ("12 from documents").
SOURCE_COUNTS = {
    "interview": N_("{n} from interviews"),
    "observation": N_("{n} from observation notes"),
    "document": N_("{n} from documents"),
}


def in_brief(
    informants: pd.DataFrame,
    counts: dict,
    findings: StudyFindings,
    coders: StudyAgreement,
    codebook: pd.DataFrame,
    edition: str | None,
    *,
    lang: str,
    official_unit: str | None = None,
) -> list[Part]:
    """The chapter in brief: who was heard and what was coded (``counts``:
    :func:`~analysis.methods.qualitative.segment_counts`), how the study's findings fare and the
    best supported one (named from the edition's ``codebook``), whether two coders agree, what
    shares of informants cannot say, once that illustrative data illustrate the method, and where
    to read more. Every number is one the chapter records."""
    labels = Labels.of(lang, codebook, official_unit)
    w = labels.w
    return [
        brief.block(
            [
                _brief_heard(informants, counts, labels),
                _brief_findings(findings, codebook, labels),
                _brief_coders(coders, w),
                w._(
                    "Shares of informants describe who was heard; they do not estimate how common "
                    "a view is."
                )
                + (" " + brief.illustrative_point(edition, w, ILLUSTRATIVE_POINT)).rstrip(),
                brief.read_more(
                    [
                        (w._("the findings and their support"), SECTIONS["findings"]),
                        (w._("who said what"), SECTIONS["display"]),
                        (w._("the coders"), SECTIONS["coders"]),
                    ],
                    w,
                ),
            ],
            w,
        )
    ]


def _brief_heard(informants: pd.DataFrame, counts: dict, labels: Labels) -> str:
    w = labels.w
    n = len(informants)
    roles = [
        labels.role_count(int((informants["role"] == role).sum()), role)
        for role in ROLE_ORDER
        if role in set(informants["role"])
    ] + [
        labels.role_count(int((informants["role"] == role).sum()), role)
        for role in dict.fromkeys(informants["role"])
        if role not in ROLE_ORDER
    ]
    heard = w.ngettext("{n} informant", "{n} informants", n).format(n=w.integer(n))
    if roles:
        heard += f" ({', '.join(roles)})"
    sources = [
        w._(message).format(n=w.integer(counts.get(f"n_segments_{kind}", 0)))
        for kind, message in SOURCE_COUNTS.items()
        if counts.get(f"n_segments_{kind}", 0)
    ]
    return w.ngettext(
        "{heard} and {n} coded segment: {sources}.",
        "{heard} and {n} coded segments: {sources}.",
        counts.get("n_segments", 0),
    ).format(
        heard=heard,
        n=w.integer(counts.get("n_segments", 0)),
        sources=w.conjunction(sources) if sources else w._("none"),
    )


def _brief_findings(findings: StudyFindings, codebook: pd.DataFrame, labels: Labels) -> str:
    w = labels.w
    if findings.table is None:
        if findings.problem == q.NO_FINDINGS:
            return w._(
                "The codebook names no finding of this study: the chapter shows what was said "
                "and weighs no finding."
            )
        return w._("The chapter weighs no finding: the section on the findings says why.")
    table = findings.table
    rated = brief.count_words(
        [(int((table["verdict"] == v).sum()), labels.verdict(v)) for v in VERDICTS], w
    )
    text = w.ngettext(
        "The study reports {n} finding; by the chapter's rule these data rate it {rated}.",
        "The study reports {n} findings; by the chapter's rule these data rate them {rated}.",
        len(table),
    ).format(n=w.integer(len(table)), rated=rated)
    if not (table["verdict"] == "strong").any():
        text += " " + w._("None is strong.")
    order = {v: k for k, v in enumerate(VERDICTS)}
    best = (
        table.assign(_rank=table["verdict"].map(order), _n=-table["informants"])
        .sort_values(["_rank", "_n"], kind="stable")
        .iloc[0]
    )
    if best["verdict"] != "not supported":
        text += " " + w._(
            "The best supported: “{finding}” ({verdict}, {k} of {n} informants)."
        ).format(
            finding=_text(q.finding_names(codebook).get(best["finding"], best["finding"])),
            verdict=labels.verdict(best["verdict"]),
            k=w.integer(best["informants"]),
            n=w.integer(best["informants_total"]),
        )
    return text


def _brief_coders(coders: StudyAgreement, w: Words) -> str:
    if coders.result is None:
        if coders.coders <= 1:
            return w._(
                "One coder coded every segment: agreement between coders cannot be computed, so "
                "no finding is rated above moderate."
            )
        return w._(
            "Agreement between coders cannot be computed ({problem}), so no finding is rated "
            "above moderate."
        ).format(problem=word(coders.problem, w))
    d = coders.to_dict()
    numbers = {"coders": w.integer(d["n_coders"]), "alpha": w.number(d["alpha"], 3)}
    if d.get("alpha_boot_low") is None:
        return w._(
            "{coders} coders; Krippendorff's alpha over the double-coded segments is {alpha} (no "
            "bootstrap interval)."
        ).format(**numbers)
    return w._(
        "{coders} coders; Krippendorff's alpha over the double-coded segments is {alpha} (95 % "
        "interval {low} to {high}: {verdict})."
    ).format(
        low=w.number(d["alpha_boot_low"], 2),
        high=w.number(d["alpha_boot_high"], 2),
        verdict=word(d["alpha_interval_verdict"], w),
        **numbers,
    )


def site_name(study, *, lang: str) -> str:
    """The study's short name as the edition's registry gives it (for the prose)."""
    return study.short_name


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


def named(frame: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """A result's ``label`` column (codes, from a :func:`~analysis.methods.qualitative.codes_only`
    codebook) as the labels of ``codebook``, the edition's; a code it lacks stays as it is."""
    names = q.code_labels(codebook)
    return frame.assign(label=frame["code"].map(lambda c: names.get(c, c)))


def code_name(code: str | None, codebook: pd.DataFrame, *, lang: str) -> str:
    """A code's label in the edition's ``codebook`` for the prose ("none" for None)."""
    if code is None:
        return Words(lang)._("none")
    return q.code_labels(codebook).get(code, code)


def pair_name(pair: tuple[str, str] | None, codebook: pd.DataFrame, *, lang: str) -> str:
    """The strongest pair of codes (:func:`~analysis.methods.qualitative.strongest_pair`) for the
    prose, "label + label" in the edition's ``codebook`` ("none" when no two codes meet)."""
    if pair is None:
        return Words(lang)._("none")
    names = q.code_labels(codebook)
    return " + ".join(names.get(c, c) for c in pair)


def frequency_parts(
    frequencies: pd.DataFrame,
    by_role: pd.DataFrame,
    codebook: pd.DataFrame,
    site: str,
    *,
    lang: str,
) -> list[Part]:
    """Segments and informants per code, and per code and role, to download, labelled from the
    edition's ``codebook``."""
    w = Words(lang)
    frequencies, by_role = named(frequencies, codebook), named(by_role, codebook)
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
    frequencies = named(frequencies, codebook)
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
    """The frame cut into tables of at most ``size`` columns, as even as can be (8 columns in
    blocks of 5 give 4 + 4), the index repeated in each."""
    if frame.shape[1] <= size:
        return [frame]
    blocks = -(-frame.shape[1] // size)
    per = -(-frame.shape[1] // blocks)
    return [frame.iloc[:, k : k + per] for k in range(0, frame.shape[1], per)]


def of_all(frame: pd.DataFrame, w: Words) -> pd.DataFrame:
    """A frame of :class:`analysis.methods.qualitative.OfAll` cells written "k/n"."""
    return frame.map(lambda c: f"{w.integer(c.k)}/{w.integer(c.n)}")


def role_cell(cell: RoleCell | None, edition: str | None, w: Words) -> str:
    """A cell of the role-ordered matrix: "k/N: “quote” [gloss]" or why it quotes no one."""
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
    of themes; when the ``data_edition`` is illustrative, the first block's heading is preceded by
    the one sentence saying that the quotes are invented."""
    labels = Labels.of(lang, codebook, official_unit)
    matrix = q.role_ordered_matrix(counted, informants, codebook)
    cells = labels.with_roles(matrix.map(lambda c: role_cell(c, data_edition, labels.w)))
    parts: list[Part] = []
    note = invented_note(data_edition, labels.w)
    for heading, themes in theme_blocks(matrix.columns, q.theme_groups(codebook), labels):
        if note and not parts and any(c.quote is not None for c in _cells(matrix)):
            heading = f"{note}\n\n{heading}"
        parts += [Text(heading), Table(labels.with_headers(cells[themes]), {"index": True})]
    return parts


def _cells(matrix: pd.DataFrame) -> list[RoleCell]:
    return [c for c in matrix.to_numpy().ravel() if c is not None]


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
    names = q.code_labels(codebook)
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
        indicator=names.get(facts["top_indicator_id"], facts["top_indicator_id"]),
        n=w.integer(facts["top_indicator_n"]),
        total=w.integer(len(checklist)),
    )
    summary = labels.with_roles(of_all(q.checklist_summary(checklist, informants), w))
    summary.columns = [names.get(c, c) for c in summary.columns]
    return [Text(sentence), Table(labels.with_headers(summary), {"index": True})]


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
    pair, c = q.strongest_pair(result)
    alt = w._(
        "Heatmap of the co-occurrence coefficient of {n} codes (0 when two codes never meet, 1 "
        "when they always come together); the strongest pair is {pair} (c = {c})."
    ).format(
        n=w.integer(len(coefficient)),
        pair=pair_name(pair, codebook, lang=lang),
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


__all__ = [
    "case_matrix_parts",
    "checklist_parts",
    "clustered_figure_parts",
    "clustered_parts",
    "codebook_parts",
    "coders_parts",
    "cooccurrence_figure_parts",
    "cooccurrence_table_parts",
    "code_name",
    "frequency_figure_parts",
    "frequency_parts",
    "informant_matrix_parts",
    "informants_parts",
    "named",
    "site_name",
    "pair_name",
    "role_matrix_parts",
    "triangulation_parts",
]


# --------------------------------------------------------------------------- figure captions
#: The captions of the chapter's figures (plain text, pasted by ``{glue:text}`` into the figure's
#: caption): ``{site}`` the study, ``{informants}``/``{codes}``/``{themes}`` counted phrases of
#: what the figure shows, ``{counted}`` whose codings it counts.
CAPTIONS = {
    "frequency": N_(
        "{site}: for each of {codes}, the share of the {informants} who used it (no interval: a "
        "share of informants describes who was heard); colour: theme. Codes used only in "
        "observation notes or documents do not appear. Counts: {counted}."
    ),
    "matrix": N_(
        "{site}: segments of each of the {informants} (rows, from the regency down to residents) "
        "coded with each of {codes} (columns, grouped by theme). Counts: {counted}."
    ),
    "clustered": N_(
        "{site}: distinct codes each of the {informants} (rows) named within each of {themes} "
        "(columns); the black line separates the themes of understanding poverty from those of "
        "responding to it. Counts: {counted}."
    ),
    "segment": N_(
        "{site}: co-occurrence coefficients n12 / (n1 + n2 - n12) of {codes} applied to the same "
        "segment (0: never together, 1: always together; diagonal 1). Counts: {counted}."
    ),
    "informant": N_(
        "{site}: co-occurrence coefficients n12 / (n1 + n2 - n12) of {codes} used by the same "
        "informant, anywhere in the interview (0: never together, 1: always together; diagonal "
        "1). Counts: {counted}."
    ),
}


def counted_by(segments: pd.DataFrame, w: Words) -> str:
    """Whose codings a figure counts, naming the coder (plain text)."""
    coders = coder_ranking(segments) if not segments.empty else []
    if not coders:
        return w._("no coded segment")
    if len(coders) == 1:
        return w._("the codings of {coder}, the only coder").format(coder=coders[0])
    return w._("the primary coder's codings ({coder})").format(coder=coders[0])


def figure_caption(
    figure: str,
    study,
    segments: pd.DataFrame,
    *,
    lang: str,
    informants: int = 0,
    codes: int = 0,
    themes: int = 0,
) -> str:
    """The caption of one of the chapter's figures (:data:`CAPTIONS`: ``frequency``, ``matrix``,
    ``clustered``, ``segment``, ``informant``) for ``study``: its name, how many informants, codes
    and themes the figure shows and whose codings it counts (``segments``: every coder's). Plain
    text, not Markdown: it is pasted as text."""
    w = Words(lang)
    return w._(CAPTIONS[figure]).format(
        site=site_name(study, lang=lang),
        informants=w.ngettext("{n} informant", "{n} informants", informants).format(
            n=w.integer(informants)
        ),
        codes=w.ngettext("{n} code", "{n} codes", codes).format(n=w.integer(codes)),
        themes=w.ngettext("{n} theme", "{n} themes", themes).format(n=w.integer(themes)),
        counted=counted_by(segments, w),
    )


def figure_captions(
    study,
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    lang: str,
) -> dict[str, str]:
    """Every figure's caption (:func:`figure_caption`), by figure, counted from the data the
    figure draws: codes named by informants, the informant × code matrix, the informants and
    themes of the conceptually clustered matrix, the codes that co-occur."""
    frequencies = q.code_frequencies(counted, informants, codebook)
    used = frequencies.dropna(subset=["share_informants"])
    matrix = q.informant_code_matrix(counted, informants, codebook)
    clustered = q.conceptually_clustered_matrix(counted, informants, codebook, by="count")
    segment = q.cooccurrence(counted, codebook, within="segment").coefficient
    informant = q.cooccurrence(counted, codebook, within="informant").coefficient
    sizes = {
        "frequency": {"informants": len(informants), "codes": len(used)},
        "matrix": {"informants": matrix.shape[0], "codes": matrix.shape[1]},
        "clustered": {"informants": clustered.shape[0], "themes": clustered.shape[1]},
        "segment": {"codes": len(segment)},
        "informant": {"codes": len(informant)},
    }
    return {
        figure: figure_caption(figure, study, segments, lang=lang, **counts)
        for figure, counts in sizes.items()
    }
