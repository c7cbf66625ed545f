"""The exact solver: rational arithmetic, every KKT condition checked with equality.

For rational data (integers, :class:`fractions.Fraction`, or floats -- every finite
float is a dyadic rational and converts exactly) the optimum of (17)/(22) is
rational: it solves the linear KKT system of its working set.  The method:

1. *Guess*: the float active-set solver's working set (which weights sit at 0,
   which at ``C``, which are free), after moving the float optimum to a vertex of
   the optimal face (``_purify``) so that the guessed system is non-singular.
2. *Solve exactly*: ``[K_FF 1; 1^T 0] [alpha_F; lambda] = [-C K_FU 1; 1 - C |U|]`` by
   Gaussian elimination over ``Fraction`` (a singular but consistent system gets
   the solution with free variables set to 0).
3. *Check exactly* (:func:`exact_kkt`): stationarity (19)-(21), primal and dual
   feasibility, complementary slackness (23), Eq. (24) and Eq. (25), with ``==``
   and ``<=`` on Fractions -- no tolerance.  Exact KKT for this convex problem is
   a proof of optimality.
4. If the guess fails, a *finite search* over all ``3^M`` working sets, nearest to
   the guess first.  The optimal set is a polytope whose vertices are the
   solutions of some working set's system, so the search always succeeds.

Practical limits: the guess succeeds on every instance of the test suite; the
fallback search is bounded by ``3^M`` solves and refused above ``M = 10``
(59049 working sets, about a minute).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..certificate import certificate_for
from ..errors import InputError, SolverError
from ..problem import Problem, as_problem
from ..solution import Solution
from ..tolerances import EXACT_GUESS_BOUND
from ._kkt import FREE, LOWER, UPPER

__all__ = ["ExactSolution", "solve_exact", "certify_exact", "exact_kkt"]

MAX_SEARCH_M = 10

Q = Fraction


@dataclass(frozen=True)
class ExactSolution:
    """An exact primal-dual pair; ``checks`` maps each KKT condition to True/False."""

    alpha: tuple[Fraction, ...]
    d: tuple[Fraction, ...] | None
    v: Fraction
    xi: tuple[Fraction, ...]
    objective: Fraction
    checks: dict[str, bool]
    stats: dict[str, Any] = field(default_factory=dict)
    problem: Problem | None = None

    @property
    def optimal(self) -> bool:
        """True when every KKT condition holds exactly."""
        return all(self.checks.values())

    def to_float(self) -> Solution:
        """The float64 :class:`Solution` (certificate computed as for any solver)."""
        assert self.problem is not None
        alpha = np.array([float(x) for x in self.alpha])
        d = None if self.d is None else np.array([float(x) for x in self.d])
        xi = np.array([float(x) for x in self.xi])
        stats = dict(self.stats, exact_optimal=self.optimal)
        cert = certificate_for(self.problem, alpha, d, float(self.v), xi)
        exact = {"alpha": [str(x) for x in self.alpha], "d": None if self.d is None else [str(x) for x in self.d],
                 "v": str(self.v), "xi": [str(x) for x in self.xi], "objective": str(self.objective),
                 "cap": str(rational_cap(self.problem)), "kkt": dict(self.checks), "optimal": self.optimal}
        return Solution(alpha=alpha, d=d, v=float(self.v), xi=xi, objective=float(self.objective),
                        method="exact", stats=stats, certificate=cert, exact=exact)


def rational_cap(problem: Problem) -> Q:
    """The cap as a rational: the given Fraction, else the simplest rational whose
    nearest double is the float cap (so ``C = 1/3`` means one third, and ``0.6``
    means 3/5), never below ``1/M``."""
    if problem.rational_cap is not None:
        return problem.rational_cap
    simple = Q(problem.cap).limit_denominator(10**9)
    C = simple if float(simple) == problem.cap else Q(problem.cap)
    return max(C, Q(1, problem.M))


def _rational_data(problem: Problem) -> tuple[list[list[Q]] | None, list[list[Q]], Q]:
    C = rational_cap(problem)
    if problem.G is not None:
        G = [list(r) for r in problem.rational_G] if problem.rational_G is not None else \
            [[Q(float(x)) for x in row] for row in problem.G]
        K = [[sum((a * b for a, b in zip(gi, gj)), Q(0)) for gj in G] for gi in G]
        return G, K, C
    return None, [[Q(float(x)) for x in row] for row in problem.K], C


def _solve_linear(A: list[list[Q]], b: list[Q]) -> list[Q] | None:
    """A solution of ``A x = b`` over the rationals (free variables 0), or None."""
    n_rows, n_cols = len(A), len(A[0]) if A else 0
    M = [row[:] + [rhs] for row, rhs in zip(A, b)]
    pivots: list[int] = []
    r = 0
    for c in range(n_cols):
        p = next((i for i in range(r, n_rows) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(n_rows):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        pivots.append(c)
        r += 1
        if r == n_rows:
            break
    if any(all(x == 0 for x in M[i][:n_cols]) and M[i][n_cols] != 0 for i in range(r, n_rows)):
        return None
    x = [Q(0)] * n_cols
    for i, c in enumerate(pivots):
        x[c] = M[i][n_cols]
    return x


def _kth_largest(a: list[Q], C: Q) -> Q:
    k = -(-1 // C) if C <= 1 else 1  # ceil(1/C), exact for Fractions
    k = int(min(max(k, 1), len(a)))
    return sorted(a, reverse=True)[k - 1]


def exact_kkt(G: list[list[Q]] | None, K: list[list[Q]], C: Q, alpha: list[Q]) -> tuple[dict[str, bool], dict]:
    """Exact KKT checks of ``alpha`` with ``(d, v, xi)`` recovered exactly (DESIGN §1).

    Returns ``(checks, primal)`` where ``primal`` holds ``d, v, xi, objective``.
    """
    M = len(alpha)
    Ka = [sum((K[i][j] * alpha[j] for j in range(M)), Q(0)) for i in range(M)]
    a = [-x for x in Ka]  # a_m = <g_m, d>
    d = None if G is None else [-sum((alpha[m] * G[m][j] for m in range(M)), Q(0)) for j in range(len(G[0]))]
    dn2 = sum((x * alpha_i for x, alpha_i in zip(Ka, alpha)), Q(0))
    if d is not None:
        dn2_direct = sum((x * x for x in d), Q(0))
        a = [sum((G[m][j] * d[j] for j in range(len(d))), Q(0)) for m in range(M)]
    v = _kth_largest(a, C)
    xi = [max(Q(0), am - v) for am in a]
    sxi = sum(xi, Q(0))
    checks = {
        "sum_to_one_20": sum(alpha, Q(0)) == 1,
        "box_21": all(0 <= x <= C for x in alpha),
        "stationarity_19": d is None or dn2_direct == dn2,
        "primal_feasibility_17": all(am - v - x <= 0 for am, x in zip(a, xi)),
        "xi_nonnegative_17": all(x >= 0 for x in xi),
        "complementary_alpha_23": all(al * (am - v - x) == 0 for al, am, x in zip(alpha, a, xi)),
        "complementary_beta_23": all((C - al) * x == 0 for al, x in zip(alpha, xi)),
        "duality_gap": v + C * sxi + dn2 / 2 == -dn2 / 2,
        "eq24": -dn2 - v - C * sxi == 0,
        "eq25": all(am <= -dn2 + x - C * sxi for am, x in zip(a, xi)),
    }
    objective = v + C * sxi + dn2 / 2
    return checks, {"d": d, "v": v, "xi": xi, "objective": objective}


def _working_set_alpha(K: list[list[Q]], C: Q, state: tuple[int, ...]) -> list[Q] | None:
    M = len(state)
    F = [i for i in range(M) if state[i] == FREE]
    alpha = [C if s == UPPER else Q(0) for s in state]
    if not F:
        return alpha if sum(alpha, Q(0)) == 1 else None
    B = [i for i in range(M) if state[i] != FREE]
    A = [[K[i][j] for j in F] + [Q(1)] for i in F] + [[Q(1)] * len(F) + [Q(0)]]
    rhs = [-sum((K[i][j] * alpha[j] for j in B), Q(0)) for i in F] + [1 - sum((alpha[j] for j in B), Q(0))]
    x = _solve_linear(A, rhs)
    if x is None:
        return None
    for i, xi in zip(F, x[:-1]):
        alpha[i] = xi
    return alpha


def _classify(alpha: np.ndarray, cap: float, tol: float = EXACT_GUESS_BOUND) -> np.ndarray:
    return np.array([LOWER if a <= tol else UPPER if (cap < 1 and a >= cap - tol) else FREE for a in alpha])


def _purify(K: np.ndarray, cap: float, alpha: np.ndarray) -> np.ndarray:
    """Move a float optimum to a vertex of the optimal face.

    While the free weights are linearly dependent (a vector ``u`` with
    ``K_FF u = 0`` and ``1^T u = 0``), moving along ``u`` changes neither ``K alpha``
    nor the objective; move until a weight reaches a bound and fix it there.  At
    a vertex the working set's KKT system has a unique solution, which is what
    the exact solve needs.
    """
    alpha = alpha.copy()
    for _ in range(alpha.size):
        state = _classify(alpha, cap)
        F = np.flatnonzero(state == FREE)
        if F.size < 2:
            break
        A = np.vstack([K[np.ix_(F, F)], np.ones(F.size)])
        _, sv, Vt = np.linalg.svd(A)
        rank = int((sv > 1e-10 * max(1.0, sv[0])).sum())
        if rank >= F.size:
            break
        u = Vt[-1]
        steps = [(alpha[F][i] / -u[i]) if u[i] < 0 else ((cap - alpha[F][i]) / u[i]) if cap < 1 else np.inf
                 for i in range(F.size) if u[i] != 0]
        t = min(steps)
        alpha[F] += t * u
        alpha = np.clip(alpha, 0.0, cap)
    return alpha


def _guess(problem: Problem) -> tuple[int, ...]:
    from ._active_set import active_set_weights

    K = problem.K / problem.norm_scale
    alpha, _ = active_set_weights(K, problem.cap)
    return tuple(int(x) for x in _classify(_purify(K, problem.cap, alpha), problem.cap))


def solve_exact(G: Any, cap: Any = None, *, gram: bool = False) -> ExactSolution:
    """Exact optimum of (17)/(22) over the rationals, proven by exact KKT checks.

    >>> from fractions import Fraction
    >>> sol = solve_exact([[1], [-2]], Fraction(3, 5))
    >>> sol.alpha, sol.d, sol.optimal
    ((Fraction(3, 5), Fraction(2, 5)), (Fraction(1, 5),), True)
    """
    problem = as_problem(G, cap, gram=gram)
    t0 = time.perf_counter()
    Gq, Kq, C = _rational_data(problem)
    M = problem.M
    guess = _guess(problem)
    tried = 0

    def attempt(state):
        alpha = _working_set_alpha(Kq, C, state)
        if alpha is None:
            return None
        checks, primal = exact_kkt(Gq, Kq, C, alpha)
        return (alpha, checks, primal) if all(checks.values()) else None

    found = attempt(guess)
    tried += 1
    if found is None:
        if M > MAX_SEARCH_M:
            raise SolverError(f"exact: the float guess failed the exact check and M = {M} > {MAX_SEARCH_M} "
                              "is too large for the exhaustive search over working sets")
        states = sorted(itertools.product((FREE, LOWER, UPPER) if C < 1 else (FREE, LOWER), repeat=M),
                        key=lambda s: sum(a != b for a, b in zip(s, guess)))
        for state in states:
            tried += 1
            found = attempt(state)
            if found is not None:
                break
    if found is None:  # pragma: no cover - impossible for a feasible problem
        raise SolverError("exact: no working set satisfies the exact KKT conditions")
    alpha, checks, primal = found
    stats = {"working_sets_tried": tried, "seconds": time.perf_counter() - t0, "guess_hit": tried == 1}
    return ExactSolution(alpha=tuple(alpha), d=None if primal["d"] is None else tuple(primal["d"]),
                         v=primal["v"], xi=tuple(primal["xi"]), objective=primal["objective"],
                         checks=checks, stats=stats, problem=problem)


def certify_exact(G: Any, cap: Any, alpha: Any, *, gram: bool = False) -> dict[str, bool]:
    """Exact KKT checks of a candidate ``alpha`` (floats are converted exactly).

    The cap is read as in :func:`rational_cap`; the gradients and ``alpha`` exactly.

    >>> certify_exact([[1], [-3]], 1, [0.75, 0.25])["duality_gap"]
    True
    >>> import math
    >>> all(certify_exact([[1], [-3]], 1, [math.nextafter(0.75, 1), 0.25]).values())
    False
    """
    problem = as_problem(G, cap, gram=gram)
    Gq, Kq, C = _rational_data(problem)
    try:
        a = [x if isinstance(x, Fraction) else Q(x) for x in (alpha.tolist() if hasattr(alpha, "tolist") else alpha)]
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"alpha cannot be converted to rationals exactly: {exc}") from None
    if len(a) != problem.M:
        raise InputError(f"alpha must have {problem.M} entries, got {len(a)}")
    return exact_kkt(Gq, Kq, C, a)[0]


def solve_exact_float(problem: Problem) -> Solution:
    """``solve(..., method="exact")``: the exact optimum as a float :class:`Solution` (with ``exact``)."""
    return solve_exact(problem).to_float()
