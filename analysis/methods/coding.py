"""Which codings count: coders ranked by what they coded, and one coding per segment.

A segment counts with the codes of the highest-ranked coder who coded it (the primary coder when
that coder coded every segment): double coding serves the agreement statistics
(:mod:`analysis.methods.agreement`) and never inflates a count
(:mod:`analysis.methods.qualitative`). Both modules import this one, so neither imports the other
for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def coder_ranking(segments: pd.DataFrame) -> list[str]:
    """Coders from most to fewest distinct segments coded (ties by name); the first is primary."""
    n = segments.groupby("coder")["segment_id"].nunique()
    return sorted(n.index, key=lambda c: (-n[c], str(c)))


def primary_coder(segments: pd.DataFrame) -> str:
    """The coder whose codings count (see the module docstring)."""
    return coder_ranking(segments)[0]


def primary_codings(segments: pd.DataFrame) -> pd.DataFrame:
    """Rows of each segment's highest-ranked coder: one coding per segment, as counted."""
    coder_code, coders = pd.factorize(segments["coder"])
    if len(coders) <= 1:
        return segments
    seg_code, seg_ids = pd.factorize(segments["segment_id"])
    coded = np.zeros((len(seg_ids), len(coders)), dtype=bool)
    coded[seg_code, coder_code] = True
    per_coder = coded.sum(axis=0)  # distinct segments per coder
    ranking = sorted(range(len(coders)), key=lambda k: (-per_coder[k], str(coders[k])))
    rank = np.empty(len(coders), dtype=np.int64)
    rank[ranking] = np.arange(len(coders))
    r = rank[coder_code]
    if per_coder[ranking[0]] == len(seg_ids):  # the primary coder coded every segment
        return segments[r == 0]
    best = np.where(coded[:, ranking], np.arange(len(coders)), len(coders)).min(axis=1)
    return segments[r == best[seg_code]]


__all__ = ["coder_ranking", "primary_coder", "primary_codings"]
