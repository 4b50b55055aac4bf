"""The findings of a study in the edition's language: the findings table with its verdicts and
reliability notes, and the quotations that illustrate each finding.

Quotes are written here for every display of the chapter (:func:`quote_text`): in their original
Indonesian, with the English gloss in the English edition only, and attributed. When the data are
illustrative, each display of quotes says once that they are invented (:data:`INVENTED_QUOTES`),
not every quote.
"""

from __future__ import annotations

import pandas as pd

from analysis.i18n import N_, SOURCE_LANGUAGE
from analysis.literal import markdown_literal as _text
from analysis.methods import qualitative as q
from analysis.methods.qualitative import Quote, StudyFindings
from analysis.report.agreement import interval_verdict_label
from analysis.report.labels import Labels
from analysis.report.parts import Part, Spoken, Table, Text, join_spoken
from analysis.report.words import Words

#: Said once above a display of quotes from an illustrative dataset: their words were made up.
INVENTED_QUOTES = N_(
    "Every quotation below was invented for the illustrative dataset; none is an informant's."
)
#: The language the informants' quotes are in (the studies' interviews): marked as such on the
#: pages of another edition (``lang`` on the quote's span).
QUOTE_LANGUAGE = "id"


#: Most characters of a quote in the role-ordered matrix and in the findings table.
ROLE_QUOTE_CHARS, FINDING_QUOTE_CHARS = 60, 90


#: The methods' reasons for a missing findings table, in words (the methods give codes).
PROBLEMS = {
    q.NO_FINDING_COLUMN: N_(
        "the codebook has no 'finding' column, so there are no findings to tabulate"
    ),
}


def problem_words(problem: str, w: Words) -> str:
    """Why there is no findings table, in the edition's language (a message the methods do not
    know, from a codebook's own problem, stays as it is)."""
    return w._(PROBLEMS[problem]) if problem in PROBLEMS else problem


def attribution(informant_id, edition: str | None, w: Words) -> str:
    """Who said it, in parentheses: ``attribution("PKS-R01", "illustrative", Words("en"))`` is
    "(PKS-R01)". ``edition`` no longer marks the quote: a display of illustrative quotes says
    once that they are invented (:func:`invented_note`)."""
    who = "" if informant_id is None or informant_id != informant_id else str(informant_id)
    return f"({who})" if who else ""


def invented_note(edition: str | None, w: Words) -> str:
    """:data:`INVENTED_QUOTES` above a display of quotes from illustrative data, else ""."""
    return w._(INVENTED_QUOTES) if edition == "illustrative" else ""


def quote_text(quote: Quote, max_chars: int, edition: str | None, w: Words) -> str:
    """“text” [gloss] (informant id).

    The quote is always in its original Indonesian; the English gloss is shown in the English
    edition only. The display says once whether its quotes are invented (:func:`invented_note`).
    """
    lang = QUOTE_LANGUAGE if w.lang != QUOTE_LANGUAGE else ""
    text = "“" + Spoken(q.excerpt(quote.text, max_chars), lang) + "”"
    if quote.gloss and w.lang == SOURCE_LANGUAGE:
        text += f" [{q.excerpt(quote.gloss, max_chars)}]"
    who = attribution(quote.informant_id, edition, w)
    return text + (f" {who}" if who else "")


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
    informants were chosen, not drawn). When the ``data_edition`` is illustrative the sentence
    above the quotations says, once, that they are invented.
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
        return [
            Text(
                w._("No findings table: {problem}.").format(
                    problem=_text(problem_words(findings.problem, w))
                )
            )
        ]
    table = findings.table.copy()
    names = q.code_labels(codebook)
    stated = q.finding_names(codebook)  # a finding named by its id (codes_only) -> its words
    table["finding"] = table["finding"].map(lambda f: stated.get(f, f))
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
        join_spoken(" ", (quote_text(x, FINDING_QUOTE_CHARS, data_edition, w) for x in quotes))
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
            "invented for the illustrative dataset):"
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


__all__ = ["attribution", "findings_parts", "invented_note", "quote_text", "reliability_text"]
