"""(Maintainers) The illustrative study dataset: generate, write, describe as illustrative.

``python -m analysis make-illustrative --out data [--seed N]`` calls the two seeded generators
(:func:`analysis.illustrative.households.generate_households`, then
:func:`analysis.illustrative.qualitative.generate_qualitative` with those households, so that the
Pakis residents speak from their own rows), writes ``OUT/study/*.csv`` in the
project's CSV dialect (UTF-8, comma, ``\\n``, booleans ``true``/``false``, whole Rupiah), marks
every study file ``edition: illustrative`` in ``OUT/datapackage.json`` (title and description say
so too; files already there, such as ``public/``, keep their entries), and validates the result.
Same seed, byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.data.contract import STUDY_FILES, study_file
from analysis.data.csvfile import to_csv_text
from analysis.project import EXIT_BAD_INPUT, EXIT_OK

DEFAULT_SEED = 20170301
#: The registry rows of the two seed studies (facts from their abstracts, not generated).
STUDIES_SOURCE = Path(__file__).with_name("studies.csv")


def registry_rows() -> pd.DataFrame:
    """The study registry written with the illustrative data: the two seed studies, as published."""
    return pd.read_csv(STUDIES_SOURCE, dtype=str, keep_default_na=False).replace("", None)


def notes() -> dict[str, dict]:
    """What the chapters say about how a file was generated (datapackage.json ``illustrative``)."""
    from analysis.i18n import LANGUAGES
    from analysis.illustrative.households import calibration, years_note

    notes = {"calibration": calibration(), "years_note": years_note("en")}
    for lang in LANGUAGES[1:]:  # the note in every edition's language: years_note@id
        notes[f"years_note@{lang}"] = years_note(lang)
    return {"households": notes}


def with_translations(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with the companion columns of their Indonesian text (``description@id``, ...).

    The studies' rows carry theirs in studies.csv; the codebook's come from codes.csv, the
    programme inventory's from :data:`analysis.illustrative.qualitative.PROGRAMMES_ID`.
    """
    from analysis.illustrative.qualitative import codebook_translations, programmes_translations

    out = dict(frames)
    for key, extra, on in (
        ("codebook", codebook_translations(), ["code"]),
        ("programmes", programmes_translations(), ["site", "programme"]),
    ):
        if key not in out:
            continue
        merged = out[key].merge(extra, on=on, how="left", validate="one_to_one")
        if len(merged) != len(out[key]):
            raise ValueError(f"{key}: translations do not match the rows")
        out[key] = merged
    return out


def generate(seed: int) -> dict[str, pd.DataFrame]:
    """Every illustrative study frame by contract key (programmes, informants, codebook, segments, households)."""
    from analysis.illustrative.households import generate_households
    from analysis.illustrative.qualitative import generate_qualitative

    frames = {"studies": registry_rows()}
    # the households first: the Pakis residents' interviews are drawn from their own rows
    households = generate_households(seed)
    frames.update(generate_qualitative(seed, households=households))
    frames["households"] = households
    frames = with_translations(frames)
    missing = {s.key for s in STUDY_FILES} - set(frames)
    if missing:
        raise ValueError(f"the generators did not produce {sorted(missing)}")
    return frames


def write_illustrative(out_dir: str | Path, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write ``out_dir/study/*.csv`` and mark them illustrative in ``out_dir/datapackage.json``.

    Returns the written paths by key. Does not validate (see :func:`main`).
    """
    from analysis.data.datapackage import write_datapackage

    out_dir = Path(out_dir)
    written = {}
    for key, frame in generate(seed).items():
        spec = study_file(key)
        path = out_dir / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_csv_text(frame, spec).encode("utf-8"))
        written[key] = path
    write_datapackage(
        out_dir,
        editions={key: "illustrative" for key in written},  # the registry stays "published"
        notes=notes(),
    )
    return written


def main(out: str | Path, seed: int | None = None) -> int:
    """``python -m analysis make-illustrative --out DIR [--seed N]``: write, then validate; 0 or 2."""
    from analysis.data.validate import validate_directory

    seed = DEFAULT_SEED if seed is None else seed
    written = write_illustrative(out, seed)
    for path in written.values():
        print(f"wrote {path} (illustrative, seed {seed})")
    report = validate_directory(out)
    if not report.ok:
        print(report.summary(), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK
