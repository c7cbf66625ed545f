"""Solver-independent optimality certificates (seed Eqs. 17-25).

A :class:`Certificate` is computed from the :class:`~aekd_verify.problem.Problem`
and a candidate -- weights ``alpha`` and, optionally, the primal triple
``(d, v, xi)`` -- never from a solver's own claims.  Every residual is divided by
the problem's scale ``s = max_m ||g_m||^2`` (``sqrt(s)`` for a quantity in units of
a gradient), so thresholds are relative.

Multiplier signs (seed Eq. 18, 21): ``alpha_m >= 0`` belongs to
``<g_m, d> - v - xi_m <= 0`` and ``beta_m = C - alpha_m >= 0`` to ``-xi_m <= 0``.

Residuals (all ``>= 0`` and zero at the optimum, except where noted):

=========================  =================================================================
``stationarity_19``        ``||d + G^T alpha|| / sqrt(s)`` (0 by construction when ``d`` is
                           recovered from ``alpha``)
``sum_to_one_20``          ``|sum alpha - 1|``
``box_21``                 ``max(0, -min alpha, max alpha - C)`` (``beta = C - alpha >= 0``)
``primal_feasibility_17``  ``max_m max(0, <g_m,d> - v - xi_m) / s``
``xi_nonnegative_17``      ``max(0, -min xi) / s``
``complementary_alpha_23`` ``max_m |alpha_m (<g_m,d> - v - xi_m)| / s``
``complementary_beta_23``  ``max_m |(C - alpha_m) xi_m| / s``
``duality_gap``            ``(P(d,v,xi) - D(alpha)) / s`` with ``D = -1/2 alpha^T K alpha``
                           (signed: negative only when something is infeasible)
``frank_wolfe_gap``        ``(K alpha)^T (alpha - s_FW) / s`` -- needs nothing but ``K`` and
                           ``alpha``; bounds the suboptimality of a feasible ``alpha``
``eq24_residual``          ``|-||d||^2 - v - C sum xi| / s``
``eq25_worst_slack``       ``min_m (-||d||^2 + xi_m - C sum xi - <g_m,d>) / s`` (signed;
                           negative means Eq. 25 is violated for some teacher)
=========================  =================================================================
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .capped import frank_wolfe_gap
from .errors import InputError
from .problem import Problem, as_problem
from .solution import recover_primal
from .tolerances import CERTIFY_TOL

__all__ = ["Certificate", "certificate_for", "certify", "check_alpha"]


@dataclass(frozen=True)
class Certificate:
    """Named, scale-relative residuals of every optimality condition."""

    stationarity_19: float
    sum_to_one_20: float
    box_21: float
    primal_feasibility_17: float
    xi_nonnegative_17: float
    complementary_alpha_23: float
    complementary_beta_23: float
    duality_gap: float
    frank_wolfe_gap: float
    eq24_residual: float
    eq25_worst_slack: float
    tol: float = CERTIFY_TOL

    def violations(self) -> dict[str, float]:
        """Each condition's violation as a non-negative number (0 = satisfied exactly)."""
        return {
            "stationarity_19": self.stationarity_19,
            "sum_to_one_20": self.sum_to_one_20,
            "box_21": self.box_21,
            "primal_feasibility_17": self.primal_feasibility_17,
            "xi_nonnegative_17": self.xi_nonnegative_17,
            "complementary_alpha_23": self.complementary_alpha_23,
            "complementary_beta_23": self.complementary_beta_23,
            "duality_gap": abs(self.duality_gap),
            "frank_wolfe_gap": abs(self.frank_wolfe_gap),
            "eq24_residual": self.eq24_residual,
            "eq25_worst_slack": max(0.0, -self.eq25_worst_slack),
        }

    def failed(self, tol: float | None = None) -> list[str]:
        """Names of the conditions violated by more than ``tol`` (default: ``self.tol``)."""
        t = self.tol if tol is None else tol
        return [name for name, value in self.violations().items() if not value <= t]

    def is_optimal(self, tol: float | None = None) -> bool:
        """True when every condition holds within ``tol`` relative to the scale."""
        return not self.failed(tol)

    @property
    def optimal(self) -> bool:
        """``is_optimal(self.tol)``."""
        return self.is_optimal()

    @property
    def d_error_bound(self) -> float:
        """Certified bound on ``||d - d*|| / sqrt(s)``: ``sqrt(2 * frank_wolfe_gap)``.

        The achievable directions ``{-G^T alpha}`` form a convex set on which ``d*``
        minimises ``1/2 ||d||^2``, so ``1/2 ||d - d*||^2 <= 1/2 ||d||^2 - 1/2 ||d*||^2
        = D* - D(alpha) <= gap``.  Valid for a feasible ``alpha`` with ``d = -G^T alpha``.
        Two answers with certified gaps ``e1, e2`` may thus differ in ``d`` by up to
        ``sqrt(2 e1) + sqrt(2 e2)`` -- the honest limit of any comparison of ``d``.
        """
        return math.sqrt(2.0 * max(self.frank_wolfe_gap, 0.0))

    @property
    def worst(self) -> float:
        """The largest violation."""
        return max(self.violations().values())

    def to_dict(self) -> dict[str, Any]:
        """JSON object: every residual, ``tol``, ``optimal`` and the ``failed`` names."""
        out = asdict(self)
        out["optimal"] = self.optimal
        out["failed"] = self.failed()
        return out


