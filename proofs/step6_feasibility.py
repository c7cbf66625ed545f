"""Step 6: the dual is feasible iff ``M C >= 1``; for ``M C < 1`` the primal is unbounded.

(a) ``M C - 1 = sum_m (C - alpha_m) + (sum alpha - 1)``: under ``alpha_m <= C`` and
``sum alpha = 1`` the right side is ``>= 0``, so feasibility needs ``M C >= 1``.
(b) ``alpha = 1/M`` is feasible exactly when ``C >= 1/M``.
(c) The ray ``d = 0, v = -t, xi_m = t`` (``t >= 0``) is primal feasible and its
objective ``-t (1 - M C)`` tends to ``-inf`` when ``M C < 1``.
Checked for M in 1..6 (a, b) and symbolic ``t`` (c).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import Check, run  # noqa: E402

STEP = "Feasibility iff M C >= 1; unbounded primal ray for M C < 1"
SEED = "(17), (22)"

MS = range(1, 7)


def necessary(M: int) -> bool:
    alpha = sp.symbols(f"alpha_1:{M + 1}", real=True)
    C = sp.Symbol("C", positive=True)
    return sp.expand(M * C - 1 - (sum(C - a for a in alpha) + (sum(alpha) - 1))) == 0


def uniform_feasible(M: int) -> bool:
    C = sp.Symbol("C", positive=True)
    sol = sp.solve_univariate_inequality(sp.Rational(1, M) <= C, C, relational=False)
    return sol == sp.Interval(sp.Rational(1, M), sp.oo)


def ray(M: int, xi_scale=1, cap=None) -> bool:
    """The ray is feasible for all t >= 0 and the objective -> -oo."""
    t = sp.Symbol("t", nonnegative=True)
    C = sp.Rational(1, 2 * M) if cap is None else cap
    v, xi = -t, [xi_scale * t] * M
    def nonpositive_for_all_t(e) -> bool:  # e is linear in t: check at t = 0 and its slope
        e = sp.expand(e)
        return bool(e.subs(t, 0) <= 0 and sp.diff(e, t) <= 0)

    feasible = all(nonpositive_for_all_t(0 - v - x) for x in xi) and all(nonpositive_for_all_t(-x) for x in xi)
    objective = v + C * sum(xi)  # d = 0
    return bool(feasible and sp.limit(objective, t, sp.oo) == -sp.oo)


def checks():
    return [
        Check("M C - 1 = sum(C - alpha_m) + (sum alpha - 1) >= 0 under the constraints",
              all(necessary(M) for M in MS), "M in 1..6"),
        Check("alpha = 1/M is feasible iff C >= 1/M", all(uniform_feasible(M) for M in MS), "M in 1..6"),
        Check("M C < 1 (C = 1/(2M)): ray d = 0, v = -t, xi = t feasible, objective -> -oo",
              all(ray(M) for M in MS), "M in 1..6"),
        Check("control: the ray with xi = t/2 (infeasible)", all(ray(M, xi_scale=sp.Rational(1, 2)) for M in MS),
              "M in 1..6", control=True),
        Check("control: the ray for M C > 1 (C = 2/M) is not a descent ray",
              all(ray(M, cap=sp.Rational(2, M)) for M in MS), "M in 1..6", control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
