"""Import a REFI-QDA project (``.qdpx``: QualCoder, NVivo, ATLAS.ti, MAXQDA) into the study files.

``python -m analysis import-qdpx FILE.qdpx --out DIR [--site pakis]`` writes
``DIR/study/codebook.csv``, ``DIR/study/segments.csv`` and ``DIR/study/informants.csv`` (so that
``DIR`` can be given to ``python -m analysis build --data DIR`` next to the other study files) and
reports the codes, sources, coded selections and cases it found.

What is read (REFI-QDA Project 1.0, ``project.qde`` inside the zip, texts in ``sources/``):

* ``CodeBook``: every ``Code`` (nested to any depth) → ``code`` (the name in snake_case; the
  original name in ``label``), ``theme`` (the parent code's name; a top-level code is its own
  theme), ``description``.
* ``TextSource``: the plain text (``internal://`` path in the zip, or inline ``PlainTextContent``).
* ``PlainTextSelection`` (``startPosition``/``endPosition``, character offsets) with its
  ``Coding``/``CodeRef`` elements → one ``segments.csv`` row per (selection, code, coder); the
  coder is the name of the ``User`` whose GUID created the coding.
* ``Case`` → an informant named by the case; its ``SourceRef``s make the source an interview of
  that informant (other sources become documents). Case variables named like contract columns
  (role, level, cluster, consent_quote, ...) are carried over; ``consent_quote`` is false unless
  the project says otherwise (no quote without recorded consent). Missing role/level are left
  empty for the researcher to fill in: ``python -m analysis validate DIR`` then lists them.

Standard library only (``zipfile``, ``xml.etree``).
"""

from __future__ import annotations

import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.contract import CODEBOOK, INFORMANTS, SEGMENTS, SITE_PATTERN
from analysis.data.csvfile import to_csv_text
from analysis.project import EXIT_BAD_INPUT, EXIT_OK

NS = {"q": "urn:QDA-XML:project:1.0"}

NO_DESCRIPTION = "No description in the REFI-QDA project."
CASE_VARIABLES = (
    "role",
    "level",
    "cluster",
    "consent_quote",
    "informant_type",
    "business_type",
    "agency",
)


class QdpxError(ValueError):
    """The file is not a readable REFI-QDA project."""


