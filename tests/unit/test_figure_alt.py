"""A figure's alt text reaches the HTML: ``analysis.chapter.figure(..., alt=...)`` puts it in the
image output's metadata, and ``book/_ext/accessibility.py`` gives it to the ``<img>`` that myst-nb
makes (myst-nb alone writes the file's path there). Checked on a tiny notebook built by Sphinx
with myst-nb, as the book is, and on the pieces of the extension directly.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re

import accessibility
import matplotlib
import pytest
from docutils import nodes

matplotlib.use("Agg")


def _png(colour: str) -> str:
    """A tiny PNG drawn by matplotlib (as a chapter's figure is), base64 as in a notebook."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    ax.bar([0, 1], [2, 3], color=colour)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _output(png: str, alt: str | None) -> dict:
    """An output as ``display(fig, metadata={"image/png": {"alt": alt}})`` stores it."""
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": "<Figure size 20x20 with 1 Axes>"},
        "metadata": {"image/png": {"alt": alt}} if alt is not None else {},
    }


def _notebook(*outputs: dict) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Figures"},
            *(
                {
                    "cell_type": "code",
                    "id": f"c{k}",
                    "metadata": {},
                    "execution_count": k + 1,
                    "source": "figure(fig, alt=...)",
                    "outputs": [output],
                }
                for k, output in enumerate(outputs)
            ),
        ],
    }


HOSTILE_ALT = 'Bars: Jombang 40,1% <b>& "Pakis"</b> {term}`BKM` $x$'


def test_the_alt_text_of_each_image_output_is_found_by_the_hash_of_its_image():
    red, blue = _png("red"), _png("blue")
    texts = accessibility.notebook_alt_texts(
        _notebook(_output(red, "Red bars:\n 2 and 3."), _output(blue, None))
    )
    digest = hashlib.sha256(base64.b64decode(red)).hexdigest()
    assert texts == {digest: "Red bars: 2 and 3."}


def test_an_image_gets_the_alt_text_of_its_output_and_keeps_one_set_by_hand():
    texts = {"a" * 64: "The figure, in numbers."}
    doctree = nodes.section()
    doctree += nodes.image(uri=f"../../_build/jupyter_execute/{'a' * 64}.png")
    doctree += nodes.image(uri=f"{'a' * 64}.png", alt="Set by the author.")
    doctree += nodes.image(uri=f"{'b' * 64}.png")
    assert accessibility.set_alt_texts(doctree, texts) == 1
    assert [image.get("alt") for image in doctree.findall(nodes.image)] == [
        "The figure, in numbers.",
        "Set by the author.",
        None,
    ]


def test_a_tiny_notebook_built_by_sphinx_has_its_alt_text_escaped_in_the_img(tmp_path):
    from sphinx.cmd.build import build_main

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['myst_nb', 'accessibility']\nnb_execution_mode = 'off'\n",
        encoding="utf-8",
    )
    (source / "index.ipynb").write_text(
        json.dumps(_notebook(_output(_png("red"), HOSTILE_ALT), _output(_png("blue"), None))),
        encoding="utf-8",
    )
    out = tmp_path / "html"
    assert build_main(["-q", "-b", "html", str(source), str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img[^>]*\salt="([^"]*)"', page)
    assert len(alts) == 2
    assert alts[0] == (
        "Bars: Jombang 40,1% &lt;b&gt;&amp; &quot;Pakis&quot;&lt;/b&gt; {term}`BKM` $x$"
    )
    # Without alt in its metadata, an image keeps myst-nb's file path: what the book's check
    # (tests/book/test_accessibility.py) reports as a figure without alt text.
    assert alts[1].endswith(".png")


@pytest.mark.parametrize("alt", ["", "   ", None, 3])
def test_no_alt_text_is_taken_from_empty_or_odd_metadata(alt):
    output = _output(_png("green"), None)
    output["metadata"] = {"image/png": {"alt": alt}}
    assert accessibility.notebook_alt_texts(_notebook(output)) == {}
