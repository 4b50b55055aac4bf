"""Text from data, made literal for each output it lands in: MyST Markdown and HTML.

A value read from a data file or an imported project (a study's title, place or reference, a
codebook label, a quote, a coder's name, an area's name) is text, never markup. Every place that
puts such a value into a string that is later parsed passes it through one of these functions:

- :func:`markdown_literal` for MyST Markdown (prose, headings, pipe-table cells): every ASCII
  punctuation character is backslash-escaped, as CommonMark allows, so no role, directive,
  HTML, math, link, entity or substitution can start; line breaks become spaces, so no block
  can start either. What MyST makes of it is a docutils text node, which the HTML writer and the
  LaTeX writer escape for their own syntax.
- :func:`markdown_code` for a value shown as code (a field name, a parameter value).
- :func:`markdown_link` for a link whose address comes from data (http and https only).
- :func:`html_literal` for HTML text and attribute values.
- :func:`markdown_in_language` for text in another language than the page's (an Indonesian
  quote on an English page): literal text in a MyST span that the HTML gets as ``lang="id"``.
- Figures need no escaping: the book's matplotlib style (:data:`analysis.figures.RC`) turns
  mathtext off, so a ``$`` in a label from data is a dollar sign (an escaper as well would
  show its backslash).

The module is top level, not under ``methods`` or ``build``, because every layer that writes
markup uses it: the sentences of ``analysis.methods``, the tables of ``analysis.chapter``, the run
titles and generated pages of ``analysis.pipeline`` and the Sphinx extensions of ``book/_ext``. The
code's own sentences (translated, with deliberate ``**bold**`` or ``{term}`` roles) are not
passed through it; only the values inserted into them are.
"""

from __future__ import annotations

import html
import re
import string

#: ASCII punctuation: the characters CommonMark lets a backslash escape (and the only ones that
#: can start markup in MyST: roles, directives, fences, HTML, math, links, entities, tables).
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
#: Runs of white space, line breaks included (Python's ``\s``: also U+2028, U+0085 and the like),
#: but not the no-break spaces, which CommonMark treats as text and typography needs.
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def collapse_spaces(text: str) -> str:
    """``text`` on one line: every run of white space one space, none at either end (no-break
    spaces inside kept; at an end even they would stop the emphasis around a value)."""
    return _SPACES.sub(" ", str(text)).strip()


def markdown_literal(text) -> str:
    """``text`` as literal MyST inline text: it renders as the characters written.

    Every ASCII punctuation character is backslash-escaped (``<script>`` becomes
    ``\\<script\\>``, ``{download}`` becomes ``\\{download\\}``, ``$x$`` becomes ``\\$x\\$``)
    and white space is collapsed to single spaces (:func:`collapse_spaces`), so the value can
    neither close the sentence's emphasis nor start a block. Fit for a paragraph, a heading, an
    emphasis and a pipe-table cell.
    """
    return _PUNCTUATION.sub(r"\\\1", collapse_spaces(text))


def markdown_code(text) -> str:
    """``text`` as a MyST code span (shown in monospace, nothing inside it parsed).

    The fence is one backtick longer than the longest run of backticks in ``text``, with a
    space on each side when ``text`` starts or ends with a backtick, as CommonMark specifies.
    """
    text = collapse_spaces(text)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_with_code(text) -> str:
    """``text`` literal except its backtick-quoted spans, shown as code (a description that
    names a field: "the `site` of the study")."""
    parts = re.split(r"`([^`]+)`", collapse_spaces(text))
    return "".join(
        markdown_code(part) if k % 2 else _PUNCTUATION.sub(r"\\\1", part)
        for k, part in enumerate(parts)
    )


#: Link schemes a link from data may have; any other address (``javascript:``, ``file:``, a
#: relative path that Sphinx would copy as a download) is shown as text, not linked.
LINK_SCHEMES = ("http", "https")


def markdown_link(text, url) -> str:
    """A MyST link to ``url`` (http or https only) reading ``text``; otherwise the text alone.

    The address is written between angle brackets with ``\\``, ``<`` and ``>`` escaped, so that
    it can neither end the link early nor hold markup.
    """
    url = collapse_spaces(url)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES or not url.split(":", 1)[1].startswith("//"):
        return markdown_literal(text)
    destination = re.sub(r"([\\<>])", r"\\\1", url)
    return f"[{markdown_literal(text)}](<{destination}>)"


#: A language tag as ``markdown_in_language`` accepts it: a BCP 47 primary language subtag (ISO
#: 639, two or three letters), optionally a region or script (``id``, ``jv``, ``pt-br``).
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")


def markdown_in_language(text, lang: str) -> str:
    """``text`` (literal, as :func:`markdown_literal`) marked as written in ``lang``.

    A MyST span with the class ``language-<lang>`` (the ``attrs_inline`` extension, enabled in
    ``_config.yml``): docutils' HTML writer makes that class the span's ``lang`` attribute, so a
    screen reader reads an Indonesian quote on an English page with Indonesian pronunciation
    (WCAG 3.1.2, language of parts). ``lang`` is a language tag (``id``, ``jv``); anything else is
    refused. Empty text is an empty string (no empty span).
    """
    tag = str(lang).strip().lower()
    if not _LANGUAGE.fullmatch(tag):
        raise ValueError(f"not a language tag: {lang!r}")
    literal = markdown_literal(text)
    if not literal:
        return ""
    return f"[{literal}]{{.language-{tag}}}"


def html_literal(text) -> str:
    """``text`` for HTML, as element content or as a quoted attribute value."""
    return html.escape(str(text), quote=True)


__all__ = [
    "collapse_spaces",
    "html_literal",
    "markdown_code",
    "markdown_in_language",
    "markdown_link",
    "markdown_literal",
    "markdown_with_code",
]
