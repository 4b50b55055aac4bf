"""Benchmark: every qualitative display for 200,000 segments from 5,000 informants (target: <= 10 s, <= 2 GB).

    .venv/bin/python benchmarks/bench_qualitative.py [--segments 200000] [--informants 5000] [--seed 1]

Prints one JSON object: the size of the data, seconds per display, total seconds of the displays,
the process's peak resident memory (MB) and whether both targets are met. The data are synthetic
(the illustrative codebook and texts, codes drawn at random), made with numpy before timing starts;
a quarter of the segments is coded by a second coder and half of those by a third, so that the
agreement statistics (timed separately) have a realistic double-coded subset.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.data.contract import ROLES  # noqa: E402
from analysis.illustrative.qualitative import TEXTS, codebook_frame  # noqa: E402
from analysis.methods import qualitative as q  # noqa: E402
from analysis.methods.agreement import agreement  # noqa: E402

LIMIT_SECONDS, LIMIT_MB = 10.0, 2048


def synthetic(n_segments: int, n_informants: int, seed: int) -> dict[str, pd.DataFrame]:
    """Informants, codebook, segments (1-3 codes each, second/third coders on subsets), households."""
    rng = np.random.default_rng(seed)
    codebook = codebook_frame()
    codes = codebook["code"].to_numpy()
    site_of_inf = np.where(rng.random(n_informants) < 0.8, "jombang", "pakis")
    role = np.array(ROLES)[rng.choice(len(ROLES), n_informants, p=[0.05, 0.05, 0.15, 0.7, 0.05])]
    informants = pd.DataFrame(
        {
            "informant_id": [f"I{k:05d}" for k in range(n_informants)],
            "site": site_of_inf,
            "role": role,
            "level": "community",
            "cluster": None,
            "consent_quote": rng.random(n_informants) > 0.15,
        }
    )
    texts = [(v.id, v.en) for variants in TEXTS.values() for v in variants]
    n_int = int(n_segments * 0.9)
    who = np.concatenate([rng.integers(0, n_informants, n_int), np.full(n_segments - n_int, -1)])
    kind = np.where(
        who >= 0, "interview", np.where(rng.random(n_segments) < 0.5, "observation", "document")
    )
    site = np.where(
        who >= 0,
        site_of_inf[np.maximum(who, 0)],
        np.where(rng.random(n_segments) < 0.8, "jombang", "pakis"),
    )
    n_codes = rng.choice([1, 2, 3], n_segments, p=[0.6, 0.3, 0.1])
    seg_idx = np.repeat(np.arange(n_segments), n_codes)
    code_idx = rng.integers(0, len(codes), len(seg_idx))
    text_idx = rng.integers(0, len(texts), n_segments)
    ids = np.array([f"S{k:07d}" for k in range(n_segments)], dtype=object)
    inf_ids = np.where(who >= 0, informants["informant_id"].to_numpy()[np.maximum(who, 0)], None)
    primary = pd.DataFrame(
        {
            "segment_id": ids[seg_idx],
            "site": site[seg_idx],
            "source_id": "SRC",
            "source_type": kind[seg_idx],
            "code": codes[code_idx],
            "coder": "C1",
            "text": np.array([t for t, _ in texts], dtype=object)[text_idx][seg_idx],
            "informant_id": inf_ids[seg_idx],
            "gloss_en": np.array([e for _, e in texts], dtype=object)[text_idx][seg_idx],
        }
    )
    primary = primary.drop_duplicates(["segment_id", "code"])
    second = primary[primary["segment_id"].isin(ids[rng.random(n_segments) < 0.25])].copy()
    swap = rng.random(len(second)) < 0.15
    second.loc[swap, "code"] = codes[rng.integers(0, len(codes), swap.sum())]
    second["coder"] = "C2"
    third = second[second["segment_id"].isin(ids[rng.random(n_segments) < 0.5])].copy()
    swap = rng.random(len(third)) < 0.15
    third.loc[swap, "code"] = codes[rng.integers(0, len(codes), swap.sum())]
    third["coder"] = "C3"
    segments = pd.concat([primary, second, third], ignore_index=True).drop_duplicates(
        ["segment_id", "code", "coder"]
    )
    pakis = informants.loc[informants["site"] == "pakis", "informant_id"]
    before = rng.integers(50, 150, len(pakis)) * 10_000
    households = pd.DataFrame(
        {
            "informant_id": pakis.to_numpy(),
            "site": "pakis",
            "income_before": before,
            "income_after": (before * rng.uniform(1.1, 1.6, len(pakis))).round(-4).astype(int),
        }
    )
    return {
        "informants": informants,
        "codebook": codebook,
        "segments": segments.reset_index(drop=True),
        "households": households,
    }


def displays(data: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Run every display of the qualitative chapters for both sites, as the chapters do; seconds per step.

    The first step is the chapters' condensation: the site's segments, primary codings only
    (timed). Each display is then given the condensed segments of its site.
    """
    inf, cb, hh = data["informants"], data["codebook"], data["households"]
    start = time.perf_counter()
    condensed = {
        site: q.primary_codings(data["segments"][data["segments"]["site"] == site])
        for site in ("jombang", "pakis")
    }
    seconds = {"condensation": round(time.perf_counter() - start, 3)}
    runs = {
        "code_frequencies": lambda site, seg: q.code_frequencies(
            seg, inf[inf["site"] == site], cb, by=("site", "role")
        ),
        "informant_code_matrix": lambda site, seg: q.informant_code_matrix(seg, inf, cb, site=site),
        "role_ordered_matrix": lambda site, seg: q.role_ordered_matrix(seg, inf, cb, site=site),
        "conceptually_clustered_matrix": lambda site, seg: (
            q.conceptually_clustered_matrix(seg, inf, cb, site=site),
            q.conceptually_clustered_matrix(seg, inf, cb, site=site, by="role"),
        ),
        "checklist_matrix": lambda site, seg: q.checklist_summary(
            q.checklist_matrix(seg, inf, cb, site=site), inf
        ),
        "cooccurrence_segments": lambda site, seg: q.cooccurrence(
            seg, cb, site=site, within="segment"
        ).pairs(),
        "cooccurrence_informants": lambda site, seg: q.cooccurrence(
            seg, cb, site=site, within="informant"
        ).pairs(),
        "triangulation": lambda site, seg: (
            q.triangulation(seg, cb, site=site),
            q.triangulation(seg, cb, site=site, level="theme"),
        ),
        "findings_table": lambda site, seg: q.findings_table(seg, inf, cb, site=site),
        "case_ordered_meta_matrix": lambda site, seg: (
            q.case_ordered_meta_matrix(seg, inf, hh, cb, site="pakis") if site == "pakis" else None
        ),
    }
    for name, run in runs.items():
        start = time.perf_counter()
        for site in ("jombang", "pakis"):
            run(site, condensed[site])
        seconds[name] = round(time.perf_counter() - start, 3)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--informants", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data = synthetic(args.segments, args.informants, args.seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = displays(data)
    total = round(sum(seconds.values()), 3)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    for site in ("jombang", "pakis"):
        agreement(data["segments"], site=site)
    agreement_seconds = round(time.perf_counter() - start, 3)
    peak_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seg = data["segments"]
    result = {
        "segments": int(seg["segment_id"].nunique()),
        "segment_rows": int(len(seg)),
        "informants": int(len(data["informants"])),
        "double_coded_segments": int(seg.loc[seg["coder"] != "C1", "segment_id"].nunique()),
        "seconds": seconds,
        "displays_total_seconds": total,
        "agreement_seconds": agreement_seconds,
        "peak_rss_mb_before_displays": round(rss_before, 1),
        "peak_rss_mb_displays": round(peak, 1),
        "peak_rss_mb_with_agreement": round(peak_all, 1),
        "limits": {"seconds": LIMIT_SECONDS, "memory_mb": LIMIT_MB},
        "within_limits": bool(total <= LIMIT_SECONDS and peak <= LIMIT_MB),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
