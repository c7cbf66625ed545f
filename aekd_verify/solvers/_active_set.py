"""The fast exact float64 solver: a primal active-set method on the dual (22).

Problem (on the normalised Gram matrix, ``max diag K = 1``)::

    min_alpha 1/2 alpha^T K alpha   s.t.  1^T alpha = 1,  0 <= alpha <= C

Why this method.  It is the classical primal active-set method for convex QPs
(Nocedal & Wright, Alg. 16.3), extended to a *semidefinite* ``K``: every iterate
is feasible; on the current working set (free indices ``F``; the others fixed at
0 or ``C``) it takes the exact minimiser of the quadratic on the affine set
``{1^T alpha = 1}`` or, when that minimiser does not exist (a null direction of
``K_FF`` on the hyperplane along which the objective decreases, e.g. duplicated
teachers), a descent direction of zero curvature, which must hit a bound.  When
the subspace minimiser is reached, the multipliers ``lambda`` (of ``sum = 1``)
and ``mu`` (of the bounds) are read off; if all have the right sign the KKT
conditions hold exactly and the iterate is optimal, otherwise the most violated
bound leaves the working set.  The objective decreases strictly at every
non-degenerate step and working sets cannot repeat, so the method is *finite*; a
cap on iterations (Bland's rule after ``4 M`` iterations) guards against cycling
under rounding.  A last refinement step re-solves the KKT system of the final
working set with one step of iterative refinement, so the certified duality gap
is at rounding level.

Warm start.  A primal-dual active-set phase (``_pdas``, semismooth Newton on the
KKT system) guesses the working set first, changing many bounds per iteration;
the primal active-set method then starts from it and, when the guess is right,
only confirms the multipliers.  The PDAS phase may cycle or hit a singular
system; then the primal method starts from ``1/M`` as above, so finiteness does
not depend on it.

Special cases: ``M C = 1`` gives ``alpha = 1/M`` directly; ``C >= 1`` drops the
upper bounds (they are implied by ``sum = 1, alpha >= 0``), i.e. MGDA's min-norm
problem; an all-zero ``K`` stops at the start point ``alpha = 1/M`` (any feasible
point is optimal).
"""

from __future__ import annotations

import time

import numpy as np

from ..capped import fill
from ..problem import Problem
from ..tolerances import ACTIVE_SET_MULTIPLIER_TOL, WARM_START_BOUND
from ._kkt import FREE as _FREE, LOWER as _LOWER, UPPER as _UPPER, bordered_solve, direction as _direction
from ._kkt import refine as _refine
from ._common import finish

__all__ = ["solve_active_set", "active_set_weights"]

def _warm_state(alpha: np.ndarray, cap: float, delta: float) -> tuple[np.ndarray, np.ndarray] | None:
    """A feasible start and working set near ``alpha`` (weights within ``delta`` of a
    bound are fixed there, the sum is restored on the free weights), or None."""
    M = alpha.size
    state = np.full(M, _FREE)
    state[alpha <= delta] = _LOWER
    if cap < 1.0:
        state[alpha >= cap - delta] = _UPPER
    x = np.clip(alpha, 0.0, cap)
    x[state == _LOWER] = 0.0
    x[state == _UPPER] = cap
    F = np.flatnonzero(state == _FREE)
    if F.size == 0:
        return (x, state) if abs(x.sum() - 1.0) <= 1e-14 else None
    x[F] += (1.0 - x.sum()) / F.size
    if x[F].min() < 0.0 or x[F].max() > cap:
        return None
    return x, state


def _pdas(K: np.ndarray, cap: float, max_iter: int) -> np.ndarray | None:
    """Primal-dual active-set phase (semismooth Newton on the KKT system).

    Guesses the working set from ``mu - alpha`` and ``nu + alpha - C`` and solves
    its KKT system; usually converges in a handful of iterations, changing many
    bounds at once.  It can cycle or meet a singular system: None when it did not
    settle (the primal method then starts from ``1/M``).  When it settles, its answer
    satisfies the KKT conditions (see ``active_set_weights``) and is returned as is.
    """
    M = K.shape[0]
    upper = cap < 1.0
    alpha = np.full(M, 1.0 / M)
    mu = np.zeros(M)
    nu = np.zeros(M)
    prev = None
    for _ in range(max_iter):
        low = mu - alpha > 0
        up = (nu + alpha - cap > 0) & ~low if upper else np.zeros(M, dtype=bool)
        key = (low.tobytes(), up.tobytes())
        if key == prev:
            return alpha
        prev = key
        F = np.flatnonzero(~(low | up))
        alpha = np.where(up, cap, 0.0)
        if F.size == 0:
            return None
        rest = 1.0 - float(alpha.sum())
        x = bordered_solve(K.take(F, 0).take(F, 1), -(K.take(F, 0) @ alpha), rest)
        if x is None:
            return None
        alpha[F] = x[:-1]
        r = K @ alpha + x[-1]
        mu = np.where(low, r, 0.0)
        nu = np.where(up, -r, 0.0)
    return None


