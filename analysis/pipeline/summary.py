"""The landing page's summary (``book/_generated/summary.md``): what the book can say about each
study, in a minute, in the edition's language.

Per study (registry order): whether its data are illustrative or field data; each finding it
reports with the verdict the synthesis gave it and the support behind it (informants, kinds of
source); its income claim with what the data can say about it; and where to read more. Every
number comes from ``results.json`` (the synthesis run's ``finding_<site>_<k>_*`` keys and the
income run's keys), every text from the data (the codebook's findings and the registry, shown
literally); nothing is computed here.
"""

from __future__ import annotations

from pathlib import Path

from analysis.literal import markdown_literal
from analysis.report.labels import VERDICT_LABELS
from analysis.report.words import Words


def _finding_texts(data_dir: Path, lang: str) -> dict[str, str]:
    """Code -> the finding it belongs to, in ``lang`` (the codebook's ``finding`` column)."""
    from analysis.data.loading import load

    try:
        codebook = load(data_dir, "codebook", lang)
    except (FileNotFoundError, ValueError):
        return {}
    if "finding" not in codebook:
        return {}
    stated = codebook.dropna(subset=["finding"])
    return {str(code): str(text) for code, text in zip(stated["code"], stated["finding"])}


def _doc(runs, run_id: str) -> str | None:
    run = next((r for r in runs if r.id == run_id), None)
    return f"/{run.docname}" if run is not None else None


def _claim_line(w: Words, study, income: dict | None, kind: str | None) -> str | None:
    low, high = study.claim.get("claim_pct_low"), study.claim.get("claim_pct_high")
    if low is None:
        return None
    claim = (
        w._("an income rise of {pct}").format(pct=w.percent(low))
        if high is None or high == low
        else w._("an income rise of {low} to {high}").format(
            low=w.number(low), high=w.percent(high)
        )
    )
    if not income or income.get("mean_pct_change") is None:
        return w._("Income claim: {claim}; the data hold no household incomes to check it.").format(
            claim=claim
        )
    if kind == "illustrative":
        return w._(
            "Income claim: {claim}. Not testable here: the illustrative incomes were generated "
            "to match it (their mean change is {mean}, by construction)."
        ).format(claim=claim, mean=w.percent(income["mean_pct_change"], 1))
    interval = ""
    if income.get("pct_t_ci95_low") is not None:
        interval = w._(" (95 % interval {low} to {high})").format(
            low=w.number(income["pct_t_ci95_low"], 1), high=w.percent(income["pct_t_ci95_high"], 1)
        )
    return w._(
        "Income claim: {claim}. The {n} households here changed by a mean of {mean}{interval}, "
        "before and after, without a comparison group: a change, not an effect."
    ).format(
        claim=claim,
        n=w.integer(income.get("n") or 0),
        mean=w.percent(income["mean_pct_change"], 1),
        interval=interval,
    )


def summary_markdown(data_dir: Path, results: dict, runs: list, lang: str = "en") -> str:
    """The summary in ``lang`` from ``results`` (``{run id: {key: value}}``) and the registry."""
    from analysis.data import registry

    w = Words(lang)
    if not registry.has_registry(data_dir):
        return ""
    synthesis = results.get("synthesis", {})
    texts = _finding_texts(data_dir, lang)
    blocks = []
    for study in registry.all_studies(data_dir, lang):
        site = study.site
        kind = study.data_kind
        kind_words = {
            "illustrative": w._("illustrative data"),
            "field": w._("field data"),
        }.get(kind, "")
        head = f"**{markdown_literal(study.short_name)}**" + (
            f" ({kind_words})" if kind_words else ""
        )
        lines = [head]
        n = synthesis.get(f"finding_{site}_n") or 0
        for k in range(1, n + 1):
            prefix = f"finding_{site}_{k}_"
            text = texts.get(str(synthesis.get(prefix + "code")), "")
            verdict = synthesis.get(prefix + "verdict", "")
            sources = synthesis.get(prefix + "source_types") or 0
            support = w.ngettext(
                "{k} of {n} informants, {s} kind of source",
                "{k} of {n} informants, {s} kinds of source",
                sources,
            ).format(
                k=w.integer(synthesis.get(prefix + "informants") or 0),
                n=w.integer(synthesis.get(prefix + "informants_total") or 0),
                s=w.integer(sources),
            )
            if synthesis.get(prefix + "logic") == "all":
                support += w._("; all of its parts counted together")
            lines.append(
                f"- {markdown_literal(text)}: **{w._(VERDICT_LABELS.get(verdict, verdict))}** "
                f"({support})"
            )
        claim = _claim_line(w, study, results.get(f"income-{site}"), kind)
        if claim:
            lines.append(f"- {claim}")
        links = [
            f"{{doc}}`{label} <{doc}>`"
            for label, doc in (
                (w._("interviews and codings"), _doc(runs, f"qualitative-{site}")),
                (w._("household incomes"), _doc(runs, f"income-{site}")),
            )
            if doc
        ]
        if links:
            lines.append("- " + w._("Read more: {links}.").format(links=w.conjunction(links)))
        blocks.append("\n".join(lines))
    if not blocks:
        return ""
    rules = next(
        (v for run, v in sorted(results.items()) if run.startswith("qualitative-") and v), {}
    )
    if not rules.get("rule_strong_min_informants"):
        return "\n\n".join(blocks) + "\n"
    rule = w._(
        "A finding is **strong** only when at least {k} informants ({share} of the study's) and at "
        "least {s} kinds of source support it and every code it rests on is reliable by the lower "
        "bound of its agreement interval (Krippendorff's alpha at least 0.8); the synthesis chapter "
        "gives the whole rule and the other verdicts. The informants were chosen, not drawn: their "
        "counts describe the interviews, they do not estimate a population."
    ).format(
        k=w.integer(rules["rule_strong_min_informants"]),
        share=w.percent(rules.get("rule_min_share_pct") or 0),
        s=w.integer(rules.get("rule_min_source_types") or 0),
    )
    return "\n\n".join(blocks) + "\n\n" + rule + "\n"


__all__ = ["summary_markdown"]
