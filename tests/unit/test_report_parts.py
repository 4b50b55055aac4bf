"""The report layer's contract: a report function takes the language and returns typed parts,
which :func:`analysis.chapter.show` displays in that language."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import chapter, i18n
from analysis.report.parts import Download, Figure, Table, Text
from analysis.report.words import Words


def test_words_write_in_the_language_given_not_the_ambient_one():
    with i18n.in_language("en"):
        indonesian = Words("id")
        assert indonesian.number(1250000.5, 1) == "1.250.000,5"
        assert indonesian.rupiah(-40000) == "-Rp\u00a040.000"
        assert Words("en").number(1250000.5, 1) == "1,250,000.5"
    with i18n.in_language("id"):
        assert Words("en").p_value(0.0390) == "0.0390"


def test_words_translate_with_the_editions_catalog():
    # a message of the chapter layer that has an Indonesian translation
    message = "The download has every column ({n}). "
    assert Words("en")._(message) == message
    assert Words("id")._(message) != message
    assert "{n}" in Words("id")._(message)


def test_words_refuse_an_unknown_language():
    with pytest.raises(i18n.LanguageError):
        Words("fr")


def _report(value, *, lang):
    w = Words(lang)
    return [Text(w.number(value, 1)), Table(pd.DataFrame({"a": [1]}))]


def test_show_calls_a_report_function_in_the_chapters_language(monkeypatch):
    shown = []
    monkeypatch.setattr(chapter, "display", lambda obj, **_: shown.append(obj))
    monkeypatch.setattr(chapter, "table", lambda frame, **_: shown.append(("table", len(frame))))
    with i18n.in_language("id"):
        chapter.show(_report, 1234.5)
    assert shown[0].data == "1.234,5"
    assert shown[1] == ("table", 1)


def test_show_passes_alt_text_and_skips_empty_parts(monkeypatch):
    drawn = []
    monkeypatch.setattr(chapter, "display", lambda obj, **_: drawn.append(obj))
    monkeypatch.setattr(chapter, "figure", lambda fig, edition, alt="": drawn.append((fig, alt)))
    chapter.show([Text(""), Figure(lambda: "fig", alt="3 bars: 10, 20, 30"), Figure(lambda: None)])
    assert drawn == [("fig", "3 bars: 10, 20, 30")]


def test_show_refuses_arguments_with_a_list_of_parts():
    with pytest.raises(TypeError):
        chapter.show([Text("x")], 1)


def test_download_part_carries_its_options():
    part = Download(
        pd.DataFrame({"a": [1, 2]}), "name", "label", head=1, options={"columns": ["a"]}
    )
    assert part.options == {"columns": ["a"]} and part.head == 1


def test_a_quote_in_another_language_keeps_its_language_through_joins_and_into_the_html():
    from analysis.report.parts import Spoken, join_spoken

    quote = "“" + Spoken("kredit <bergulir>", "id") + "” [revolving credit]"
    cell = "4/9: " + join_spoken(" ", [quote, quote])
    assert isinstance(cell, Spoken) and cell.startswith("4/9: “kredit")
    html = chapter._Plain(pd.DataFrame({"quote": [cell]}), [False], [""])._repr_html_()
    assert html.count('<span lang="id">kredit &lt;bergulir&gt;</span>') == 2
    assert "[revolving credit]" in html and "<bergulir>" not in html
    markdown = chapter._Plain(pd.DataFrame({"quote": [cell]}), [False], [""])._repr_markdown_()
    assert "span" not in markdown and "kredit" in markdown


def test_an_indonesian_quote_is_marked_on_english_pages_only():
    from analysis.methods.qualitative import Quote
    from analysis.report import findings

    quote = Quote(text="Kemiskinan itu banyak sisinya.", gloss="Poverty has many sides.")
    english = findings.quote_text(quote, 90, None, Words("en"))
    indonesian = findings.quote_text(quote, 90, None, Words("id"))
    assert ("Kemiskinan itu banyak sisinya.", "id") in english.spans
    assert not any(lang for _text, lang in getattr(indonesian, "spans", ()))


def test_a_table_keeps_the_language_of_its_cells(monkeypatch):
    from analysis.report.parts import Spoken

    cell = "1/3: “" + Spoken("teks", "id") + "”"
    frame, _numeric, _code = chapter.prepare(pd.DataFrame({"meaning": [cell]}))
    assert getattr(frame.iloc[0, 0], "spans", None) == cell.spans