def active_set_weights(K: np.ndarray, cap: float, *, max_iter: int | None = None,
                       start: np.ndarray | None = None, delta: float = WARM_START_BOUND) -> tuple[np.ndarray, dict]:
    """Optimal ``alpha`` of ``min 1/2 a^T K a`` on the capped simplex, and statistics.

    ``K`` should be normalised (``max diag K = 1``); the tolerances assume it.
    ``start`` warm-starts from approximate weights (e.g. an interior-point answer):
    weights within ``delta`` of a bound start in the working set.
    """
    M = K.shape[0]
    k, _ = fill(cap, M)
    stats = {"iterations": 0, "released": 0, "blocked": 0, "null_steps": 0}
    if k >= M:  # M C = 1: the capped simplex is the single point 1/M
        return np.full(M, 1.0 / M), stats
    upper = cap < 1.0
    alpha = np.full(M, 1.0 / M)
    state = np.full(M, _FREE)
    if start is None:
        start = _pdas(K, cap, max_iter=M + 10)
        stats["pdas"] = start is not None
        if start is not None:
            # PDAS settled: the working set read off alpha's own multipliers is the one whose KKT
            # system produced alpha, so alpha is in the box (strict tests), bound multipliers have
            # the right sign, and the free equations hold to the solve's checked residual -- KKT.
            return start, stats
    warm = None if start is None else _warm_state(np.asarray(start, dtype=np.float64), cap, delta)
    if warm is not None:
        alpha, state = warm
        stats["warm_start"] = True
    max_iter = max_iter or (50 * M + 100)
    need_direction = True
    for it in range(max_iter):
        stats["iterations"] = it + 1
        F = np.flatnonzero(state == _FREE)
        if need_direction and F.size:
            g = K @ alpha
            p, exact = _direction(K.take(F, 0).take(F, 1), g[F])
            if not exact:
                stats["null_steps"] += 1
            # ratio test
            t, block = (1.0 if exact else np.inf), -1
            neg = p < 0
            if neg.any():
                ratios = alpha[F][neg] / -p[neg]
                j = int(np.argmin(ratios))
                if ratios[j] < t:
                    t, block = float(ratios[j]), int(F[neg][j])
            if upper:
                pos = p > 0
                if pos.any():
                    ratios = (cap - alpha[F][pos]) / p[pos]
                    j = int(np.argmin(ratios))
                    if ratios[j] < t:
                        t, block = float(ratios[j]), int(F[pos][j])
            if not np.isfinite(t):  # cannot happen on a bounded set; guard anyway
                break
            alpha[F] += t * p
            if block >= 0:
                stats["blocked"] += 1
                if p[np.searchsorted(F, block)] < 0:
                    state[block], alpha[block] = _LOWER, 0.0
                else:
                    state[block], alpha[block] = _UPPER, cap
                continue
        # at the minimiser of the current working set: check the multipliers
        g = K @ alpha
        F = np.flatnonzero(state == _FREE)
        Lw = np.flatnonzero(state == _LOWER)
        Uw = np.flatnonzero(state == _UPPER)
        if F.size:
            lam = -float(np.mean(g[F]))
        else:
            lo = -float(g[Lw].min()) if Lw.size else -np.inf
            hi = -float(g[Uw].max()) if Uw.size else np.inf
            lam = lo if not np.isfinite(hi) else hi if not np.isfinite(lo) else 0.5 * (lo + hi)
        mult = np.full(M, np.inf)
        mult[Lw] = g[Lw] + lam  # mu >= 0 for alpha_i >= 0
        mult[Uw] = -(g[Uw] + lam)  # nu >= 0 for alpha_i <= C
        viol = np.flatnonzero(mult < -ACTIVE_SET_MULTIPLIER_TOL)
        if viol.size == 0:
            break
        j = int(viol[0]) if it > 4 * M else int(viol[np.argmin(mult[viol])])
        state[j] = _FREE
        stats["released"] += 1
        need_direction = True
    alpha = _refine(K, cap, alpha, state)
    return alpha, stats


def solve_active_set(problem: Problem):
    """Solve ``problem`` with the active-set method on its normalised Gram matrix."""
    t0 = time.perf_counter()
    pn_K = problem.K / problem.norm_scale
    alpha, stats = active_set_weights(pn_K, problem.cap)
    stats["seconds"] = time.perf_counter() - t0
    return finish(problem, alpha, "active-set", stats)
