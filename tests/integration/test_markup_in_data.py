"""End to end: markup planted in the text fields of a data folder is shown, never interpreted.

A copy of the shipped data gets MyST roles and directives that read files of the building
machine, live HTML, RST and LaTeX in the registry (title, place, programme, reference,
headline), the codebook and the programme inventory; ``validate`` accepts it (it is text) and
the English HTML build succeeds. No file of the machine reaches the site, no element the data
wrote is live in any page, and each planted string is on its page as written. (The PDF is not
built here: it would take longer than a test should; the LaTeX writer escapes the same docutils
text nodes.) Slow: executes the chapters.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.project import PROJECT_ROOT
from support.hostile import PASSWD_MARK

pytestmark = pytest.mark.slow
DATA = PROJECT_ROOT / "data"

#: What is planted where (file, row key column, row key, column): the payloads of the issue.
PLANTED = {
    ("studies", "site", "pakis", "title"): "<script>alert(11)</script> title",
    ("studies", "site", "pakis", "place"): "<img src=x onerror=alert(15)> $\\input{/etc/passwd}$",
    ("studies", "site", "pakis", "programme"): "P2KP {download}`pw <../../../../../../etc/passwd>`",
    ("studies", "site", "pakis", "reference"): (
        "```{include} /etc/passwd\n```\n```{eval-rst}\n.. raw:: html\n\n   <script>alert(12)</script>"
        "\n```"
    ),
    ("studies", "site", "pakis", "headline"): "<script>alert(13)</script> {{ project }}",
    ("codebook", "code", "meaning_basic_needs", "label"): "needs $\\input{/etc/passwd}$ <b>x</b>",
    ("codebook", "code", "meaning_basic_needs", "description"): "{include}`/etc/passwd` &amp;",
}
#: The pages on which each planted string must be shown (English edition).
SHOWN_ON = {
    "title": "qualitative_pakis.html",
    "place": "qualitative_pakis.html",
    "headline": "qualitative_pakis.html",
}


def _plant(data: Path) -> None:
    for (name, key, row_key, column), payload in PLANTED.items():
        path = data / "study" / f"{name}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        hits = [r for r in rows if r[key] == row_key]
        assert hits, (name, row_key)
        for row in hits:
            row[column] = payload
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile-data")
    shutil.copytree(DATA, data, dirs_exist_ok=True)
    _plant(data)
    validated = _run("validate", str(data))
    out = tmp_path_factory.mktemp("hostile-book")
    built = _run("build", "--data", str(data), "--out", str(out), "--lang", "en")
    return validated, built, out / "html"


def test_markup_in_data_is_valid_text_and_the_book_builds(hostile_book):
    validated, built, html = hostile_book
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]
    assert built.returncode == 0, built.stderr[-5000:]
    assert (html / "book" / "chapters" / "qualitative_pakis.html").is_file()


def test_no_file_of_the_machine_reaches_the_site(hostile_book):
    _, built, html = hostile_book
    assert built.returncode == 0, built.stderr[-3000:]
    leaked = [p for p in html.rglob("*") if p.is_file() and PASSWD_MARK.encode() in p.read_bytes()]
    assert leaked == []
    assert not [p for p in html.rglob("passwd*")]


def _pages(html: Path):
    for page in sorted(html.rglob("*.html")):
        yield page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_no_element_the_data_wrote_is_live_in_any_page(hostile_book):
    _, built, html = hostile_book
    assert built.returncode == 0, built.stderr[-3000:]
    for page, soup in _pages(html):
        scripts = [s for s in soup.find_all("script") if "alert(" in (s.string or "")]
        assert scripts == [], page
        handlers = [  # the theme's own buttons have onclick handlers; none runs an alert
            tag
            for tag in soup.find_all(True)
            if any(n.lower().startswith("on") and "alert" in str(v) for n, v in tag.attrs.items())
        ]
        assert handlers == [], page
        assert not soup.find_all("img", src="x"), page
        assert not [b for b in soup.find_all("b") if b.get_text() == "x"], page


def _text(soup: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", soup.get_text(" "))


def test_every_planted_string_is_shown_as_written(hostile_book):
    _, built, html = hostile_book
    assert built.returncode == 0, built.stderr[-3000:]
    chapters = html / "book" / "chapters"
    for (_name, _key, _row, column), payload in PLANTED.items():
        page = SHOWN_ON.get(column)
        if page is None:
            continue
        text = _text(BeautifulSoup((chapters / page).read_text(encoding="utf-8"), "html.parser"))
        assert re.sub(r"\s+", " ", payload) in text, (column, payload)


def test_the_title_from_data_is_text_in_the_head_and_the_print_header(hostile_book):
    _, built, html = hostile_book
    assert built.returncode == 0, built.stderr[-3000:]
    page = html / "book" / "chapters" / "qualitative_pakis.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    headline = PLANTED[("studies", "site", "pakis", "headline")]
    printed = soup.select_one("#jb-print-docs-body h1")
    assert printed is not None and printed.find(True) is None
    assert headline in printed.get_text()
    assert headline in soup.title.get_text()
    assert headline in soup.find("h1").get_text()
