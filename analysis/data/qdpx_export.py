"""Write a study as a REFI-QDA project (``.qdpx``), so coding can go on in any QDA tool.

``python -m analysis export-qdpx DATA_DIR --site SITE --out FILE.qdpx`` reads
``DATA_DIR/study/codebook.csv``, ``segments.csv`` and ``informants.csv`` and writes:

* ``<Users>``: one ``User`` per coder;
* ``<CodeBook>``: each code named by its label (its id when it has none) inside the code
  whose label is its theme (a code of the theme), else inside a non-codable ``Code`` named by the
  theme, so that the tool shows the hierarchy the import reads back (at most
  :data:`MAX_EXPORT_DEPTH` levels, without cycles); its ``Description`` is the code's
  description, then a ``code: ...`` line (its id, kept as it is by the import) and one
  ``label: ...``, ``theme_group: ...``, ``finding: ...``, ``finding_site: ...``,
  ``finding_logic: ...`` line for each
  column that is filled (a value on several lines, empty or with spaces at its ends is written as
  a JSON string);
* ``<Variables>``/``<Cases>``: one case per informant of the site, with the contract's informant
  columns as variables and ``SourceRef``s to the sources they speak in;
* ``<Sources>``: one ``TextSource`` per ``source_id``; its plain text (``sources/<guid>.txt``,
  UTF-8, LF, no BOM) is the source's segment texts one after the other, separated by a blank
  line; a ``source_type`` variable keeps interview / observation / document;
* one ``PlainTextSelection`` per segment (name = ``segment_id``; positions in Unicode code points
  from 0, as the standard counts them), with one ``Coding`` per (code, coder) row; an English
  gloss is kept in the selection's ``Description`` as ``gloss_en: ...``, and the segment's
  informant as ``informant_id: ...`` where it is not the source's case;
* the project's ``name`` is the study's title, its ``Description`` holds the study's row of
  ``studies.csv`` (every filled column, one ``field: value`` line each after
  :data:`~analysis.data.qdpx.REGISTRY_MARKER`), which the import writes back.

GUIDs are derived from the ids (UUID 5), so the same study always gives the same file.
:func:`analysis.data.qdpx.read_qdpx` reads the file back into the same segments, codes, coders
and texts (tested).
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd

from analysis.data.contract import CODEBOOK, INFORMANTS, SEGMENTS, STUDIES
from analysis.data.csvfile import read_csv_text
from analysis.data.qdpx import (
    CODE_FIELDS,
    EXPORT_ORIGIN,
    NAMESPACE,
    REGISTRY_MARKER,
    QdpxError,
    _inside,
    check_site,
    encode_value,
)
from analysis.project import DATA_DIR, EXIT_BAD_INPUT, EXIT_OK

ORIGIN = EXPORT_ORIGIN
#: Deepest nesting of codes written (a deeper chain of themes goes under a theme element).
MAX_EXPORT_DEPTH = 32
_GUID_NAMESPACE = uuid.UUID("6f1c6a4e-8c1e-5b7a-9d43-3a8f2f0c9e11")
SEPARATOR = "\n\n"
INFORMANT_VARIABLES = [f.name for f in INFORMANTS.fields if f.name not in ("informant_id", "site")]
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def guid(kind: str, *parts: str) -> str:
    """A stable GUID (upper-case, as the tools write them) for one object of the study."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join((kind, *parts)))).upper()


def _read(directory: Path, spec) -> pd.DataFrame:
    path = directory / spec.path
    if not path.is_file():
        raise QdpxError(f"{path}: not found (export-qdpx needs {spec.path} in {directory})")
    table = read_csv_text(path, spec.path)
    if table.problems:
        raise QdpxError("\n".join(str(p) for p in table.problems))
    missing = [f.name for f in spec.fields if f.required and f.name not in table.frame.columns]
    if missing:
        raise QdpxError(f"{path}: missing column(s) {', '.join(missing)}")
    return table.frame.reset_index(drop=True)


def registry_row(directory: Path, site: str) -> dict[str, str]:
    """The filled columns of the study's row of ``studies.csv`` (companions included), as text
    as it is in the file; empty when the file or the row is not there."""
    path = directory / STUDIES.path
    if not path.is_file():
        return {}
    frame = read_csv_text(path, STUDIES.path).frame
    if "site" not in frame.columns:
        return {}
    rows = frame[frame["site"].astype(str) == site]
    if rows.empty:
        return {}
    row = rows.iloc[0]
    return {
        str(k): _text_of(v)
        for k, v in row.items()
        if _text_of(v).strip() and not str(k).startswith("Unnamed")
    }


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)


def _text_of(value) -> str:
    return "" if pd.isna(value) else str(value)


def source_texts(segments: pd.DataFrame) -> dict[str, tuple[str, dict[str, tuple[int, int]]]]:
    """Per source id: its plain text (the segment texts in order, a blank line between them)
    and each segment's ``(start, end)`` in code points."""
    out = {}
    first = segments.drop_duplicates("segment_id")
    for source_id, rows in first.groupby("source_id", sort=False):
        parts, spans, at = [], {}, 0
        for row in rows.itertuples(index=False):
            text = _text_of(row.text).strip()
            if parts:
                at += len(SEPARATOR)
            spans[row.segment_id] = (at, at + len(text))
            parts.append(text)
            at += len(text)
        out[source_id] = (SEPARATOR.join(parts), spans)
    return out


