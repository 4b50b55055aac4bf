"""Two-stage cluster sampling, reproducible from a seed: clusters (kelurahan) first, informants within.

Design (the one the Jombang chapter reports):

* **Stage 1: clusters with probability proportional to size (PPS), without replacement**, by
  randomised systematic sampling (Hartley & Rao 1962; Goodman & Kish 1950): the clusters are put in
  a random order, their inclusion probabilities ``pi_i = n * M_i / M`` are cumulated, and the
  clusters hit by the points ``u, u + 1, ..., u + n - 1`` (``u`` uniform on [0, 1)) are selected.
  Each cluster is then selected with probability exactly ``pi_i``. A cluster with ``pi_i >= 1`` is
  taken with certainty and the others are re-scaled (repeated until none exceeds 1).
  The size measure ``M_i`` is the number of listed units in the cluster (its stage-2 frame).
* **Stage 2: simple random sampling without replacement** of a fixed number of units in every
  selected cluster, optionally within strata (e.g. one kelurahan official and three residents).
  ``pi_j|i = m_h / M_hi`` (all units when the stratum has fewer than ``m_h``).

Why PPS: kelurahan differ several-fold in the number of poor households. With PPS on the cluster
size and a fixed take per cluster the design is (close to) self-weighting, and the design weights
``1 / (pi_i * pi_j|i)`` add up to the number of units in the frame *exactly*, in every draw (with
simple random selection of clusters they do so only on average). ``method="srs"`` (clusters with
equal probability) is available for comparison.

Randomness comes from one ``numpy.random.Generator`` seeded with ``seed`` (stage 1 first, then
stage 2 in the sorted order of the units), so the same seed and frame always give the same sample.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

METHODS = ("pps", "srs")


def pps_inclusion_probabilities(sizes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Inclusion probabilities of a PPS-without-replacement draw of ``n`` clusters of ``sizes``.

    Returns ``(pi, certainty)``: clusters whose ``n * size / total`` reaches 1 are certainty
    selections (``pi = 1``); the remaining ``n`` is spread over the others in proportion to size.
    """
    sizes = np.asarray(sizes, dtype=float)
    if n < 0 or n > len(sizes):
        raise ValueError(f"cannot draw {n} clusters from {len(sizes)}")
    if (sizes <= 0).any():
        raise ValueError("every cluster needs a positive size")
    certainty = np.zeros(len(sizes), dtype=bool)
    while True:
        rest = ~certainty
        n_rest = n - certainty.sum()
        pi = np.where(certainty, 1.0, n_rest * sizes / sizes[rest].sum() if n_rest > 0 else 0.0)
        new = rest & (pi >= 1.0)
        if not new.any():
            return pi, certainty
        certainty |= new


