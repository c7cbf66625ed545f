"""Negative controls: deliberately wrong answers that each claim must reject.

A check that cannot fail proves nothing.  For every claim of ``claims.py`` this
module builds a wrong solution (perturbed ``alpha``, cap ignored, sign of ``d``
flipped, ...) or a wrong solver (order-dependent, absolute tolerance, ...) on a
small fixed problem where the mistake matters, and runs the claim on it.  A
control *passes* the suite only when the claim REJECTS it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from .certificate import certificate_for
from .claims import CLAIMS, Claim, ClaimResult, SolveFn, infeasible_below_one_over_m
from .problem import Problem
from .solution import Solution
from .solvers import solve_problem
from .solvers._common import package

__all__ = ["Control", "CONTROLS", "run_controls"]


def _from_alpha(p: Problem, alpha: np.ndarray, method: str) -> Solution:
    """A (wrong) solution built honestly from weights: primal recovered, certificate computed."""
    return package(p, np.asarray(alpha, dtype=np.float64), method, {})


def _with(p: Problem, sol: Solution, **changes) -> Solution:
    new = replace(sol, **changes)
    return replace(new, certificate=certificate_for(p, new.alpha, new.d, new.v, new.xi))


def _good(p: Problem) -> Solution:
    return solve_problem(p, "active-set")


# -- wrong solutions ----------------------------------------------------------

def perturbed_alpha(p: Problem) -> Solution:
    a = _good(p).alpha.copy()
    i, j = int(np.argmax(a)), int(np.argmin(a))
    a[i] -= 0.05
    a[j] += 0.05
    return _from_alpha(p, a, "perturbed-alpha")


def cap_ignored(p: Problem) -> Solution:
    return _from_alpha(p, _good(p.with_cap(1.0)).alpha, "cap-ignored")


def flipped_d(p: Problem) -> Solution:
    sol = _good(p)
    return _with(p, sol, d=-sol.d)


def sum_off(p: Problem) -> Solution:
    return _from_alpha(p, _good(p).alpha * 0.9, "sum-off")


def v_shifted(delta: float) -> Callable[[Problem], Solution]:
    def make(p: Problem) -> Solution:
        sol = _good(p)
        return _with(p, sol, v=sol.v + delta * p.norm_scale)
    return make


def fake_zero_direction(p: Problem) -> Solution:
    sol = _from_alpha(p, np.full(p.M, 1.0 / p.M), "fake-d-zero")
    return _with(p, sol, d=np.zeros_like(sol.d), v=0.0, xi=np.zeros(p.M), objective=0.0)


def uniform(p: Problem) -> Solution:
    return _from_alpha(p, np.full(p.M, 1.0 / p.M), "uniform")


# -- wrong solvers --------------------------------------------------------------

def order_dependent_solver(p: Problem) -> Solution:
    """The one-class-SVM failure of DESIGN §2: ``[C, 1-C, 0, ...]`` in teacher order."""
    k = int(np.floor(1.0 / p.cap + 1e-12))
    a = np.zeros(p.M)
    a[: min(k, p.M)] = p.cap
    if k < p.M:
        a[k] = 1.0 - a.sum()
    return _from_alpha(p, a / a.sum(), "order-dependent")


def absolute_tolerance_solver(p: Problem) -> Solution:
    """Frank--Wolfe on the raw ``K`` stopping when the gap < 1e-3 absolute (DESIGN §2)."""
    from .capped import frank_wolfe_gap, lmo

    a = np.full(p.M, 1.0 / p.M)
    for k in range(100):
        s = lmo(p.K @ a, p.cap)
        if frank_wolfe_gap(p.K, a, p.cap) < 1e-3:  # absolute: the deliberate mistake
            break
        a = a + 2.0 / (k + 3) * (s - a)
    return _from_alpha(p, a, "absolute-tolerance-fw")


def coordinate_dependent_solver(p: Problem) -> Solution:
    """Weights from the first coordinate of the gradients only (not rotation invariant)."""
    w = np.abs(p.G[:, 0]) + 1e-3
    a = np.minimum(w / w.sum(), p.cap)
    a = a + (1 - a.sum()) * (p.cap - a) / max((p.cap - a).sum(), 1e-12)
    return _from_alpha(p, a, "coordinate-dependent")


def averaging_above_threshold_solver(p: Problem) -> Solution:
    """Exact for ``C < 0.4``, plain averaging above: ``||d*||`` jumps up as ``C`` grows."""
    if p.cap < 0.4:
        return _good(p)
    return uniform(p)


# -- the table --------------------------------------------------------------------

_GENERIC = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
_PARETO = np.array([[1.0], [-2.0]])
_NOT_PARETO = np.array([[1.0], [2.0]])


@dataclass(frozen=True)
class Control:
    """A wrong answer (``solution``) or wrong solver (``solver``) for ``claim``."""

    claim: str
    mistake: str
    G: np.ndarray
    cap: float
    solution: Callable[[Problem], Solution] | None = None
    solver: SolveFn | None = None
    check: Callable[[Problem, Solution, SolveFn], ClaimResult] | None = None


CONTROLS: tuple[Control, ...] = (
    Control("stationarity_19", "sign of d flipped", _GENERIC, 0.4, flipped_d),
    Control("sum_to_one_20", "alpha scaled by 0.9", _GENERIC, 0.4, sum_off),
    Control("box_21", "cap ignored (MGDA weights)", _GENERIC, 0.3, cap_ignored),
    Control("primal_feasibility_17", "v lowered", _GENERIC, 0.4, v_shifted(-0.1)),
    Control("complementary_slackness_23", "v raised", _GENERIC, 0.4, v_shifted(0.1)),
    Control("strong_duality", "perturbed alpha", _GENERIC, 0.4, perturbed_alpha),
    Control("eq24", "perturbed alpha", _GENERIC, 0.4, perturbed_alpha),
    Control("eq25", "sign of d flipped", _GENERIC, 0.4, flipped_d),
    Control("d_zero_implies_pareto", "d set to 0 where 0 is not in the hull", _NOT_PARETO, 1.0,
            fake_zero_direction),
    Control("pareto_implies_d_zero", "uniform weights on a Pareto-critical problem", _PARETO, 1.0, uniform),
    Control("common_descent", "sign of d flipped", _GENERIC, 1.0, flipped_d),
    Control("no_teacher_worse", "sign of d flipped", _GENERIC, 1.0, flipped_d),
    Control("uniform_at_one_over_m", "cap ignored at C = 1/M", _GENERIC, 0.25, cap_ignored),
    Control("norm_monotone_in_cap", "falls back to averaging for C >= 0.4", _GENERIC, 0.3,
            solver=averaging_above_threshold_solver),
    Control("infeasible_below_one_over_m", "cap 1.1/M instead of 0.9/M", _GENERIC, 0.4,
            check=lambda p, s, f: infeasible_below_one_over_m(p, s, f, factor=1.1)),
    Control("permutation_invariance", "weights [C, 1-C, 0, ...] in teacher order", _GENERIC, 0.4,
            solver=order_dependent_solver),
    Control("scaling_invariance", "Frank-Wolfe with an absolute stopping rule", _GENERIC, 0.4,
            solver=absolute_tolerance_solver),
    Control("rotation_invariance", "weights from the first coordinate only", _GENERIC, 0.4,
            solver=coordinate_dependent_solver),
    Control("primal_dual_agreement", "perturbed alpha", _GENERIC, 0.4, perturbed_alpha),
)


@dataclass(frozen=True)
class ControlOutcome:
    """A control's outcome: ``rejected`` must be True."""

    claim: str
    mistake: str
    rejected: bool
    slack: float
    detail: str


def run_controls(claims: tuple[Claim, ...] = CLAIMS) -> list[ControlOutcome]:
    """Run every control; each claim in ``claims`` must have one."""
    names = {c.name: c for c in claims}
    missing = set(names) - {c.claim for c in CONTROLS}
    if missing:
        raise RuntimeError(f"claims without a negative control: {sorted(missing)}")
    out = []
    for ctl in CONTROLS:
        if ctl.claim not in names:
            continue
        p = Problem.from_gradients(ctl.G, ctl.cap)
        solver = ctl.solver or _good
        sol = ctl.solution(p) if ctl.solution else solver(p)
        check = ctl.check or names[ctl.claim].check
        r = check(p, sol, solver)
        out.append(ControlOutcome(ctl.claim, ctl.mistake, rejected=not r.holds, slack=r.slack, detail=r.detail))
    return out