def check_alpha(problem: Problem, alpha: Any) -> np.ndarray:
    """Validate a candidate weight vector: shape ``(M,)``, finite."""
    try:
        a = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"alpha must be a vector of numbers: {exc}") from None
    if a.ndim != 1 or a.shape[0] != problem.M:
        raise InputError(f"alpha must have shape ({problem.M},) for M = {problem.M} teachers, got {a.shape}")
    if not np.isfinite(a).all():
        raise InputError(f"alpha has non-finite entries: {a.tolist()}")
    return a


def certificate_for(problem: Problem, alpha: Any, d: Any = None, v: float | None = None,
                    xi: Any = None, *, tol: float = CERTIFY_TOL) -> Certificate:
    """Certificate of a candidate ``alpha`` (and optionally ``d, v, xi``) for ``problem``.

    Missing primal parts are recovered from ``alpha`` (``recover_primal``).  Works
    for any finite candidate, feasible or not: infeasibility shows up as residuals.
    """
    alpha = check_alpha(problem, alpha)
    if v is None or xi is None:
        _, v_rec, xi_rec = recover_primal(problem, alpha, with_direction=False)
    s = problem.norm_scale
    K, C = problem.K, problem.cap
    Kalpha = K @ alpha
    if d is None:
        a = -Kalpha
        dn2 = max(float(alpha @ Kalpha), 0.0)
        stationarity = 0.0
    else:
        if problem.G is None:
            raise InputError("a direction d can only be certified when the gradients G are known")
        d_arr = np.asarray(d, dtype=np.float64)
        if d_arr.shape != (problem.n,):
            raise InputError(f"d must have shape ({problem.n},), got {d_arr.shape}")
        a = problem.G @ d_arr
        dn2 = float(d_arr @ d_arr)
        stationarity = float(np.linalg.norm(d_arr + problem.G.T @ alpha)) / math.sqrt(s)
    v_val = v_rec if v is None else float(v)
    xi_arr = xi_rec if xi is None else np.asarray(xi, dtype=np.float64)
    if xi_arr.shape != (problem.M,):
        raise InputError(f"xi must have shape ({problem.M},), got {xi_arr.shape}")
    constraint = a - v_val - xi_arr  # <= 0 is primal feasibility (17)
    sum_xi = float(xi_arr.sum())
    primal_value = v_val + C * sum_xi + 0.5 * dn2
    dual_value = -0.5 * float(alpha @ Kalpha)
    return Certificate(
        stationarity_19=stationarity,
        sum_to_one_20=abs(float(alpha.sum()) - 1.0),
        box_21=max(0.0, float(-alpha.min()), float(alpha.max() - C)),
        primal_feasibility_17=max(0.0, float(constraint.max())) / s,
        xi_nonnegative_17=max(0.0, float(-xi_arr.min())) / s,
        complementary_alpha_23=float(np.max(np.abs(alpha * constraint))) / s,
        complementary_beta_23=float(np.max(np.abs((C - alpha) * xi_arr))) / s,
        duality_gap=(primal_value - dual_value) / s,
        frank_wolfe_gap=frank_wolfe_gap(K, alpha, C) / s,
        eq24_residual=abs(-dn2 - v_val - C * sum_xi) / s,
        eq25_worst_slack=float(np.min(-dn2 + xi_arr - C * sum_xi - a)) / s,
        tol=tol,
    )


def certify(G: Any, cap: Any = None, *, alpha: Any, gram: bool = False,
            tol: float = CERTIFY_TOL) -> Certificate:
    """Certificate of weights ``alpha`` for gradients ``G`` (or a Gram matrix, ``gram=True``).

    >>> import numpy as np
    >>> G = np.array([[1.0], [-2.0]])
    >>> certify(G, 1.0, alpha=[2/3, 1/3]).optimal
    True
    >>> certify(G, 1.0, alpha=[0.5, 0.5]).failed()
    ['complementary_alpha_23', 'duality_gap', 'frank_wolfe_gap', 'eq24_residual', 'eq25_worst_slack']
    """
    problem = as_problem(G, cap, gram=gram)
    return certificate_for(problem, alpha, tol=tol)
