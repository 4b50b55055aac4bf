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

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from analysis import formatting as fmt
from analysis.i18n import _, ngettext
from analysis.literal import markdown_literal

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


def pps_select(
    pi: np.ndarray, certainty: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, float]:
    """The randomised systematic draw itself: (selected positions, random order of the non-certainty clusters, start).

    ``pi`` and ``certainty`` come from :func:`pps_inclusion_probabilities`. Uses the generator
    twice: one permutation, one uniform start.
    """
    order = rng.permutation(len(pi))
    candidates = order[~certainty[order]]
    upper = np.cumsum(pi[candidates])
    n_rest = int(round(upper[-1])) if len(candidates) else 0
    start = float(rng.random())
    points = start + np.arange(n_rest)
    hit = np.minimum(
        np.searchsorted(upper, points, side="right"), len(candidates) - 1
    )  # rounding at the end
    selected = np.sort(np.concatenate([np.flatnonzero(certainty), candidates[hit]]))
    return selected, candidates, start


def pps_systematic(sizes, n: int, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Randomised systematic PPS draw of ``n`` clusters; returns (selected positions, the draw).

    The draw table lists every cluster (by position in ``sizes``) in its random order with its
    probability, its interval on the cumulated-probability line and the selection point that hit
    it, so a reader can follow the draw by hand.
    """
    pi, certainty = pps_inclusion_probabilities(sizes, n)
    selected, candidates, start = pps_select(pi, certainty, rng)
    upper = np.cumsum(pi[candidates])
    lower = upper - pi[candidates]
    points = start + np.arange(n - int(certainty.sum()))
    point_of = np.full(len(candidates), np.nan)
    hit = np.minimum(np.searchsorted(upper, points, side="right"), len(candidates) - 1)
    point_of[hit] = points
    certain = np.flatnonzero(certainty)
    k = len(certain)
    draw = pd.DataFrame(
        {
            "position": np.concatenate([certain, candidates]),
            "random_order": np.concatenate([np.zeros(k, int), np.arange(1, len(candidates) + 1)]),
            "pi_stage1": np.concatenate([pi[certain], pi[candidates]]),
            "interval_from": np.concatenate([np.full(k, np.nan), lower]),
            "interval_to": np.concatenate([np.full(k, np.nan), upper]),
            "selection_point": np.concatenate([np.full(k, np.nan), point_of]),
            "certainty": np.concatenate([np.ones(k, bool), np.zeros(len(candidates), bool)]),
        }
    )
    draw["selected"] = draw["position"].isin(selected)
    return selected, draw


def srs_select(n_frame: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Simple random sample without replacement by random sort: (selected positions, random keys)."""
    if n < 0 or n > n_frame:
        raise ValueError(f"cannot draw {n} clusters from {n_frame}")
    key = rng.random(n_frame)
    return np.sort(np.argsort(key, kind="stable")[:n]), key


def srs_clusters(n_frame: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Simple random sample without replacement of ``n`` of ``n_frame`` clusters, with its draw table."""
    selected, key = srs_select(n_frame, n, rng)
    rank = np.argsort(np.argsort(key, kind="stable"), kind="stable") + 1
    draw = pd.DataFrame(
        {
            "position": np.arange(n_frame),
            "random_key": key,
            "random_order": rank,
            "pi_stage1": np.full(n_frame, n / n_frame),
        }
    )
    draw["selected"] = draw["random_order"] <= n
    draw = draw.sort_values("random_order", kind="stable").reset_index(drop=True)
    return selected, draw


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
            "selected_clusters": ", ".join(
                self.frame.loc[self.frame["selected"], "cluster"].astype(str)
            ),
        }

    def summary(self) -> str:
        """A few lines for people."""
        d = self.to_dict()
        take = ", ".join(f"{k}: {v}" for k, v in self.per_cluster.items())
        stage1 = (
            _("PPS (randomised systematic, size = units listed)")
            if self.method == "pps"
            else _("simple random sampling without replacement")
        )
        return "\n".join(
            [
                _("Two-stage cluster sample (seed {seed})").format(seed=d["seed"]),
                _("  stage 1: {drawn} of {in_frame} clusters, {stage1}").format(
                    drawn=d["clusters_drawn"], in_frame=d["clusters_in_frame"], stage1=stage1
                ),
                _("  stage 2: simple random sampling within clusters ({take})").format(take=take),
                _("  selected clusters: {clusters}").format(clusters=d["selected_clusters"]),
                _(
                    "  units: {drawn} of {in_frame}; weights {min_weight}-{max_weight}, sum {total}"
                ).format(
                    drawn=d["units_drawn"],
                    in_frame=d["units_in_frame"],
                    min_weight=fmt.number(d["min_weight"], 1),
                    max_weight=fmt.number(d["max_weight"], 1),
                    total=fmt.number(d["sum_of_weights"], 1),
                ),
            ]
        )


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
    cluster_code, cluster_names = pd.factorize(units[cluster], sort=True)
    sizes = np.bincount(cluster_code, minlength=len(cluster_names))
    frame = pd.DataFrame({cluster: cluster_names, "size": sizes})
    others = [c for c in units.columns if c not in (cluster, unit, stratum)]
    if others:
        distinct = units.groupby(cluster_code)[others].nunique(dropna=False).max()
        constant = [c for c in others if distinct[c] == 1]
        first = np.unique(cluster_code, return_index=True)[1]
        for c in constant:
            frame[c] = units[c].to_numpy()[first]
    if stratum is not None:
        stratum_code, stratum_names = pd.factorize(units[stratum].astype(str), sort=True)
        unknown = set(stratum_names) - set(take)
        if unknown:
            raise ValueError(f"strata without a sample size: {sorted(unknown)}")
        per_stratum = np.zeros((len(cluster_names), len(stratum_names)), dtype=int)
        np.add.at(per_stratum, (cluster_code, stratum_code), 1)
        for j, name in enumerate(stratum_names):
            frame[f"size_{name}"] = per_stratum[:, j]
        unit_take = np.array([take[name] for name in stratum_names])[stratum_code]
        group = cluster_code * len(stratum_names) + stratum_code
    else:
        unit_take = np.full(len(units), take["all"])
        group = cluster_code

    if method == "pps":
        selected, draw = pps_systematic(sizes, n_clusters, rng)
    else:
        selected, draw = srs_clusters(len(frame), n_clusters, rng)
    pi1 = np.empty(len(frame))
    pi1[draw["position"].to_numpy()] = draw["pi_stage1"].to_numpy()
    frame["pi_stage1"] = pi1
    frame["selected"] = np.isin(np.arange(len(frame)), selected)
    positions = draw["position"].to_numpy()
    draw.insert(1, "cluster", cluster_names[positions])
    draw.insert(2, "size", sizes[positions])
    draw = draw.drop(columns="position")

    # Stage 2: a random key for every unit of the selected clusters (in sorted order); the units with
    # the smallest keys of each (cluster, stratum) group form a simple random sample without replacement.
    in_selected = np.flatnonzero(frame["selected"].to_numpy()[cluster_code])
    key = rng.random(len(in_selected))
    g = group[in_selected]
    order = np.lexsort((key, g))
    g_sorted = g[order]
    starts = np.r_[0, np.flatnonzero(np.diff(g_sorted)) + 1]
    counts = np.diff(np.r_[starts, len(g_sorted)])
    rank = np.arange(len(g_sorted)) - np.repeat(starts, counts)
    group_size = np.repeat(counts, counts)
    rows = in_selected[order]
    keep = rank < unit_take[rows]
    rows, group_size = rows[keep], group_size[keep]
    sample = units.iloc[rows].copy()
    sample["pi_stage2"] = np.minimum(unit_take[rows], group_size) / group_size
    sample["pi_stage1"] = pi1[cluster_code[rows]]
    sample["pi"] = sample["pi_stage1"] * sample["pi_stage2"]
    sample["weight"] = 1.0 / sample["pi"]
    sort = [cluster] if stratum is None else [cluster, stratum]
    sample = sample.sort_values(sort + [unit], kind="stable").reset_index(drop=True)
    return ClusterSample(
        frame=frame,
        draw=draw,
        sample=sample,
        method=method,
        seed=int(seed),
        n_clusters=int(len(selected)),
        per_cluster=take,
        population_size=int(len(units)),
    )


def _units_taken(count: int, stratum: str) -> str:
    """ "2 residents": a stratum's sample size per cluster (the stratum label in the edition's
    language: the role labels of :mod:`analysis.data.contract`)."""
    label = _(stratum.replace("_", " "))
    return ngettext("{n} {stratum}", "{n} {stratum}s", count).format(
        n=fmt.integer(count),
        stratum=markdown_literal(label),  # a stratum named in the registry
    )


def describe(
    sample: ClusterSample, unit_label: str | None = None, cluster_label: str = "kelurahan"
) -> str:
    """A methods paragraph (Markdown) that lets a reader redraw the sample: design, seed, numbers.

    ``unit_label`` names the listed units in the edition's language (default "listed people").
    """
    unit_label = _("listed people") if unit_label is None else unit_label
    d = sample.to_dict()
    take = ", ".join(_units_taken(v, k) for k, v in sample.per_cluster.items())
    if sample.method == "pps":
        start = sample.draw["selection_point"].min()
        stage1 = _(
            "with probability proportional to size (the number of {units}), by randomised "
            "systematic sampling: the {clusters} were put in a random order, their inclusion "
            "probabilities $\\pi_1 = n M_i / M$ cumulated, and the {clusters} whose interval holds "
            "one of the points $u, u+1, \\dots, u+n-1$ were taken ($u$ = {start})"
        ).format(units=unit_label, clusters=cluster_label, start=fmt.number(start, 4))
    else:
        stage1 = _("by simple random sampling without replacement ($\\pi_1 = n / N$)")
    return _(
        "**Stage 1** drew {clusters_drawn} of the {clusters_in_frame} {clusters} of the frame "
        "{stage1}. **Stage 2** drew {take} in each selected {clusters} by simple random sampling "
        "without replacement ($\\pi_2 = m / M_i$ within each group). Both stages use one "
        "random-number generator (numpy PCG64) seeded with {seed}, so the same seed redraws the "
        "same sample. An informant's inclusion probability is $\\pi = \\pi_1 \\pi_2$ and the "
        "design weight $1/\\pi$ is the number of {units} the informant stands for: weights run "
        "from {min_weight} to {max_weight} and add up to {sum_of_weights}, the {units_in_frame} "
        "{units} of the frame."
    ).format(
        clusters_drawn=fmt.integer(d["clusters_drawn"]),
        clusters_in_frame=fmt.integer(d["clusters_in_frame"]),
        clusters=cluster_label,
        stage1=stage1,
        take=take,
        seed=d["seed"],
        units=unit_label,
        min_weight=fmt.number(d["min_weight"], 1),
        max_weight=fmt.number(d["max_weight"], 1),
        sum_of_weights=fmt.number(d["sum_of_weights"], 0),
        units_in_frame=fmt.integer(d["units_in_frame"]),
    )


def compare_with_informants(
    sample: ClusterSample,
    informants: pd.DataFrame,
    *,
    stratum: str = "stratum",
    cluster: str = "cluster",
    role: str = "role",
) -> pd.DataFrame:
    """Drawn units per cluster and stratum next to the informants in the data (cluster, role); ``agrees`` per row."""
    drawn = sample.sample.groupby([cluster, stratum]).size().rename("drawn")
    inf = informants.dropna(subset=[cluster])
    in_data = inf.groupby([cluster, role]).size().rename("in_data")
    in_data.index = in_data.index.set_names([cluster, stratum])
    out = pd.concat([drawn, in_data], axis=1).fillna(0).astype(int).reset_index()
    out["agrees"] = out["drawn"] == out["in_data"]
    return out


@dataclass(frozen=True)
class WeightedShare:
    """Design-weighted (Hajek / Horvitz-Thompson ratio) share with a design-based standard error.

    ``share`` is sum(w y) / sum(w) with design weights w = 1 / pi; ``se`` is the Taylor
    linearisation standard error treating primary units (clusters) as drawn with replacement
    within strata (the usual conservative approximation). ``unweighted`` is the plain share of
    the same units, ``n`` their count and ``n_psu`` the number of primary units. ``df`` are the
    design's degrees of freedom (primary units less strata, as in R's ``survey::degf``); the
    95 % interval uses Student's t on them, and is ``nan`` when there are none (one primary unit
    a stratum: no variance can be estimated from the design).
    """

    share: float
    se: float
    ci95_low: float
    ci95_high: float
    unweighted: float
    n: int
    n_psu: int
    df: int

    def to_dict(self) -> dict:
        return {k: float(v) if isinstance(v, float) else int(v) for k, v in asdict(self).items()}


def design_weighted_share(
    frame: pd.DataFrame,
    *,
    indicator: str,
    pi: str = "pi",
    psu: str = "cluster",
    stratum: str | None = "stratum",
) -> WeightedShare:
    """Share of units with ``indicator`` true, weighted by 1 / ``pi``, with a design-based SE.

    Units without a ``psu`` label are their own primary unit (e.g. officials chosen one by one);
    units of a stratum with a single primary unit contribute no variance (they are a census of
    their stratum or a certainty selection). The interval is share +/- t SE, clipped to 0-1, with
    t Student's 97.5 % quantile on the design's degrees of freedom (primary units less strata):
    with 5 clusters, t on 4 degrees of freedom is 2.78, not the normal 1.96.
    """
    y = frame[indicator].astype(float).to_numpy()
    w = 1.0 / frame[pi].astype(float).to_numpy()
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"column {pi} must hold inclusion probabilities in (0, 1]")
    share = float(np.sum(w * y) / np.sum(w))
    z = w * (y - share) / np.sum(w)  # linearised values of the ratio estimator
    own = pd.Series(np.arange(len(frame)), index=frame.index).astype(str).radd("unit-")
    units = frame[psu].astype("string").where(frame[psu].notna(), own) if psu in frame else own
    strata = (
        frame[stratum].astype(str)
        if stratum and stratum in frame
        else pd.Series("all", index=frame.index)
    )
    totals = pd.DataFrame({"stratum": strata.to_numpy(), "psu": units.to_numpy(), "z": z})
    totals = totals.groupby(["stratum", "psu"])["z"].sum().reset_index()
    variance = 0.0
    for _stratum, part in totals.groupby("stratum"):
        k = len(part)
        if k > 1:
            variance += k / (k - 1) * float(((part["z"] - part["z"].mean()) ** 2).sum())
    se = math.sqrt(variance)
    df = int(len(totals) - totals["stratum"].nunique())
    t = float(stats.t.ppf(0.975, df)) if df > 0 else math.nan
    return WeightedShare(
        share=share,
        se=se,
        ci95_low=max(0.0, share - t * se) if df > 0 else math.nan,
        ci95_high=min(1.0, share + t * se) if df > 0 else math.nan,
        unweighted=float(y.mean()),
        n=int(len(frame)),
        n_psu=int(len(totals)),
        df=df,
    )


def units_from_frame(
    frame: pd.DataFrame, *, cluster: str = "cluster", stratum: str = "stratum", size: str = "size"
) -> pd.DataFrame:
    """The units of a frame given as sizes (one row a cluster and stratum, ``size`` units listed).

    Unit ids are ``CLUSTER/STRATUM/NNN``; the other columns of the frame (kecamatan,
    cluster_type, ...) are carried to every unit of their row.
    """
    sizes = frame[size].astype(int).to_numpy()
    if (sizes < 0).any():
        raise ValueError("a frame size cannot be negative")
    units = frame.loc[frame.index.repeat(sizes)].drop(columns=[size]).reset_index(drop=True)
    number = np.concatenate([np.arange(1, n + 1) for n in sizes]) if len(sizes) else []
    units.insert(
        0,
        "unit_id",
        [
            f"{c}/{s}/{k:03d}"
            for c, s, k in zip(units[cluster].astype(str), units[stratum].astype(str), number)
        ],
    )
    return units


def redraw(
    frame: pd.DataFrame, *, n_clusters: int, per_cluster: dict[str, int], seed: int
) -> ClusterSample:
    """Redo a two-stage draw from a frame of sizes (:func:`units_from_frame`), strata as given."""
    units = units_from_frame(frame.drop(columns=["site"], errors="ignore"))
    return two_stage_cluster_sample(
        units,
        n_clusters=n_clusters,
        per_cluster={k: v for k, v in per_cluster.items() if k in set(units["stratum"])},
        seed=seed,
        stratum="stratum",
    )


def informant_inclusion(
    sample: ClusterSample,
    informants: pd.DataFrame,
    *,
    cluster: str = "cluster",
    stratum: str = "stratum",
    role: str = "role",
) -> pd.DataFrame:
    """The informants with the inclusion probability ``pi`` of their drawn (cluster, stratum).

    An informant's role is its stratum. Informants with no cluster, or whose (cluster, role) the
    draw does not contain (chosen purposively, e.g. regency officials), get ``pi`` NaN: they
    have no inclusion probability and cannot be design-weighted.
    """
    pi = sample.sample.groupby([cluster, stratum])["pi"].first()
    keys = list(zip(informants[cluster], informants[role]))
    out = informants.copy()
    out["pi"] = [float(pi.get(k, np.nan)) if isinstance(k[0], str) else np.nan for k in keys]
    return out
