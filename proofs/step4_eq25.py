"""Step 4: Eq. (25) from primal feasibility (17) and Eq. (24).

By (24), ``v* = -||d*||^2 - C sum xi*``, so the bound ``<g_m, d*> <= v* + xi_m*`` of (17)
reads ``<g_m, d*> <= -||d*||^2 + xi_m* - C sum xi*``.  Symbolically: the two right
sides differ by exactly the left side of (24).  On a concrete exact optimum
(``g = (1, -2, -3)``, ``C = 3/5``, ``alpha* = (3/5, 2/5, 0)``, ``d* = 1/5``; its KKT
conditions are verified exactly below, which proves optimality) the inequality
holds for every teacher, the reversed one does not (teacher 3 is strict), and
teacher 1 has ``<g_1, d*> = 1/5 > 0``: (25) does not promise descent when ``C < 1``.  Checked for M in 1..4, n in 1..3.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import Check, all_sizes, is_zero, run, symbols  # noqa: E402

STEP = "Eq. (25) from (17) and (24)"
SEED = "(17), (24), (25)"


def rhs_identity(M, n, cap_factor=True):
    G, d, v, xi, alpha, beta, C = symbols(M, n)
    dn2 = (d.T * d)[0]
    eq24 = -dn2 - v - C * sum(xi)
    c = C if cap_factor else 1
    return all(is_zero((v + xi[m]) - (-dn2 + xi[m] - c * sum(xi)) + eq24) for m in range(M))


# an exact optimum: g = (1, -2, -3), C = 3/5, alpha* = (3/5, 2/5, 0)
R = sp.Rational
G0, C0, ALPHA0 = sp.Matrix([[1], [-2], [-3]]), R(3, 5), sp.Matrix([R(3, 5), R(2, 5), 0])
D0 = -G0.T * ALPHA0  # (19)
A0 = G0 * D0  # <g_m, d*>
V0 = sorted(A0, reverse=True)[1]  # ceil(1/C) = 2nd largest
XI0 = sp.Matrix([max(0, a - V0) for a in A0])
M0 = 3


def exact_kkt() -> bool:
    """(19)-(21), (23) and primal feasibility, exactly: a proof that the point is optimal."""
    cons = [A0[m] - V0 - XI0[m] for m in range(M0)]
    return bool(sum(ALPHA0) == 1 and all(0 <= a <= C0 for a in ALPHA0) and all(c <= 0 for c in cons)
                and all(x >= 0 for x in XI0) and all(ALPHA0[m] * cons[m] == 0 for m in range(M0))
                and all((C0 - ALPHA0[m]) * XI0[m] == 0 for m in range(M0)))


def concrete(direction: str) -> bool:
    dn2 = (D0.T * D0)[0]
    rhs = [-dn2 + XI0[m] - C0 * sum(XI0) for m in range(M0)]
    if direction == "<=":
        return all(A0[m] <= rhs[m] for m in range(M0))
    return all(A0[m] >= rhs[m] for m in range(M0))


def checks():
    dn2 = (D0.T * D0)[0]
    eq24_exact = exact_kkt() and -dn2 - V0 - C0 * sum(XI0) == 0
    return [
        all_sizes("(25) v + xi_m = -||d||^2 + xi_m - C sum xi under (24)", rhs_identity),
        Check("(25) <= holds for every teacher at the exact optimum of g = (1, -2, -3), C = 3/5",
              concrete("<=") and eq24_exact, f"<g_m, d*> = {list(A0)}, xi* = {list(XI0)}, v* = {V0}"),
        Check("(25) allows a teacher to get worse: <g_1, d*> = 1/5 > 0 at that optimum", A0[0] > 0,
              f"<g_1, d*> = {A0[0]}"),
        all_sizes("control: (25) with C missing (-sum xi instead of -C sum xi)",
                  lambda M, n: rhs_identity(M, n, cap_factor=False), control=True),
        Check("control: (25) with the inequality reversed (>=)", concrete(">="), "reversed direction", control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