def pps_systematic(sizes, n: int, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Randomised systematic PPS draw of ``n`` clusters; returns (selected positions, the draw).

    The draw table lists every cluster (by position in ``sizes``) in its random order with its
    probability, its interval on the cumulated-probability line and the selection point that hit
    it, so a reader can follow the draw by hand.
    """
    pi, certainty = pps_inclusion_probabilities(sizes, n)
    order = rng.permutation(len(pi))
    candidates = order[~certainty[order]]
    upper = np.cumsum(pi[candidates])
    lower = upper - pi[candidates]
    n_rest = n - int(certainty.sum())
    start = rng.random()
    points = start + np.arange(n_rest)
    hit = np.searchsorted(upper, points, side="right")
    hit = np.minimum(hit, len(candidates) - 1)  # guard against rounding at the very end of the line
    point_of = np.full(len(candidates), np.nan)
    point_of[hit] = points
    certain = np.flatnonzero(certainty)
    draw = pd.DataFrame({
        "position": np.concatenate([certain, candidates]),
        "random_order": np.concatenate([np.zeros(len(certain), int), np.arange(1, len(candidates) + 1)]),
        "pi_stage1": np.concatenate([pi[certain], pi[candidates]]),
        "interval_from": np.concatenate([np.full(len(certain), np.nan), lower]),
        "interval_to": np.concatenate([np.full(len(certain), np.nan), upper]),
        "selection_point": np.concatenate([np.full(len(certain), np.nan), point_of]),
        "certainty": np.concatenate([np.ones(len(certain), bool), np.zeros(len(candidates), bool)]),
    })
    draw["selected"] = draw["certainty"] | draw["selection_point"].notna()
    selected = np.sort(draw.loc[draw["selected"], "position"].to_numpy())
    return selected, draw


def srs_clusters(n_frame: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Simple random sample without replacement of ``n`` of ``n_frame`` clusters (random sort)."""
    if n < 0 or n > n_frame:
        raise ValueError(f"cannot draw {n} clusters from {n_frame}")
    key = rng.random(n_frame)
    rank = np.argsort(np.argsort(key)) + 1
    draw = pd.DataFrame({"position": np.arange(n_frame), "random_key": key, "random_order": rank,
                         "pi_stage1": np.full(n_frame, n / n_frame)})
    draw["selected"] = draw["random_order"] <= n
    draw = draw.sort_values("random_order", kind="stable").reset_index(drop=True)
    return np.flatnonzero(rank <= n), draw


@dataclass(frozen=True)
class ClusterSample:
    """A two-stage cluster sample: the frame, the stage-1 draw, the sample with probabilities.

    ``frame``: one row per cluster (size, stage-1 probability, selected).
    ``draw``: the stage-1 draw in its random order (see :func:`pps_systematic`).
    ``sample``: one row per sampled unit with ``pi_stage1``, ``pi_stage2``, ``pi`` (overall
    inclusion probability) and ``weight`` (design weight ``1 / pi``).
    """

    frame: pd.DataFrame
    draw: pd.DataFrame
    sample: pd.DataFrame
    method: str
    seed: int
    n_clusters: int
    per_cluster: dict = field(default_factory=dict)
    population_size: int = 0

    def to_frame(self) -> pd.DataFrame:
        """The sample (one row per unit, with probabilities and weights)."""
        return self.sample.copy()

    def to_dict(self) -> dict:
        """Scalar facts of the design and the draw (plain Python types)."""
        w = self.sample["weight"]
        return {
            "method": self.method,
            "seed": int(self.seed),
            "clusters_in_frame": int(len(self.frame)),
            "units_in_frame": int(self.population_size),
            "clusters_drawn": int(self.n_clusters),
            "units_drawn": int(len(self.sample)),
            "sum_of_weights": float(w.sum()),
            "min_weight": float(w.min()) if len(w) else float("nan"),
            "max_weight": float(w.max()) if len(w) else float("nan"),
            "selected_clusters": ", ".join(self.frame.loc[self.frame["selected"], "cluster"].astype(str)),
        }

    def summary(self) -> str:
        """A few lines for people."""
        d = self.to_dict()
        take = ", ".join(f"{k}: {v}" for k, v in self.per_cluster.items())
        stage1 = ("PPS (randomised systematic, size = units listed)" if self.method == "pps"
                  else "simple random sampling without replacement")
        return "\n".join([
            f"Two-stage cluster sample (seed {d['seed']})",
            f"  stage 1: {d['clusters_drawn']} of {d['clusters_in_frame']} clusters, {stage1}",
            f"  stage 2: simple random sampling within clusters ({take})",
            f"  selected clusters: {d['selected_clusters']}",
            f"  units: {d['units_drawn']} of {d['units_in_frame']}; weights {d['min_weight']:.1f}-"
            f"{d['max_weight']:.1f}, sum {d['sum_of_weights']:.1f}",
        ])


def two_stage_cluster_sample(
    units: pd.DataFrame,
    *,
    n_clusters: int,
    per_cluster: int | dict[str, int],
    seed: int,
    cluster: str = "cluster",
    unit: str = "unit_id",
    stratum: str | None = None,
    method: str = "pps",
) -> ClusterSample:
    """Draw ``n_clusters`` clusters, then ``per_cluster`` units in each (per stratum if a dict).

    ``units`` is the frame of units (one row per listed person) with a cluster column, a unit id
    and, when ``per_cluster`` is a dict, a stratum column whose values are its keys. Extra columns
    of the frame (e.g. kecamatan) are carried into the cluster table when constant within clusters.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if isinstance(per_cluster, dict):
        if stratum is None:
            raise ValueError("per_cluster given per stratum: name the stratum column")
        take = {str(k): int(v) for k, v in per_cluster.items()}
    else:
        take = {"all": int(per_cluster)}
    if units[unit].duplicated().any():
        raise ValueError(f"unit ids in column {unit!r} are not unique")

    rng = np.random.default_rng(seed)
    units = units.sort_values([cluster, unit], kind="stable").reset_index(drop=True)
    frame = units.groupby(cluster, sort=True).size().rename("size").reset_index()
    constant = [c for c in units.columns if c not in (cluster, unit, stratum)
                and units.groupby(cluster)[c].nunique(dropna=False).max() == 1]
    if constant:
        frame = frame.merge(units.groupby(cluster, sort=True)[constant].first().reset_index(), on=cluster)
    if stratum is not None:
        by_stratum = units.pivot_table(index=cluster, columns=stratum, values=unit, aggfunc="size", fill_value=0)
        frame = frame.merge(by_stratum.add_prefix("size_").reset_index(), on=cluster)
        frame.columns.name = None

    if method == "pps":
        selected, draw = pps_systematic(frame["size"].to_numpy(), n_clusters, rng)
    else:
        selected, draw = srs_clusters(len(frame), n_clusters, rng)
    pi1 = draw.set_index("position")["pi_stage1"].sort_index().to_numpy()
    frame["pi_stage1"] = pi1
    frame["selected"] = False
    frame.loc[selected, "selected"] = True
    draw.insert(1, "cluster", frame[cluster].to_numpy()[draw["position"].to_numpy()])
    draw.insert(2, "size", frame["size"].to_numpy()[draw["position"].to_numpy()])
    draw = draw.drop(columns="position")

    # Stage 2: a random key for every unit of the selected clusters (in sorted order), keep the
    # smallest keys in each (cluster, stratum) group: a simple random sample without replacement.
    chosen = units[units[cluster].isin(frame.loc[selected, cluster])].copy()
    chosen["_key"] = rng.random(len(chosen))
    group = [cluster] if stratum is None else [cluster, stratum]
    if stratum is None:
        chosen["_take"] = take["all"]
    else:
        unknown = set(chosen[stratum].astype(str)) - set(take)
        if unknown:
            raise ValueError(f"strata without a sample size: {sorted(unknown)}")
        chosen["_take"] = chosen[stratum].astype(str).map(take)
    chosen["_rank"] = chosen.groupby(group)["_key"].rank(method="first")
    chosen["_size"] = chosen.groupby(group)[unit].transform("size")
    sample = chosen[chosen["_rank"] <= chosen["_take"]].copy()
    sample["pi_stage2"] = np.minimum(sample["_take"], sample["_size"]) / sample["_size"]
    sample = sample.merge(frame[[cluster, "pi_stage1"]], on=cluster, how="left")
    sample["pi"] = sample["pi_stage1"] * sample["pi_stage2"]
    sample["weight"] = 1.0 / sample["pi"]
    sample = (sample.drop(columns=["_key", "_take", "_rank", "_size"])
              .sort_values(group + [unit], kind="stable").reset_index(drop=True))
    return ClusterSample(frame=frame, draw=draw, sample=sample, method=method, seed=int(seed),
                         n_clusters=int(len(selected)), per_cluster=take, population_size=int(len(units)))
