"""A figure's alt text reaches the HTML: ``analysis.chapter.figure(..., alt=...)`` puts it in the
image output's metadata, and ``book/_ext/accessibility.py`` gives it to the ``<img>`` that myst-nb
makes (myst-nb alone writes the file's path there). Checked here on the pieces of the extension
directly; tests/integration/test_sphinx_extensions.py builds a tiny notebook with Sphinx and
myst-nb, as the book is.
"""

from __future__ import annotations

import base64
import hashlib

import accessibility
import pytest
from docutils import nodes

from support.notebook_figures import notebook, output, png


def test_the_alt_text_of_each_image_output_is_found_by_the_hash_of_its_image():
    red, blue = png("red"), png("blue")
    texts = accessibility.notebook_alt_texts(
        notebook(output(red, "Red bars:\n 2 and 3."), output(blue, None))
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


@pytest.mark.parametrize("alt", ["", "   ", None, 3])
def test_no_alt_text_is_taken_from_empty_or_odd_metadata(alt):
    image = output(png("green"), None)
    image["metadata"] = {"image/png": {"alt": alt}}
    assert accessibility.notebook_alt_texts(notebook(image)) == {}
