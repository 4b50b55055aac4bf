"""Hostile text for the fields of a data folder: markup that must be shown, never interpreted.

:data:`PAYLOADS` are whole attacks, each on one line (MyST roles and directives that read files
of the building machine, raw HTML and scripts, RST, LaTeX commands in and out of math, entity
references, substitutions, autolinks, block starters). :func:`hostile_text` draws strings of the
grammar: payloads and fragments of markup mixed with ordinary words and non-ASCII text.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: The first line of /etc/passwd on any Linux machine: found in a published file, it leaked.
PASSWD_MARK = "root:x:0:0"

PAYLOADS = (
    "{download}`pw <../../../../../../../../etc/passwd>`",
    "{include}`/etc/passwd`",
    "```{include} /etc/passwd\n```",
    ":::{include} /etc/passwd\n:::",
    "```{raw} html\n<script>alert(11)</script>\n```",
    "```{eval-rst}\n.. raw:: html\n\n   <script>alert(12)</script>\n```",
    "```{eval-rst}\n.. include:: /etc/passwd\n```",
    ".. raw:: html\n\n   <script>alert(13)</script>",
    "<script>alert(14)</script>",
    '<img src=x onerror="alert(15)">',
    "<a href='javascript:alert(16)'>klik</a>",
    "$\\input{/etc/passwd}$",
    "$$\\input{/etc/passwd}$$",
    "\\input{/etc/passwd}",
    "\\immediate\\write18{cat /etc/passwd}",
    "{math}`\\input{/etc/passwd}`",
    "&lt;script&gt;alert(17)&lt;/script&gt; &amp; &#x3C;b&#x3E;",
    "{{ project }} {{ author }}",
    "<https://evil.example/x>",
    "[klik](javascript:alert(18))",
    "![x](https://evil.example/p.png)",
    "# heading\n- item\n1. item\n> quote",
    "| a | b |\n|---|---|\n| c | d |",
    "**bold** *em* _em_ ~~strike~~ `code`",
    "(target)=\n% comment\n+++",
)

#: Pieces of markup the grammar glues together.
FRAGMENTS = (
    "{",
    "}",
    "`",
    "```",
    ":::",
    "$",
    "$$",
    "\\",
    "<",
    ">",
    "</",
    "&",
    ";",
    "#",
    "*",
    "_",
    "|",
    "[",
    "]",
    "(",
    ")",
    "!",
    "~",
    "^",
    "%",
    "=",
    "+",
    "-",
    "1.",
    ":",
    "{{",
    "}}",
    "{eval-rst}",
    "{raw}",
    "{download}",
    "{include}",
    "{ref}",
    "{term}",
    ".. raw:: html",
    "\\input",
    "\\write18",
    "script",
    "onerror=",
    "&amp;",
    "&#60;",
    "www.evil.example",
    "http://evil.example",
    "\n",
    "\n\n",
    "    ",
    "\t",
)

WORDS = st.sampled_from(
    ("Kelurahan", "Pakis", "P2KP", "Rp 500.000", "Jombang", "Ibu", "warga", "miskin", "2017")
)
UNICODE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=6,
)
PIECES = st.one_of(
    st.sampled_from(PAYLOADS), st.sampled_from(FRAGMENTS), WORDS, UNICODE, st.just(" ")
)


def hostile_text(max_pieces: int = 8):
    """Strings of the grammar: 1 to ``max_pieces`` payloads, fragments and words, joined."""
    return st.lists(PIECES, min_size=1, max_size=max_pieces).map("".join)
