"""The command line makes one BuildRequest; the benchmark asks for its builds with requests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from analysis.pipeline import book, cli
from analysis.pipeline.request import BuildRequest


def parsed(*argv: str) -> BuildRequest:
    return cli.build_request(cli._parser().parse_args(["build", *argv]))


def test_a_bare_build_is_the_default_request():
    assert parsed() == BuildRequest()


def test_every_option_reaches_the_request():
    request = parsed(
        "--data",
        "d",
        "--out",
        "o",
        "--force",
        "--jobs",
        "3",
        "--strict",
        "--areas",
        "35",
        "--scheduler",
        "tcp://h:1",
        "--lang",
        "id",
        "--pdf",
    )
    assert request == BuildRequest(
        data_dir=Path("d"),
        out_dir=Path("o"),
        languages=("id",),
        pdf=True,
        strict=True,
        force=True,
        jobs=3,
        areas="35",
        scheduler="tcp://h:1",
    )


@pytest.mark.parametrize(
    "argv, html, pdf",
    [
        ([], True, False),
        (["--pdf"], True, True),
        (["--only-pdf"], False, True),
        (["--no-book"], False, False),
    ],
)
def test_the_books_rendered_follow_the_flags(argv, html, pdf):
    request = parsed(*argv)
    assert (request.html, request.pdf) == (html, pdf)


@pytest.mark.parametrize(
    "request_",
    [
        BuildRequest(),
        BuildRequest(data_dir=Path("/d"), out_dir=Path("/o"), languages=("en",), force=True),
        BuildRequest(languages=("en", "id"), html=False, pdf=True, strict=True, jobs=2),
        BuildRequest(areas="all", html=False, scheduler="tcp://127.0.0.1:8786"),
    ],
)
def test_a_request_says_itself_on_the_command_line(request_):
    assert parsed(*request_.arguments()) == request_


def test_a_request_is_frozen_and_a_runs_file_is_not_a_command_line_option(tmp_path):
    request = BuildRequest()
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.force = True  # type: ignore[misc]
    with pytest.raises(ValueError, match="runs.yml"):
        BuildRequest(runs_file=tmp_path / "runs.yml").arguments()


def test_the_command_hands_the_request_to_the_build(monkeypatch):
    seen = []
    monkeypatch.setattr(book, "build", lambda request: seen.append(request) or Path("/x"))
    assert cli.main(["build", "--out", "o", "--lang", "id", "--no-book"]) == 0
    assert seen == [BuildRequest(out_dir=Path("o"), languages=("id",), html=False)]


def test_the_benchmark_declares_no_build_option_of_its_own():
    source = (Path(__file__).resolve().parents[2] / "benchmarks" / "run.py").read_text()
    # (its own --out is where its results.json goes)
    for option in ("--data", "--force", "--lang", "--areas", "--no-book", "--only-pdf"):
        assert f'"{option}"' not in source
    assert "request.arguments()" in source


def test_the_editions_benchmark_builds_through_requests(monkeypatch, tmp_path):
    """benchmarks/editions.py's four clean builds, run with a recording stand-in for the build."""
    import importlib.util
    import sys

    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    monkeypatch.syspath_prepend(str(folder))
    spec = importlib.util.spec_from_file_location("bench_editions", folder / "editions.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_editions", module)
    spec.loader.exec_module(module)
    requests = []

    def recorded(request, chapters_root, label, project):
        requests.append((request.arguments(), label))
        return {"cpu_seconds": 10.0 if "en" in request.languages else 12.0}

    monkeypatch.setattr(module, "run_build", recorded)
    monkeypatch.setattr(module, "copy_project", lambda target: target)
    monkeypatch.setattr(module.shutil, "copytree", lambda source, target: None)
    result = module.editions_benchmark(tmp_path, rounds=2)
    assert [label for _, label in requests] == [
        f"{case} (round {k} of 2)"
        for k in (1, 2)
        for case in ("english html", "both html", "english chapters", "both chapters")
    ]
    assert all("--force" in arguments for arguments, _ in requests)
    assert result["ratio_html"] == result["ratio_chapters"] == 1.2
    assert result["builds"]["both_html"]["cpu_seconds_rounds"] == [12.0, 12.0]
