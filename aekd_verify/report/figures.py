"""Report figures (matplotlib, Agg backend, PNG): geometry, cap sweep, gaps, training."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import require
from ..solvers import solve

__all__ = ["geometry", "cap_sweep", "gap_histogram", "training"]


def _plt():
    mpl = require("matplotlib", "report")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain) of 2-D points, closed polygon."""
    pts = sorted(map(tuple, np.round(points, 12)))
    if len(pts) < 3:
        return np.array(pts + pts[:1])

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    h = lower[:-1] + upper[:-1]
    return np.array(h + h[:1])


def capped_vertices(M: int, cap: float) -> np.ndarray:
    """Vertices of the capped simplex (permutations of C, ..., C, r, 0, ...)."""
    from itertools import permutations

    from ..capped import fill

    k, r = fill(cap, M)
    base = [cap] * k + ([r] if k < M else []) + [0.0] * (M - k - (1 if k < M else 0))
    return np.array(sorted(set(permutations(base))))


def geometry(G: np.ndarray, cap: float, path: Path) -> dict:
    """M = 3, n = 2: gradients, convex hull, capped hull, min-norm points and d*."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9.0, 5.6))
    hull = _hull(G)
    ax.fill(hull[:, 0], hull[:, 1], color="#cfe3ff", label="convex hull of g_m (C = 1)")
    capped = _hull(capped_vertices(len(G), cap) @ G)
    ax.fill(capped[:, 0], capped[:, 1], color="#7fb2f0", alpha=0.8, label=f"capped hull (C = {cap:g})")
    for m, g in enumerate(G):
        ax.annotate("", xy=g, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="black", lw=1.5))
        ax.text(g[0] * 1.06, g[1] * 1.06, f"g_{m + 1}", fontsize=11)
    out = {}
    pts = [np.zeros(2), *G]
    for k, (c, color, name) in enumerate(((1.0, "#2a9d8f", "MGDA (C = 1)"), (cap, "#d62828", f"AE-KD (C = {cap:g})"))):
        sol = solve(G, c)
        w = -sol.d  # the min-norm point of the (capped) hull
        ax.plot(*w, "o", color=color, ms=8, label=f"min-norm point, {name}")
        ax.plot([0, w[0]], [0, w[1]], ":", color=color, lw=1)
        ax.annotate("", xy=sol.d, xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color=color, lw=2))
        ax.plot([], [], "-", color=color, lw=2, label=f"d* = -(min-norm point), {name}")
        ax.text(sol.d[0] - 0.04, sol.d[1] + (0.06 if k == 0 else -0.14), "d*", color=color, fontsize=11,
                ha="right")
        pts += [sol.d, w]
        out[f"d_star_C_{c:g}"] = sol.d.tolist()
        out[f"alpha_star_C_{c:g}"] = sol.alpha.tolist()
    pts = np.array(pts)
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.15 * (hi - lo).max()
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.plot(0, 0, "k+", ms=12)
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.set_xlabel("coordinate 1")
    ax.set_ylabel("coordinate 2")
    ax.set_title("Geometry of the capped min-norm problem (M = 3, n = 2)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out


def cap_sweep(G: np.ndarray, path: Path, points: int = 60) -> dict:
    """alpha*(C) per teacher and ||d*(C)|| as C sweeps from 1/M to 1."""
    plt = _plt()
    M = G.shape[0]
    caps = np.linspace(1.0 / M, 1.0, points)
    alphas, norms = [], []
    for c in caps:
        s = solve(G, float(c))
        alphas.append(s.alpha)
        norms.append(float(np.linalg.norm(s.d)))
    alphas = np.array(alphas)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for m in range(M):
        a1.plot(caps, alphas[:, m], label=f"teacher {m + 1}")
    a1.set_xlabel("cap C")
    a1.set_ylabel("alpha*_m(C)")
    a1.set_title("Optimal weights as the cap grows")
    a1.legend(fontsize=8)
    a1.grid(alpha=0.3)
    a2.plot(caps, norms, color="black")
    a2.set_xlabel("cap C")
    a2.set_ylabel("||d*(C)||")
    a2.set_title("||d*(C)|| is non-increasing in C")
    a2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return {"caps": caps.tolist(), "d_norm": norms, "monotone": bool(np.all(np.diff(norms) <= 1e-12))}


def gap_histogram(gaps: dict[str, list[float]], path: Path) -> None:
    """Distribution of certified relative Frank--Wolfe gaps per solver (log scale)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(-20, -4, 33)
    for name, g in gaps.items():
        vals = np.log10(np.maximum(np.abs(np.asarray(g)), 1e-20))
        ax.hist(vals, bins=bins, alpha=0.55, label=name)
    ax.set_xlabel("log10 |certified relative Frank-Wolfe gap|  (gaps below 1e-20 shown at -20)")
    ax.set_ylabel("problems")
    ax.set_title("Certified accuracy per solver")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def training(log: list[dict], teachers: list[str], path: Path) -> None:
    """alpha per teacher over steps, and the validation gaps."""
    plt = _plt()
    steps = [r["step"] for r in log]
    alphas = np.array([r["alpha"] for r in log])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    for m, name in enumerate(teachers):
        a1.plot(steps, alphas[:, m], label=name, lw=1)
    a1.set_xlabel("training step")
    a1.set_ylabel("alpha_m")
    a1.set_title("AE-KD weights per teacher")
    a1.legend(fontsize=8)
    a1.grid(alpha=0.3)
    vs = [r for r in log if "validation" in r]
    a2.semilogy([r["step"] for r in vs], [max(abs(r["validation"]["frank_wolfe_gap"]), 1e-20) for r in vs],
                "o", ms=3, label="certified FW gap")
    a2.semilogy([r["step"] for r in vs], [max(r["validation"]["update_rel_error"], 1e-20) for r in vs],
                "s", ms=3, label="applied-update error")
    a2.set_xlabel("training step")
    a2.set_ylabel("relative error (1e-20 floor)")
    a2.set_title("Validation against the oracle")
    a2.legend(fontsize=8)
    a2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