def snake_case(name: str) -> str:
    """'THEME - Affinity Spaces (Gee)' → 'theme_affinity_spaces_gee' (ASCII, lower case)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_name).strip("_").lower()
    return slug or "code"


@dataclass
class QdpxImport:
    """What a REFI-QDA project holds, as contract frames, plus what was found (for the report)."""

    project: str
    origin: str
    codebook: pd.DataFrame
    segments: pd.DataFrame
    informants: pd.DataFrame
    sources: pd.DataFrame  # name, guid, source_type, informant_id, characters, selections
    users: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"REFI-QDA project {self.project!r} ({self.origin or 'origin not stated'})"]
        lines.append(
            f"codes: {len(self.codebook)} in {self.codebook['theme'].nunique() if len(self.codebook) else 0} theme(s)"
        )
        for theme, codes in self.codebook.groupby("theme", sort=False)["label"]:
            shown = [c for c in codes if c != theme]
            more = f" ... ({len(shown) - 6} more)" if len(shown) > 6 else ""
            lines.append(f"  {theme} ({len(shown)} codes): {'; '.join(shown[:6])}{more}")
        lines.append(f"sources: {len(self.sources)}")
        for row in self.sources.itertuples(index=False):
            who = f", informant {row.informant_id}" if isinstance(row.informant_id, str) else ""
            lines.append(
                f"  {row.name} ({row.source_type}{who}; {row.characters} characters, {row.selections} coded selection(s))"
            )
        n_selections = self.segments["segment_id"].nunique() if len(self.segments) else 0
        lines.append(
            f"coded selections: {n_selections}; segment rows (selection x code x coder): {len(self.segments)}"
        )
        lines.append(f"cases (informants): {len(self.informants)}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "project": self.project,
            "origin": self.origin,
            "codes": self.codebook["code"].tolist(),
            "sources": self.sources["name"].tolist(),
            "segments": len(self.segments),
            "informants": self.informants["informant_id"].tolist(),
            "notes": self.notes,
        }


def _text(element: ET.Element | None, tag: str) -> str:
    child = None if element is None else element.find(f"q:{tag}", NS)
    return (child.text or "").strip() if child is not None else ""


def _codebook(root: ET.Element) -> tuple[pd.DataFrame, dict[str, str]]:
    rows, by_guid, seen = [], {}, set()

    def walk(element: ET.Element, parent: str | None, parent_slug: str | None) -> None:
        for code in element.findall("q:Code", NS):
            name = code.get("name", "").strip()
            slug = snake_case(name)
            if slug in seen:
                slug = f"{parent_slug}__{slug}" if parent_slug else slug
                base, k = slug, 2
                while slug in seen:
                    slug, k = f"{base}_{k}", k + 1
            seen.add(slug)
            by_guid[code.get("guid", "")] = slug
            rows.append(
                {
                    "code": slug,
                    "theme": parent if parent is not None else name,
                    "description": _text(code, "Description") or NO_DESCRIPTION,
                    "label": name,
                    "codable": code.get("isCodable", "true").lower() == "true",
                }
            )
            walk(code, name, slug)

    codes = root.find("q:CodeBook/q:Codes", NS)
    if codes is not None:
        walk(codes, None, None)
    frame = pd.DataFrame(rows, columns=["code", "theme", "description", "label", "codable"])
    return frame.drop(columns="codable"), by_guid


def _source_text(archive: zipfile.ZipFile, source: ET.Element, notes: list[str]) -> str | None:
    inline = source.find("q:PlainTextContent", NS)
    if inline is not None:
        return inline.text or ""
    path = source.get("plainTextPath", "")
    if path.startswith("internal://"):
        member = "sources/" + path.removeprefix("internal://")
        try:
            return archive.read(member).decode("utf-8-sig")
        except KeyError:
            notes.append(f"source {source.get('name')!r}: {member} is not in the project file")
            return None
    notes.append(
        f"source {source.get('name')!r}: text at {path or '(no path)'} is outside the project file; its selections are skipped"
    )
    return None


def _cases(
    root: ET.Element, variables: dict[str, str], site: str | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    rows, informant_of_source = [], {}
    for case in root.findall("q:Cases/q:Case", NS):
        informant_id = case.get("name", "").strip() or case.get("guid", "")
        row = {"informant_id": informant_id, "site": site}
        for value in case.findall("q:VariableValue", NS):
            ref = value.find("q:VariableRef", NS)
            name = variables.get(ref.get("targetGUID", "") if ref is not None else "", "")
            key = snake_case(name)
            if key in CASE_VARIABLES or key == "site":
                text = next(
                    (c.text for c in value if c.tag != f"{{{NS['q']}}}VariableRef" and c.text), None
                )
                row[key] = text.strip() if text else None
        if row.get("consent_quote") is None:
            row["consent_quote"] = "false"
        rows.append(row)
        for ref in case.findall("q:SourceRef", NS):
            informant_of_source[ref.get("targetGUID", "")] = informant_id
    columns = INFORMANTS.columns
    frame = pd.DataFrame(rows)
    frame = frame.reindex(
        columns=[c for c in columns] + [c for c in frame.columns if c not in columns]
    )
    return frame, informant_of_source


def read_qdpx(file: str | Path, site: str | None = None) -> QdpxImport:
    """Read a ``.qdpx`` file into contract frames (nothing is written)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as exc:
        raise QdpxError(f"{file}: not a REFI-QDA project (.qdpx is a zip file): {exc}") from exc
    with archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
        if not names:
            raise QdpxError(f"{file}: no project.qde inside")
        try:
            root = ET.fromstring(archive.read(names[0]))
        except ET.ParseError as exc:
            raise QdpxError(f"{file}: {names[0]} is not well-formed XML: {exc}") from exc
        if root.tag != f"{{{NS['q']}}}Project":
            raise QdpxError(
                f"{file}: root element is {root.tag}, expected Project of urn:QDA-XML:project:1.0"
            )
        project = root.get("name", Path(file).stem)
        notes: list[str] = []
        if site is None:
            notes.append(
                "site unknown (pass --site SITE, the study's site in study/studies.csv); "
                "the site column is left empty"
            )
        users = {
            u.get("guid", ""): u.get("name", "") or u.get("guid", "")
            for u in root.findall("q:Users/q:User", NS)
        }
        codebook, code_of = _codebook(root)
        variables = {
            v.get("guid", ""): v.get("name", "") for v in root.findall("q:Variables/q:Variable", NS)
        }
        informants, informant_of_source = _cases(root, variables, site)

        segment_rows, source_rows = [], []
        for source in root.findall("q:Sources/q:TextSource", NS):
            guid, name = source.get("guid", ""), source.get("name", "")
            informant_id = informant_of_source.get(guid)
            source_type = "interview" if informant_id else "document"
            text = _source_text(archive, source, notes)
            selections = source.findall("q:PlainTextSelection", NS)
            source_rows.append(
                {
                    "name": name,
                    "guid": guid,
                    "source_type": source_type,
                    "informant_id": informant_id,
                    "characters": len(text) if text is not None else 0,
                    "selections": len(selections),
                }
            )
            if text is None:
                continue
            for selection in selections:
                start, end = (
                    int(selection.get("startPosition", 0)),
                    int(selection.get("endPosition", 0)),
                )
                if not 0 <= start <= end <= len(text):
                    notes.append(
                        f"selection {selection.get('guid')} in {name!r}: positions {start}-{end} outside the text ({len(text)} characters); skipped"
                    )
                    continue
                passage = text[start:end].strip()
                for coding in selection.findall("q:Coding", NS):
                    ref = coding.find("q:CodeRef", NS)
                    code = code_of.get(ref.get("targetGUID", "") if ref is not None else "")
                    if code is None:
                        notes.append(
                            f"selection {selection.get('guid')}: coding refers to a code not in the codebook; skipped"
                        )
                        continue
                    user = coding.get("creatingUser") or selection.get("creatingUser") or ""
                    segment_rows.append(
                        {
                            "segment_id": selection.get("guid", ""),
                            "site": site,
                            "source_id": name,
                            "source_type": source_type,
                            "code": code,
                            "coder": users.get(user, user or "unknown"),
                            "text": passage,
                            "informant_id": informant_id,
                            "gloss_en": None,
                        }
                    )
    segments = pd.DataFrame(segment_rows, columns=SEGMENTS.columns).drop_duplicates(
        ["segment_id", "code", "coder"]
    )
    sources = pd.DataFrame(
        source_rows,
        columns=["name", "guid", "source_type", "informant_id", "characters", "selections"],
    )
    return QdpxImport(
        project,
        root.get("origin", ""),
        codebook,
        segments.reset_index(drop=True),
        informants,
        sources,
        users,
        notes,
    )


def write_import(result: QdpxImport, out: str | Path) -> list[Path]:
    """Write codebook.csv, segments.csv and informants.csv into ``out/study/``."""
    study = Path(out) / "study"
    study.mkdir(parents=True, exist_ok=True)
    written = []
    for spec, frame in (
        (CODEBOOK, result.codebook),
        (SEGMENTS, result.segments),
        (INFORMANTS, result.informants),
    ):
        path = Path(out) / spec.path
        path.write_bytes(to_csv_text(frame, spec).encode("utf-8"))
        written.append(path)
    return written


def main(file: str | Path, out: str | Path, site: str | None = None) -> int:
    """``python -m analysis import-qdpx FILE --out DIR [--site S]``: 0 written, 2 unreadable input."""
    if site is not None and not re.fullmatch(SITE_PATTERN, site):
        print(
            f"--site must be lower case letters, digits and hyphens (a site of study/studies.csv), "
            f"not {site!r}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        result = read_qdpx(file, site=site)
    except QdpxError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary())
    for path in write_import(result, out):
        print(f"wrote {path}")
    print(f"next: python -m analysis validate {out}")
    return EXIT_OK