def code_parents(codebook: pd.DataFrame) -> list[int | None]:
    """For each code (by position), the position of the code it is written inside: a code
    whose label (its name in the project) is the code's theme, the first in the codebook; None
    (a theme element) where that would make a cycle or nest deeper than
    :data:`MAX_EXPORT_DEPTH`. Iterative, whatever the depth."""
    labels = [_name(row) for row in codebook.to_dict("records")]
    first = {}
    for i, label in enumerate(labels):
        first.setdefault(label, i)
    themes = codebook["theme"].map(_text_of).tolist()
    parent = [first.get(theme) if first.get(theme) != i else None for i, theme in enumerate(themes)]
    depth: list[int | None] = [None] * len(parent)
    for i in range(len(parent)):
        chain, j, seen = [], i, set()
        while j is not None and depth[j] is None and j not in seen:
            seen.add(j)
            chain.append(j)
            j = parent[j]
        if j is not None and depth[j] is None:  # a cycle: cut it where it closes
            parent[chain[-1]] = None
            j = None
        below = 0 if j is None else depth[j]
        for k in reversed(chain):
            if parent[k] is None:
                depth[k] = 1
            elif below + 1 > MAX_EXPORT_DEPTH:
                parent[k], depth[k] = None, 1
            else:
                depth[k] = below + 1
            below = depth[k]
    return parent


def _name(row: dict) -> str:
    """A code's name in the project: its label, else its id."""
    return _text_of(row.get("label")).strip() or _text_of(row.get("code"))


