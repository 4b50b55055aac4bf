"""The privacy scanner over large corpora: a million identifiers, ten thousand GUIDs, a thousand
pictures and the shipped executed chapters hold nothing that reads as personal data (the
scanner's rules, case by case, are tested in tests/unit/test_privacy.py)."""

from __future__ import annotations

import base64
import json

import pandas as pd

from analysis.data.privacy import _find_in_folded, scan_built_files, scan_for_personal_data
from analysis.project import PROJECT_ROOT
from support.random_corpora import random_guids, random_pngs


def test_scan_of_a_million_ids_without_personal_data_finds_nothing():
    ids = pd.DataFrame({"household_id": [f"H{i:07d}" for i in range(1_000_000)]})
    assert scan_for_personal_data({"households.csv": ids}) == []


def test_ten_thousand_random_guids_are_no_personal_data(tmp_path):
    guids = random_guids(10_000)
    upper = [g.upper() for g in guids[:1000]]
    frame = pd.DataFrame({"segment_id": guids, "note": [f"seleksi {g} dari NVivo" for g in guids]})
    assert (
        scan_for_personal_data({"segments.csv": frame, "u.csv": pd.DataFrame({"id": upper})}) == []
    )
    (tmp_path / "ids.html").write_text("\n".join(f"<td>{g}</td>" for g in guids + upper))
    assert scan_built_files(tmp_path) == []
    # the corpus tests something: without the rule for identifiers, digits in it look like phones
    assert sum(bool(_find_in_folded(g)) for g in guids) > 0


def test_a_thousand_pictures_as_data_uris_and_notebook_outputs_are_not_read_as_text(tmp_path):
    pngs = [base64.b64encode(png).decode() for png in random_pngs(1000)]
    # Base64 holds digit runs that read as phone numbers (the issue met one in a chart); plant
    # such a run, four-aligned so that the payload stays base64, in every tenth picture.
    pngs = [p if i % 10 else p[:40] + "/+6281234567890/" + p[40:] for i, p in enumerate(pngs)]
    lines = [f'<img alt="gambar {i}" src="data:image/png;base64,{p}"/>' for i, p in enumerate(pngs)]
    (tmp_path / "page.html").write_text("\n".join(lines), encoding="utf-8")
    outputs = [
        {
            "output_type": "display_data",
            "data": {
                # nbformat keeps a picture as one string; IPython's encoder breaks it into lines
                "image/png": p if i % 2 else base64.encodebytes(base64.b64decode(p)).decode(),
                "text/plain": ["<Figure size 640x480 with 1 Axes>"],
            },
            "metadata": {},
        }
        for i, p in enumerate(pngs)
    ]
    markdown = {"cell_type": "markdown", "source": [f"![peta](data:image/png;base64,{pngs[0]})"]}
    code = {"cell_type": "code", "source": ["figure()"], "outputs": outputs}
    (tmp_path / "chapter.ipynb").write_text(json.dumps({"cells": [markdown, code]}, indent=1))
    assert scan_built_files(tmp_path) == []
    # the corpus tests something: read as text, the pictures hold phone-number look-alikes
    assert sum(bool(_find_in_folded(p)) for p in pngs) >= 50


def test_the_shipped_executed_chapters_hold_no_personal_data():
    """Notebooks as _sources publishes them: text, tables and figures as base64 PNG outputs (the
    issue's false alarm was a phone-number look-alike inside such a picture)."""
    chapters = sorted((PROJECT_ROOT / "book" / "chapters").rglob("*.ipynb"))
    assert chapters and any('"image/png"' in path.read_text() for path in chapters)
    assert scan_built_files(PROJECT_ROOT / "book" / "chapters") == []
