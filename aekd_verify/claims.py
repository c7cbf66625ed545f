"""Theorem 1 and its corollaries as checkable predicates.

Each claim is a function ``(problem, solution, solve) -> ClaimResult`` where
``solve`` is the solver under test (used for the claims that need another solve:
invariances, monotonicity).  ``slack`` is signed and relative to the scale
``s = max_m ||g_m||^2``: ``>= -tol`` means the claim held.  A claim whose premise
does not apply to the problem returns ``applicable=False`` (counted separately,
never as a pass).

Claims carry the cap range in which the theorem says they hold
(``Claim.holds_for``).  Statements known to FAIL outside that range --
"Pareto-critical implies ``d* = 0``", common descent and "no teacher gets worse"
for ``C < 1`` --
the battery must find and report those as demonstrated limits of the theorem.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import InfeasibleCapError
from .problem import Problem
from .solution import Solution
from .tolerances import CAP_ROUNDING, CLAIM_TOL

__all__ = ["ClaimResult", "Claim", "CLAIMS", "claim_by_name", "SolveFn"]

SolveFn = Callable[[Problem], Solution]


@dataclass(frozen=True)
class ClaimResult:
    """Outcome of one claim on one problem.

    Attributes:
        name: the claim.
        holds: True when the claim held (or did not apply).
        slack: signed, scale-relative margin (``>= -tol`` is held).
        detail: a human-readable explanation (exhibited weights, rays, ...).
        applicable: False when the claim's premise is false for this problem.
    """

    name: str
    holds: bool
    slack: float
    detail: str = ""
    applicable: bool = True


@dataclass(frozen=True)
class Claim:
    """A statement of Theorem 1 (or a corollary) and its check."""

    name: str
    equation: str
    statement: str
    holds_for: str  # "all" (every feasible C) or "C>=1"
    check: Callable[[Problem, Solution, SolveFn], ClaimResult]

    def in_range(self, cap: float) -> bool:
        """Whether the theorem claims this statement for cap ``C``."""
        return self.holds_for == "all" or cap >= 1.0 - CAP_ROUNDING

    def __call__(self, problem: Problem, solution: Solution, solve: SolveFn) -> ClaimResult:
        return self.check(problem, solution, solve)


def _result(name: str, slack: float, tol: float = CLAIM_TOL, detail: str = "",
            applicable: bool = True) -> ClaimResult:
    return ClaimResult(name, bool(slack >= -tol) or not applicable, float(slack), detail, applicable)


def _a(problem: Problem, sol: Solution) -> np.ndarray:
    """Directional derivatives ``<g_m, d>``."""
    return problem.G @ sol.d if (sol.d is not None and problem.G is not None) else -(problem.K @ sol.alpha)


def _dn2(problem: Problem, sol: Solution) -> float:
    return float(sol.d @ sol.d) if sol.d is not None else max(float(sol.alpha @ problem.K @ sol.alpha), 0.0)


# -- KKT and duality (Eqs. 17-25) ---------------------------------------------

def stationarity_19(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (19): ``d* = -sum_m alpha_m* g_m``."""
    c = sol.certificate
    return _result("stationarity_19", -c.stationarity_19, detail=f"||d + G^T alpha|| / sqrt(s) = {c.stationarity_19:.3g}")


