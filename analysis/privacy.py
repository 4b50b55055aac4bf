"""Privacy: text that looks like personal data, and quotes informants did not agree to.

Informants are pseudonymous ids. The build refuses to publish a data file holding a 16-digit
NIK (national identity number), an Indonesian phone number (08xx..., +62 8xx..., 62 8xx...) or an
e-mail address: :func:`scan_for_personal_data` finds them, the validation reports them as errors.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.problems import ERROR, Problem

PATTERNS = {
    "a 16-digit NIK": r"(?<!\d)\d{16}(?!\d)",
    "an Indonesian phone number": r"(?<![\w+])(?:\+62|62|0)[\s.-]?8\d{1,2}(?:[\s.-]?\d){6,9}(?!\d)",
    "an e-mail address": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
}
_ANY = re.compile("|".join(f"(?:{p})" for p in PATTERNS.values()))
_ANY_BYTES = re.compile(_ANY.pattern.encode("ascii"))
_EACH = {what: re.compile(p) for what, p in PATTERNS.items()}


def _line_numbers(frame: pd.DataFrame) -> pd.Index:
    """File line numbers of a frame's rows: the index when it is named "line", else header + 1 + position."""
    if frame.index.name == "line":
        return frame.index
    return pd.RangeIndex(2, len(frame) + 2)


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) for every personal-data look-alike in one text."""
    return [(what, m.group(0)) for what, rx in _EACH.items() for m in rx.finditer(str(text))]


def scan_for_personal_data(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Problems (errors) for every cell of a text column that looks like personal data.

    ``frames`` maps a file name to its rows; line numbers come from an index named "line" (as the
    validation builds them) or else count from line 2 (line 1 is the header).
    Each distinct value is searched once, so a million-row column of a few kelurahan names is quick.
    """
    problems: list[Problem] = []
    for name, frame in frames.items():
        lines = _line_numbers(frame)
        for column in frame.columns:
            series = frame[column]
            if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
                continue
            flagged = _flagged_values(series.dropna().unique())
            if not flagged:
                continue
            hits = series.astype("object").isin(flagged)
            for position in hits.to_numpy().nonzero()[0]:
                value = str(series.iloc[position])
                kinds = ", ".join(sorted({what for what, _ in find_personal_data(value)}))
                problems.append(Problem(
                    file=name, line=int(lines[position]), column=column, value=value,
                    expected=f"no personal data (found {kinds}); use pseudonymous ids and remove contact details",
                    severity=ERROR,
                ))
    return problems


def _flagged_values(values) -> set[str]:
    """The values holding a personal-data look-alike, in one regex pass over all of them.

    The values are joined with NUL (which no pattern matches) and searched as one UTF-8 buffer;
    match positions map back to values through the NUL positions. A million ids take well under
    a second, where a regex call per value takes several.
    """
    texts = [str(v) for v in values]
    if not texts:
        return set()
    buffer = "\x00".join(texts).encode("utf-8")
    starts = [m.start() for m in _ANY_BYTES.finditer(buffer)]
    if not starts:
        return set()
    separators = np.flatnonzero(np.frombuffer(buffer, dtype=np.uint8) == 0)
    positions = np.searchsorted(separators, np.asarray(starts))
    return {texts[i] for i in set(positions.tolist())}


def quotable(segments: pd.DataFrame, informants: pd.DataFrame) -> pd.DataFrame:
    """Segments that may be quoted: those of informants with ``consent_quote`` true.

    Segments without an informant (observation notes, documents) stay; segments of informants
    who refused, or who are not in ``informants``, are dropped.
    """
    consent = informants["consent_quote"].astype("boolean").fillna(False).astype(bool)
    agreed = informants.loc[consent.to_numpy(), "informant_id"]
    speaker = segments["informant_id"] if "informant_id" in segments else pd.Series(pd.NA, index=segments.index)
    keep = speaker.isna() | speaker.isin(agreed)
    return segments[keep.to_numpy()]
