"""The two cvxpy reference solvers: the primal (17) literally and the dual (22).

Both use Clarabel (an interior-point conic solver), named explicitly: cvxpy would
otherwise pick OSQP for a QP, whose default tolerance (~1e-5) is far too loose
for a reference (DESIGN §2).  Both solve the *normalised* problem (``max ||g_m||^2
= 1``) and undo the scaling afterwards, so Clarabel's absolute tolerances act as
relative ones.  A status other than ``optimal`` raises :class:`SolverError`.

Polishing.  An interior-point method stops at a relative duality gap near
``1e-14``; since the objective is 1-strongly convex in ``d``, that only bounds
``||d - d*|| / sqrt(s)`` by ``sqrt(2 gap) ~ 1e-7``.  As OSQP does, the references
therefore *polish*: the weights within ``1e-7`` of a bound are fixed there and the
exact active-set iteration (``_active_set``) is warm-started from that working set,
which solves its KKT system exactly and releases or adds bounds until the
multipliers have the right signs (usually zero or one change).  The polish cannot
make a wrong answer look right: it is accepted only through the solver-free
certificate below.  The polished
answer is kept only when its solver-free Frank--Wolfe gap is no larger than the
raw answer's (or below ``POLISH_ACCEPT_GAP``, rounding level: a certified gap
cannot tell apart two answers whose ``d`` differ by ``sqrt(1e-16)``), and ``stats["polished"]`` says which was returned.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from ..errors import SolverError, require
from ..problem import Problem
from ..tolerances import POLISH_ACCEPT_GAP, REFERENCE_GAP_TOL
from ._common import finish, gram_factor

__all__ = ["solve_cvxpy_primal", "solve_cvxpy_dual"]

#: Clarabel settings: gaps and feasibility tightened well below the default 1e-8.
CLARABEL_SETTINGS = {
    "tol_gap_abs": 1e-13,
    "tol_gap_rel": 1e-13,
    "tol_feas": 1e-13,
    "tol_ktratio": 1e-10,
    "max_iter": 400,
}


#: Clarabel's own defaults, passed explicitly (cvxpy may keep the previous settings).
CLARABEL_DEFAULTS = {"tol_gap_abs": 1e-8, "tol_gap_rel": 1e-8, "tol_feas": 1e-8, "tol_ktratio": 1e-6,
                     "max_iter": 200}


def _cp():
    return require("cvxpy", "reference")


def _solve(prob, method: str) -> dict:
    """Solve with Clarabel: tight tolerances first, Clarabel's defaults if those stall.

    Very degenerate instances (duplicated teachers with ``C`` just below 1) can
    make the tight run stop at its iteration limit; the default run then
    converges and the polish + certificate restore the accuracy.  Any final
    status other than optimal raises :class:`SolverError`.
    """
    cp = _cp()
    t0 = time.perf_counter()
    status = None
    attempt = 0
    for attempt, opts in enumerate((CLARABEL_SETTINGS, CLARABEL_DEFAULTS)):  # noqa: B007 - read after the loop
        try:
            with warnings.catch_warnings():  # "may be inaccurate": the certificate decides
                warnings.simplefilter("ignore", UserWarning)
                prob.solve(solver=cp.CLARABEL, **opts)
        except cp.error.SolverError as exc:
            status = f"error: {exc}"
            continue
        status = prob.status
        if status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            break
    elapsed = time.perf_counter() - t0
    if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(f"{method}: Clarabel returned status '{status}', not optimal")
    stats = prob.solver_stats
    return {"status": status, "seconds": elapsed, "retried_default_tolerances": attempt == 1,
            "iterations": int(stats.num_iters or 0) if stats else 0, "solver": "CLARABEL"}


def _best(K: np.ndarray, cap: float, alpha: np.ndarray, stats: dict) -> tuple[np.ndarray, bool]:
    """The polished weights when they certify at least as well as the raw ones."""
    from ..capped import frank_wolfe_gap

    def fw(a: np.ndarray) -> float:
        feas = abs(a.sum() - 1.0) + max(0.0, -a.min()) + max(0.0, a.max() - cap)
        return abs(frank_wolfe_gap(K, a, cap)) + feas

    from ._active_set import active_set_weights

    polished, _ = active_set_weights(K, cap, start=alpha)
    better = fw(polished) <= max(fw(alpha), POLISH_ACCEPT_GAP)
    stats["polished"] = bool(better)
    return (polished if better else alpha), better


def solve_cvxpy_dual(problem: Problem):
    """Eq. (22): ``min 1/2 ||F alpha||^2`` s.t. ``sum alpha = 1, 0 <= alpha <= C``.

    ``F`` is a factor of the normalised ``K`` (``gram_factor``).  ``d``, ``v``, ``xi``
    are recovered from ``alpha`` (Eq. 19 and DESIGN §1).
    """
    cp = _cp()
    pn = problem.normalised()
    F = gram_factor(pn.K)
    alpha = cp.Variable(problem.M)
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(F @ alpha)),
                      [cp.sum(alpha) == 1, alpha >= 0, alpha <= problem.cap])
    stats = _solve(prob, "cvxpy-dual")
    a = np.clip(np.asarray(alpha.value, dtype=np.float64), 0.0, problem.cap)
    a, _ = _best(pn.K, problem.cap, a, stats)
    return finish(problem, a, "cvxpy-dual", stats, require_tol=REFERENCE_GAP_TOL)


def solve_cvxpy_primal(problem: Problem):
    """Eq. (17) literally: ``min v + C sum xi + 1/2 ||d||^2`` s.t. ``G d <= v + xi, xi >= 0``.

    ``alpha`` is the dual of the constraint ``G d - v - xi <= 0``: cvxpy's dual of an
    ``expr <= 0`` constraint is the non-negative multiplier that *adds*
    ``alpha^T expr`` to the objective, exactly the sign of the seed's Lagrangian (18).

    When ``n > M`` the problem is solved in the row space of ``G``: with the thin
    QR factorisation ``G^T = Q R`` (``G = L Q^T``, ``L = R^T``) put ``d = Q z``.  Any
    ``d`` splits as ``Q z + d_perp`` with ``G d_perp = 0``; ``d_perp`` changes no
    constraint and only adds ``1/2 ||d_perp||^2 >= 0`` to the objective, so every
    optimum has ``d_perp = 0`` and the reduced problem (``G d = L z``,
    ``||d|| = ||z||``) has exactly the same optimal value and solution.  When only
    ``K`` is known, ``L`` is any factor with ``L L^T = K``, by the same argument.
    """
    cp = _cp()
    pn = problem.normalised()
    if pn.G is not None and pn.n <= pn.M:
        L, Q = pn.G, None
    elif pn.G is not None:
        Q, R = np.linalg.qr(pn.G.T, mode="reduced")
        L = R.T
    else:
        L, Q = gram_factor(pn.K).T, None
    z = cp.Variable(L.shape[1])
    v = cp.Variable()
    xi = cp.Variable(problem.M)
    cons = [L @ z - v - xi <= 0, xi >= 0]
    prob = cp.Problem(cp.Minimize(v + problem.cap * cp.sum(xi) + 0.5 * cp.sum_squares(z)), cons)
    stats = _solve(prob, "cvxpy-primal")
    alpha = np.clip(np.asarray(cons[0].dual_value, dtype=np.float64), 0.0, problem.cap)
    alpha, polished = _best(pn.K, problem.cap, alpha, stats)
    if polished:  # the primal point follows the polished weights (Eq. 19 and DESIGN §1)
        return finish(problem, alpha, "cvxpy-primal", stats, require_tol=REFERENCE_GAP_TOL)
    z_val = np.asarray(z.value, dtype=np.float64)
    if pn.G is None:
        d_n = None
    else:
        d_n = z_val if Q is None else Q @ z_val
    return finish(problem, alpha, "cvxpy-primal", stats, d_n, float(v.value),
                  np.asarray(xi.value, dtype=np.float64), require_tol=REFERENCE_GAP_TOL)
