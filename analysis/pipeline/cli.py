"""Command line: ``python -m analysis COMMAND``.

Exit codes: 0 success, 1 a chapter failed to execute or the book failed to build,
2 bad input (data, runs file, parameters, arguments).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.pipeline.request import BuildRequest
from analysis.project import DATA_DIR, EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser(
        "build", help="validate the data, execute the chapters, build the HTML book"
    )
    build.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data directory laid out like data/ (default: the shipped data/)",
    )
    build.add_argument("--out", type=Path, default=None, help="build folder (default: _build/)")
    build.add_argument(
        "--force", action="store_true", help="re-execute every run whatever the cache says"
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="runs executed in parallel (default: number of cores)",
    )
    build.add_argument("--pdf", action="store_true", help="also build the PDF (latex/book.pdf)")
    build.add_argument(
        "--only-pdf",
        action="store_true",
        help="build the PDF from the executed chapters, not the HTML",
    )
    build.add_argument(
        "--strict", action="store_true", help="Sphinx warnings are errors (-W --keep-going -n)"
    )
    build.add_argument(
        "--no-book", action="store_true", help="execute the chapters but do not build the book"
    )
    build.add_argument(
        "--areas",
        default=None,
        metavar="CODES",
        help="also build a context chapter for every regency or city whose BPS code starts with "
        "one of CODES (comma-separated, e.g. 35 for Jawa Timur, or 'all'), as a separate book "
        "in --out (default: _build/)",
    )
    build.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="execute the runs on the Dask distributed scheduler at ADDRESS "
        "(e.g. tcp://10.0.0.5:8786) instead of local processes",
    )

    build.add_argument(
        "--lang",
        action="append",
        choices=("en", "id"),
        default=None,
        metavar="LANG",
        help="build the edition in LANG (en, id; repeat for both). Default: every edition "
        "(English alone with --areas); English is always built, the other editions link to it",
    )

    sub.add_parser(
        "plan",
        help="(maintainers) rewrite book/runs.yml and _toc.yml from data/study/studies.csv",
    )

    validate = sub.add_parser("validate", help="check a data directory against the data contract")
    validate.add_argument("directory", nargs="?", type=Path, default=DATA_DIR)

    qdpx = sub.add_parser(
        "import-qdpx",
        help="read a coded REFI-QDA project (.qdpx) into a study: codebook, segments, informants",
    )
    qdpx.add_argument("file", type=Path)
    qdpx.add_argument("--out", type=Path, required=True, help="data folder to write study/ into")
    qdpx.add_argument("--site", required=True, help="id of the study (a-z, 0-9, '-')")
    qdpx.add_argument("--force", action="store_true", help="replace existing study files")
    qdpx.add_argument(
        "--title",
        default=None,
        help="the study's title (default: the project's name, or its description's first line)",
    )
    qdpx.add_argument(
        "--positions",
        default=None,
        help="how the exporting tool counted positions (default: found per source), e.g. "
        "codepoint/as-stored, utf16/as-stored, utf8/as-stored, codepoint/crlf-as-one",
    )

    qdpx_out = sub.add_parser(
        "export-qdpx",
        help="write a study's codebook, sources, coded segments and coders as a REFI-QDA project",
    )
    qdpx_out.add_argument("directory", type=Path, help="data folder holding study/")
    qdpx_out.add_argument("--site", required=True, help="id of the study to export")
    qdpx_out.add_argument("--out", type=Path, required=True, help="the .qdpx file to write")
    qdpx_out.add_argument("--force", action="store_true", help="replace an existing file")

    illus = sub.add_parser(
        "make-illustrative",
        help="(maintainers) regenerate the illustrative study data into a directory",
    )
    illus.add_argument("--out", type=Path, required=True)
    illus.add_argument("--seed", type=int, default=None)

    dp = sub.add_parser("datapackage", help="(maintainers) write or check data/datapackage.json")
    dp.add_argument("directory", nargs="?", type=Path, default=DATA_DIR)
    dp.add_argument(
        "--check",
        action="store_true",
        help="report files whose sha256 no longer matches; write nothing",
    )
    tr = sub.add_parser(
        "translations",
        help="(translators) update or check the message catalogs of the code (analysis/locale)",
    )
    tr.add_argument("action", choices=("update", "check"))
    return parser


def build_request(args: argparse.Namespace) -> BuildRequest:
    """The build the arguments of ``python -m analysis build`` ask for."""
    return BuildRequest(
        data_dir=args.data,
        out_dir=args.out,
        languages=tuple(args.lang or ()),
        html=not (args.no_book or args.only_pdf),
        pdf=args.pdf or args.only_pdf,
        strict=args.strict,
        force=args.force,
        jobs=args.jobs,
        areas=args.areas,
        scheduler=args.scheduler,
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from analysis.pipeline.book import main as build_main

        return build_main(build_request(args))
    if args.command == "plan":
        from analysis.pipeline.plan import main as plan_main

        return plan_main()
    if args.command == "validate":
        from analysis.data.validate import main as validate_main

        return validate_main(args.directory)
    if args.command == "import-qdpx":
        from analysis.data.qdpx import main as qdpx_main

        return qdpx_main(
            args.file,
            args.out,
            site=args.site,
            force=args.force,
            positions=args.positions,
            title=args.title,
        )
    if args.command == "export-qdpx":
        from analysis.data.qdpx_export import main as export_main

        return export_main(args.directory, args.out, site=args.site, force=args.force)
    if args.command == "make-illustrative":
        from analysis.illustrative.make import main as illustrative_main

        return illustrative_main(args.out, seed=args.seed)
    if args.command == "datapackage":
        from analysis.data.datapackage import main as datapackage_main

        return datapackage_main(args.directory, check=args.check)
    if args.command == "translations":
        from analysis.pipeline.translations import main as translations_main

        return translations_main(args.action)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
