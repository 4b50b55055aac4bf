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


#: Why a two-stage study's draw is not redone (codes; the report says them).
NO_DESIGN, NO_FRAME, TOO_FEW_CLUSTERS = "no design", "no frame", "too few clusters"


@dataclass(frozen=True)
class StudyDraw:
    """A two-stage study's draw redone from its registry row and frame (``sample``, the frame's
    ``rows`` of the study), or why not (``problem``: :data:`NO_DESIGN`, :data:`NO_FRAME`,
    :data:`TOO_FEW_CLUSTERS`, with the design's ``n_clusters`` and the clusters ``listed``)."""

    sample: ClusterSample | None
    rows: pd.DataFrame | None = None
    problem: str = ""
    n_clusters: int = 0
    listed: int = 0

    @property
    def drawn(self) -> bool:
        return self.sample is not None

    def selected_types(self) -> list[str]:
        """The kinds of the selected clusters ("desa", "kelurahan"), sorted."""
        if self.sample is None or "cluster_type" not in self.sample.frame:
            return []
        chosen = self.sample.frame.loc[self.sample.frame["selected"], "cluster_type"]
        return sorted(set(chosen.dropna().astype(str)))


def redrawn_sample(study, frame: pd.DataFrame | None) -> StudyDraw:
    """The study's two-stage draw redone from its seed (:func:`redraw`), or why it cannot be."""
    rows = None if frame is None else frame[frame["site"] == study.site]
    design = study.sampling_design
    if design is None:
        return StudyDraw(None, problem=NO_DESIGN)
    if rows is None or rows.empty:
        return StudyDraw(None, problem=NO_FRAME)
    listed = int(rows["cluster"].nunique())
    if design["n_clusters"] > listed:
        return StudyDraw(
            None, problem=TOO_FEW_CLUSTERS, n_clusters=design["n_clusters"], listed=listed
        )
    return StudyDraw(redraw(rows, **design), rows)


def design_facts(study, draw: StudyDraw, informants: pd.DataFrame) -> dict:
    """The draw's facts to record (``sampling_``: :meth:`ClusterSample.to_dict`, and whether the
    data's informants are those of the draw); empty when nothing was drawn."""
    if not study.two_stage or not draw.drawn:
        return {}
    check = compare_with_informants(draw.sample, informants)
    facts = {f"sampling_{k}": v for k, v in draw.sample.to_dict().items()}
    facts["sampling_matches_data"] = bool(check["agrees"].all())
    return facts


def official_unit(draw: StudyDraw) -> str | None:
    """What the lowest officials of a drawn study serve: "desa" when every selected cluster is a
    desa, "kelurahan" when every one is a kelurahan, "desa/kelurahan" for both; None without a
    draw (the contract's "kelurahan official" stands)."""
    types = draw.selected_types()
    if not types:
        return None
    if set(types) <= {"desa", "kelurahan"}:
        return "/".join(types)
    return None


@dataclass(frozen=True)
class WeightedShares:
    """Design-weighted shares of the drawn informants supporting each finding.

    ``table``: one row a finding (``finding``, ``supporters``/``informants`` over all informants,
    ``drawn_supporters``/``drawn`` over the drawn ones, ``unweighted``, ``share``, ``ci95_low``,
    ``ci95_high`` as fractions 0-1), or None and ``problem`` (:data:`NO_DRAWN_INFORMANT`,
    :data:`NO_FINDING`, or the draw's problem); ``purposive`` informants outside the draw;
    ``pi_ranges`` per role (min, max); ``clusters`` primary units.
    """

    table: pd.DataFrame | None
    problem: str = ""
    drawn: int = 0
    purposive: int = 0
    pi_ranges: dict = field(default_factory=dict)
    clusters: int = 0

    def facts(self) -> dict:
        if self.table is None:
            return {}
        return {
            "weighted_drawn_informants": int(self.drawn),
            "weighted_purposive_informants": int(self.purposive),
        }


NO_DRAWN_INFORMANT, NO_FINDING = "no drawn informant", "no finding"


def weighted_shares(
    draw: StudyDraw, informants: pd.DataFrame, support: pd.DataFrame
) -> WeightedShares:
    """Design-weighted shares of the informants supporting each finding (``support``: informant x
    finding, True where the informant supports it), for a study whose draw was redone.

    The weights are 1 / pi of the redrawn sample (:func:`informant_inclusion`); the share is the
    Hajek ratio with a design-based SE, clusters as primary units (:func:`design_weighted_share`).
    """
    if not draw.drawn:
        return WeightedShares(None, draw.problem)
    weighted = informant_inclusion(draw.sample, informants)
    drawn_units = weighted[weighted["pi"].notna()]
    if drawn_units.empty:
        return WeightedShares(None, NO_DRAWN_INFORMANT)
    if support.empty or len(support.columns) == 0:
        return WeightedShares(None, NO_FINDING)
    rows = []
    for finding in support.columns:
        units = drawn_units.assign(
            y=drawn_units["informant_id"].map(support[finding]).fillna(False)
        )
        share = design_weighted_share(units, indicator="y", pi="pi", stratum=None)
        rows.append(
            {
                "finding": finding,
                "supporters": int(support[finding].sum()),
                "informants": len(support),
                "drawn_supporters": int(units["y"].sum()),
                "drawn": len(units),
                "unweighted": share.unweighted,
                "share": share.share,
                "ci95_low": share.ci95_low,
                "ci95_high": share.ci95_high,
            }
        )
    pis = drawn_units.groupby("role")["pi"].agg(["min", "max"])
    return WeightedShares(
        pd.DataFrame(rows),
        drawn=len(drawn_units),
        purposive=int(weighted["pi"].isna().sum()),
        pi_ranges={role: (float(lo), float(hi)) for role, (lo, hi) in pis.iterrows()},
        clusters=draw.sample.to_dict().get("n_clusters", len(set(drawn_units["cluster"]))),
    )