def build_project(
    codebook: pd.DataFrame,
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    site: str,
    title: str,
    registry: dict[str, str] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """``project.qde`` (bytes) and the archive members holding the texts (name → text)."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}Project", {"name": title, "origin": ORIGIN})
    users = _sub(root, "Users")
    user_of = {}
    for coder in sorted(segments["coder"].map(_text_of).unique()):
        user_of[coder] = guid("user", coder)
        _sub(users, "User", guid=user_of[coder], name=coder)

    book = _sub(_sub(root, "CodeBook"), "Codes")
    code_guid = {}
    records = codebook.reset_index(drop=True).to_dict("records")
    parents = code_parents(codebook.reset_index(drop=True))
    elements: dict[int, ET.Element] = {}
    theme_elements: dict[str, ET.Element] = {}
    # parents before their children: a code's depth orders it
    order, placed = [], set()
    pending = list(range(len(records)))
    while pending:
        later = []
        for i in pending:
            if parents[i] is None or parents[i] in placed:
                order.append(i)
                placed.add(i)
            else:
                later.append(i)
        pending = later
    for i in order:
        row = records[i]
        theme = _text_of(row.get("theme"))
        if parents[i] is not None:
            holder = elements[parents[i]]
        elif _name(row) == theme and "::" not in theme:
            holder = book  # a theme's own code: at the top, the import takes its name as theme
        else:
            if theme not in theme_elements:
                theme_elements[theme] = _sub(
                    book, "Code", guid=guid("theme", theme), name=theme, isCodable="false"
                )
            holder = theme_elements[theme]
        elements[i] = _code(holder, row, code_guid)

    texts = source_texts(segments)
    speakers = segments.dropna(subset=["informant_id"]).drop_duplicates("source_id")
    informant_of = dict(zip(speakers["source_id"], speakers["informant_id"]))
    variables = _sub(root, "Variables")
    variable_guid = {}
    for name in ["source_type", *INFORMANT_VARIABLES]:
        spec_type = next((f.type for f in INFORMANTS.fields if f.name == name), "string")
        variable_guid[name] = guid("variable", name)
        kind = "Boolean" if spec_type == "boolean" else "Text"
        _sub(variables, "Variable", guid=variable_guid[name], name=name, typeOfVariable=kind)

    cases = _sub(root, "Cases")
    for row in informants.itertuples(index=False):
        spoken = [s for s, who in informant_of.items() if who == row.informant_id]
        if _text_of(row.site) != site and not spoken:
            continue
        case = _sub(cases, "Case", guid=guid("case", row.informant_id), name=row.informant_id)
        for name in INFORMANT_VARIABLES:
            value = _text_of(getattr(row, name, None))
            if value:
                _value(case, variable_guid[name], value, name == "consent_quote")
        for source_id in spoken:
            _sub(case, "SourceRef", targetGUID=guid("source", source_id))

    sources = _sub(root, "Sources")
    members = {}
    source_type = dict(zip(segments["source_id"], segments["source_type"]))
    for source_id, (text, spans) in texts.items():
        source_guid = guid("source", source_id)
        member = f"{source_guid}.txt"
        members[f"sources/{member}"] = text
        element = _sub(
            sources,
            "TextSource",
            guid=source_guid,
            name=source_id,
            plainTextPath=f"internal://{member}",
        )
        rows = segments[segments["source_id"] == source_id]
        for segment_id, coded in rows.groupby("segment_id", sort=False):
            start, end = spans[segment_id]
            selection = _sub(
                element,
                "PlainTextSelection",
                guid=guid("segment", segment_id),
                name=segment_id,
                startPosition=str(start),
                endPosition=str(end),
            )
            said = []
            gloss = _text_of(coded["gloss_en"].iloc[0]) if "gloss_en" in coded else ""
            if gloss:
                said.append(f"gloss_en: {encode_value(gloss)}")
            speaker = _text_of(coded["informant_id"].iloc[0])
            if speaker != _text_of(informant_of.get(source_id)):
                said.append(f"informant_id: {encode_value(speaker)}")
            if said:
                ET.SubElement(selection, f"{{{NAMESPACE}}}Description").text = "\n".join(said)
            for row in coded.itertuples(index=False):
                coding = _sub(
                    selection,
                    "Coding",
                    guid=guid("coding", segment_id, row.code, row.coder),
                    creatingUser=user_of[_text_of(row.coder)],
                )
                _sub(coding, "CodeRef", targetGUID=code_guid[row.code])
        _value(element, variable_guid["source_type"], _text_of(source_type[source_id]))
    if registry:
        lines = [REGISTRY_MARKER] + [f"{k}: {encode_value(v)}" for k, v in registry.items()]
        ET.SubElement(root, f"{{{NAMESPACE}}}Description").text = "\n".join(lines)
    ET.indent(root, space=" ")
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml, members


def _code(parent: ET.Element, row: dict, code_guid: dict) -> ET.Element:
    code = _text_of(row["code"])
    code_guid[code] = guid("code", code)
    name = _name(row)
    element = _sub(parent, "Code", guid=code_guid[code], name=name, isCodable="true")
    lines = [_text_of(row.get("description")), f"code: {encode_value(code)}"]
    label = _text_of(row.get("label"))
    if label != name:  # no label (the name is the id), or one with spaces at its ends
        lines.append(f"label: {encode_value(label)}")
    lines += [
        f"{k}: {encode_value(_text_of(row[k]))}"
        for k in CODE_FIELDS
        if k != "label" and _text_of(row.get(k)).strip()
    ]
    text = "\n".join(lines).strip()
    if text:
        ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = text
    return element


def _value(parent: ET.Element, variable: str, value: str, boolean: bool = False) -> None:
    holder = _sub(parent, "VariableValue")
    _sub(holder, "VariableRef", targetGUID=variable)
    tag = "BooleanValue" if boolean else "TextValue"
    ET.SubElement(holder, f"{{{NAMESPACE}}}{tag}").text = value.lower() if boolean else value


def export_qdpx(directory: str | Path, site: str, out: str | Path, force: bool = False) -> dict:
    """Write the study ``site`` of ``directory`` to ``out``; returns counts for the report."""
    directory, out = Path(directory), Path(out)
    codebook, segments = _read(directory, CODEBOOK), _read(directory, SEGMENTS)
    informants_path = directory / INFORMANTS.path
    informants = (
        _read(directory, INFORMANTS)
        if informants_path.is_file()
        else pd.DataFrame(columns=INFORMANTS.columns)
    )
    mine = segments[segments["site"] == site].reset_index(drop=True)
    if mine.empty:
        present = ", ".join(sorted(segments["site"].dropna().unique())) or "none"
        raise QdpxError(
            f"{directory / SEGMENTS.path}: no segments of site {site!r} (sites present: {present})"
        )
    unknown = sorted(set(mine["code"]) - set(codebook["code"]))
    if unknown:
        raise QdpxError(
            f"{directory / SEGMENTS.path}: code(s) not in the codebook: {', '.join(unknown)}"
        )
    if out.exists() and not force:
        raise QdpxError(f"{out} exists; pass --force to replace it")
    if _inside(out, DATA_DIR):
        raise QdpxError(f"--out {out} is inside the project's data folder; write it elsewhere")
    registry = registry_row(directory, site)
    title = " ".join(registry.get("title", "").split()) or f"{site} study"
    xml, members = build_project(codebook, mine, informants, site, title, registry)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, suffix=".qdpx.tmp")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), xml, zipfile.ZIP_DEFLATED)
            for name, text in members.items():
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                z.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return {
        "codes": len(codebook),
        "sources": len(members),
        "selections": mine["segment_id"].nunique(),
        "codings": len(mine),
        "coders": sorted(mine["coder"].unique()),
    }


def main(directory: str | Path, out: str | Path, site: str, force: bool = False) -> int:
    """``python -m analysis export-qdpx DATA_DIR --site S --out FILE.qdpx``: 0 written, 2 bad."""
    problem = check_site(site)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        counts = export_qdpx(directory, site, out, force=force)
    except QdpxError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"--out {out}: cannot write there: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"wrote {out}: {counts['codes']} codes, {counts['sources']} sources, "
        f"{counts['selections']} coded selections ({counts['codings']} codings), "
        f"coders: {', '.join(counts['coders'])}"
    )
    return EXIT_OK