def sum_to_one_20(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (20): ``sum_m alpha_m* = 1``."""
    return _result("sum_to_one_20", -sol.certificate.sum_to_one_20)


def box_21(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (21): ``alpha_m + beta_m = C`` with ``alpha, beta >= 0``, i.e. ``0 <= alpha_m <= C``."""
    return _result("box_21", -sol.certificate.box_21, detail=f"alpha = {np.round(sol.alpha, 6).tolist()}, C = {p.cap:g}")


def primal_feasibility_17(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (17): ``<g_m, d*> <= v* + xi_m*`` and ``xi_m* >= 0``."""
    c = sol.certificate
    return _result("primal_feasibility_17", -max(c.primal_feasibility_17, c.xi_nonnegative_17))


def complementary_slackness_23(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (23): ``alpha_m* (<g_m,d*> - v* - xi_m*) = 0`` and ``beta_m* xi_m* = 0``."""
    c = sol.certificate
    return _result("complementary_slackness_23", -max(c.complementary_alpha_23, c.complementary_beta_23))


def strong_duality(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Strong duality: ``p* = v* + C sum xi* + 1/2||d*||^2 = -1/2 ||d*||^2`` (the dual value)."""
    gap = abs(sol.objective + 0.5 * _dn2(p, sol)) / p.norm_scale
    return _result("strong_duality", -gap, detail=f"|p* + 1/2||d*||^2| / s = {gap:.3g}")


def eq24(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (24): ``-||d*||^2 - v* - C sum_m xi_m* = 0`` -- at every optimum, ``d* = 0`` included."""
    return _result("eq24", -sol.certificate.eq24_residual)


def eq25(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Eq. (25): ``<g_m, d*> <= -||d*||^2 + xi_m* - C sum xi*`` for every teacher ``m``."""
    a = _a(p, sol)
    dn2 = _dn2(p, sol)
    rhs = -dn2 + sol.xi - p.cap * sol.xi.sum()
    worst = float(np.min(rhs - a)) / p.norm_scale
    return _result("eq25", worst, detail=f"worst teacher m = {int(np.argmin(rhs - a))}")


# -- Pareto criticality ---------------------------------------------------------

def d_zero_implies_pareto(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """``d* = 0`` implies 0 is in the convex hull of the ``g_m`` (Pareto-critical).

    The hull weights are exhibited: ``alpha*`` itself (in the simplex, ``G^T alpha* = -d* = 0``).
    """
    dn2 = _dn2(p, sol) / p.norm_scale
    if dn2 > CLAIM_TOL:
        return _result("d_zero_implies_pareto", 0.0, detail="premise false: d* != 0", applicable=False)
    w = sol.alpha
    in_simplex = -max(abs(w.sum() - 1.0), max(0.0, -w.min()))
    combo = max(float(w @ p.K @ w), 0.0) / p.norm_scale
    return _result("d_zero_implies_pareto", min(in_simplex, -combo),
                   detail=f"hull weights {np.round(w, 6).tolist()} give ||sum w_m g_m||^2 / s = {combo:.3g}")


def _hull_distance_sq(p: Problem, solve: SolveFn) -> tuple[float, np.ndarray]:
    """Relative squared distance from 0 to the convex hull (MGDA, ``C = 1``) and its weights."""
    mgda = solve(p.with_cap(1.0))
    return _dn2(p, mgda) / p.norm_scale, mgda.alpha


def pareto_implies_d_zero(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Pareto-critical (0 in the convex hull) implies ``d* = 0``.  Holds for ``C >= 1`` only.

    For ``C < 1`` it FAILS: ``g = (1, -2)``, ``C = 0.6`` has ``0 = 2/3 g_1 + 1/3 g_2`` but
    ``d* = 0.2``.  Found counterexamples are reported as the "agree to disagree" limit.
    """
    dist, w = _hull_distance_sq(p, solve)
    if dist > CLAIM_TOL:
        return _result("pareto_implies_d_zero", 0.0, detail="premise false: 0 not in the hull", applicable=False)
    dn2 = _dn2(p, sol) / p.norm_scale
    return _result("pareto_implies_d_zero", -dn2,
                   detail=f"0 = sum w_m g_m with w = {np.round(w, 6).tolist()}; ||d*||^2 / s = {dn2:.3g}")


def common_descent(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Common descent: ``<g_m, d*> <= -||d*||^2`` for every ``m``.  Holds for ``C >= 1`` (MGDA).

    For ``C >= 1`` every ``xi_m* = 0`` and Eq. (25) reads ``<g_m, d*> <= -||d*||^2``;
    for ``C < 1`` the slack ``xi_m* - C sum xi*`` can be positive.
    """
    a = _a(p, sol)
    worst = float(np.min(-_dn2(p, sol) - a)) / p.norm_scale
    m = int(np.argmax(a))
    return _result("common_descent", worst,
                   detail=f"max_m <g_m, d*> / s = {a[m] / p.norm_scale:.3g} (m = {m}), "
                          f"-||d*||^2 / s = {-_dn2(p, sol) / p.norm_scale:.3g}")


def no_teacher_worse(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """No teacher gets worse: ``<g_m, d*> <= 0`` for every ``m``.  Holds for ``C >= 1``.

    For ``C < 1`` it FAILS -- the "agree to disagree" behaviour: a capped teacher
    may have ``<g_m, d*> > 0`` (e.g. ``g = (1, -2)``, ``C = 0.6``: ``<g_1, d*> = 0.2``).
    """
    a = _a(p, sol)
    m = int(np.argmax(a))
    return _result("no_teacher_worse", -float(a[m]) / p.norm_scale,
                   detail=f"teacher {m}: <g_m, d*> / s = {a[m] / p.norm_scale:.3g}, alpha_m = {sol.alpha[m]:.6g}")


# -- special caps, monotonicity, infeasibility ---------------------------------

def uniform_at_one_over_m(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """``C = 1/M`` forces ``alpha* = 1/M`` (plain averaging)."""
    if abs(p.M * p.cap - 1.0) > CAP_ROUNDING:
        return _result("uniform_at_one_over_m", 0.0, detail="premise false: C != 1/M", applicable=False)
    dev = float(np.max(np.abs(sol.alpha - 1.0 / p.M)))
    return _result("uniform_at_one_over_m", -dev, detail=f"max |alpha - 1/M| = {dev:.3g}")


def norm_monotone_in_cap(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """``||d*(C)||`` is non-increasing in ``C``: a larger cap enlarges the feasible set of (22)."""
    larger = p.cap * 1.5 if p.cap < 1 else p.cap * 2
    other = solve(p.with_cap(larger))
    gaps = [max(c.worst, 0.0) for c in (sol.certificate, other.certificate)]
    if max(gaps) > CLAIM_TOL:  # the claim is about optima: uncertified answers cannot support it
        return _result("norm_monotone_in_cap", -max(gaps),
                       detail=f"answers not certified optimal (worst residuals {gaps[0]:.3g}, {gaps[1]:.3g})")
    diff = (_dn2(p, sol) - _dn2(p, other)) / p.norm_scale
    # ||d||^2 / 2 is within gap * s of its optimum, so the comparison is good to 2 (gap1 + gap2)
    return _result("norm_monotone_in_cap", diff, tol=CLAIM_TOL + 2 * sum(gaps),
                   detail=f"||d*(C)||^2 - ||d*({larger:g})||^2 = {diff:.3g} x s")


def infeasible_below_one_over_m(p: Problem, sol: Solution, solve: SolveFn, *, factor: float = 0.9) -> ClaimResult:
    """``C < 1/M``: the dual is empty (the problem is rejected) and the primal is unbounded.

    Exhibits the ray ``d = 0``, ``v = -t``, ``xi_m = t``: feasible for every ``t >= 0``
    (``0 <= -t + t``), objective ``-t (1 - M C) -> -inf``.
    """
    bad = factor / p.M  # factor < 1: below the bound (the negative control passes factor > 1)
    try:
        Problem.from_gram(p.K, bad)
        rejected = False
    except InfeasibleCapError:
        rejected = True
    t = 1e6
    v, xi = -t, np.full(p.M, t)
    feasible = bool(np.all(np.zeros(p.M) <= v + xi) and np.all(xi >= 0))
    slope = (v + bad * xi.sum()) / t  # objective per unit t along the ray
    ok = bool(rejected and feasible and slope < 0)
    return ClaimResult("infeasible_below_one_over_m", ok, float(-slope if ok else -1.0),
                       f"C = {bad:.4g}: rejected = {rejected}, ray feasible = {feasible}, slope = {slope:.3g}")


# -- invariances and agreement --------------------------------------------------

def _compare(p: Problem, a: Solution, b: Solution, d_b: np.ndarray | None, obj_b: float, what: str) -> ClaimResult:
    s = p.norm_scale
    obj = abs(a.objective - obj_b) / s
    bound = a.certificate.d_error_bound + b.certificate.d_error_bound
    dd = 0.0 if (a.d is None or d_b is None) else float(np.max(np.abs(a.d - d_b))) / math.sqrt(s)
    slack = min(-obj, bound - dd)
    return _result(what, slack, detail=f"objective diff {obj:.3g}, d diff {dd:.3g} (certified bound {bound:.3g})")


def permutation_invariance(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """Reordering the teachers permutes ``alpha*`` and leaves ``d*`` and the objective unchanged."""
    perm = np.arange(p.M)[::-1].copy()
    q = Problem.from_gradients(p.G[perm], p.cap) if p.G is not None else Problem.from_gram(p.K[np.ix_(perm, perm)], p.cap)
    other = solve(q)
    return _compare(p, sol, other, other.d, other.objective, "permutation_invariance")


def scaling_invariance(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """``G -> 1e4 G``: ``d* -> 1e4 d*``, objective ``-> 1e8`` times (scale-free answers)."""
    f = 1e4
    q = Problem.from_gradients(p.G * f, p.cap) if p.G is not None else Problem.from_gram(p.K * f * f, p.cap)
    other = solve(q)
    d_b = None if other.d is None else other.d / f
    return _compare(p, sol, other, d_b, other.objective / (f * f), "scaling_invariance")


def rotation_invariance(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """An orthogonal ``Q`` of the gradient space: ``G -> G Q`` gives ``d* -> Q^T d*``, same objective."""
    if p.G is None:
        return _result("rotation_invariance", 0.0, detail="no gradients", applicable=False)
    n = p.n
    Q, _ = np.linalg.qr(np.random.default_rng(n * 7919 + p.M).standard_normal((n, n)))
    other = solve(Problem.from_gradients(p.G @ Q, p.cap))
    return _compare(p, sol, other, Q @ other.d, other.objective, "rotation_invariance")


def primal_dual_agreement(p: Problem, sol: Solution, solve: SolveFn) -> ClaimResult:
    """The primal route (17, cvxpy) and the dual route (22, cvxpy) give this solution's ``d*`` and value."""
    from .solvers import solve_problem

    worst = ClaimResult("primal_dual_agreement", True, np.inf)
    for method in ("cvxpy-primal", "cvxpy-dual"):
        ref = solve_problem(p, method)
        r = _compare(p, sol, ref, ref.d, ref.objective, "primal_dual_agreement")
        if r.slack < worst.slack:
            worst = ClaimResult(r.name, r.holds, r.slack, f"vs {method}: {r.detail}")
    return worst


def _claim(fn, equation: str, holds_for: str = "all") -> Claim:
    doc = (fn.__doc__ or "").strip().split("\n")[0]
    return Claim(fn.__name__, equation, doc, holds_for, fn)


#: every claim, in the seed's order
CLAIMS: tuple[Claim, ...] = (
    _claim(stationarity_19, "(19)"),
    _claim(sum_to_one_20, "(20)"),
    _claim(box_21, "(21)"),
    _claim(primal_feasibility_17, "(17)"),
    _claim(complementary_slackness_23, "(23)"),
    _claim(strong_duality, "(17)=(22)"),
    _claim(eq24, "(24)"),
    _claim(eq25, "(25)"),
    _claim(d_zero_implies_pareto, "Thm 1"),
    _claim(pareto_implies_d_zero, "converse", "C>=1"),
    _claim(common_descent, "(25), C>=1", "C>=1"),
    _claim(no_teacher_worse, "(25), C>=1", "C>=1"),
    _claim(uniform_at_one_over_m, "C=1/M"),
    _claim(norm_monotone_in_cap, "(22)"),
    _claim(infeasible_below_one_over_m, "C<1/M"),
    _claim(permutation_invariance, "-"),
    _claim(scaling_invariance, "-"),
    _claim(rotation_invariance, "-"),
    _claim(primal_dual_agreement, "(17)<->(22)"),
)


def claim_by_name(name: str) -> Claim:
    """The claim called ``name``."""
    for c in CLAIMS:
        if c.name == name:
            return c
    raise KeyError(f"unknown claim {name!r}; known: {[c.name for c in CLAIMS]}")
