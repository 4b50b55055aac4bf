"""Privacy: text that looks like personal data.

Informants are pseudonymous ids. The build refuses to publish a data file holding a 16-digit
NIK (national identity number), an Indonesian phone number (08xx..., +62 8xx..., 62 8xx...) or an
e-mail address: :func:`scan_for_personal_data` finds them, the validation reports them as errors.
Quotes of informants without consent are kept out of the book by
:func:`analysis.qualitative.consented_segments`, which every quoting display goes through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.data.problems import ERROR, Problem

# A run of digits inside a decimal number (0.3235294117647059, 0.8123456789) is not personal data.
PATTERNS = {
    "a 16-digit NIK": r"(?<![\d.,])\d{16}(?!\d|[.,]\d)",
    "an Indonesian phone number": r"(?<![\w+.,])(?:\+62|62|0)[\s-]?8\d{1,2}(?:[\s.-]?\d){6,9}(?!\d|[.,]\d)",
    "an e-mail address": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
}
_ANY = re.compile("|".join(f"(?:{p})" for p in PATTERNS.values()))
MIN_DIGITS = 9  # fewest digits in any pattern (phone: 0, 8, then at least 7 more)
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
                problems.append(
                    Problem(
                        file=name,
                        line=int(lines[position]),
                        column=column,
                        value=value,
                        expected=f"no personal data (found {kinds}); use pseudonymous ids and remove contact details",
                        severity=ERROR,
                    )
                )
    return problems


def _flagged_values(values) -> set[str]:
    """The values holding a personal-data look-alike, in one regex pass over all of them.

    Counting digits and "@" per value over one joined buffer (numpy) leaves only the few values
    that could match for the regular expressions: a million ids take a fraction of a second.
    """
    texts = [t for t in (v if isinstance(v, str) else str(v) for v in values) if t]
    if not texts:
        return set()
    buffer = np.frombuffer("\x00".join(texts).encode("utf-8"), dtype=np.uint8)
    bounds = np.concatenate(([0], np.flatnonzero(buffer == 0) + 1))
    digits = np.add.reduceat(((buffer >= 48) & (buffer <= 57)).astype(np.int32), bounds)
    at_signs = np.add.reduceat((buffer == 64).astype(np.int32), bounds)
    # A NIK has 16 digits, a phone number at least 9; e-mail addresses have an "@".
    candidates = np.flatnonzero((digits >= MIN_DIGITS) | (at_signs > 0))
    return {texts[i] for i in candidates.tolist() if _ANY.search(texts[i])}
