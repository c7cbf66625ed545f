"""Step 1: the Lagrangian (18) of the primal (17) and its stationarity conditions (19)-(21).

Checked for fully symbolic gradients with M in 1..4, n in 1..3, and for general M
with sympy's indexed sums (the derivatives in ``v`` and in a generic ``xi_k``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import Check, all_sizes, is_zero, run, symbols  # noqa: E402

STEP = "Lagrangian (18) and stationarity (19)-(21)"
SEED = "(17)-(21)"


def lagrangian(M, n, sign_beta=-1):
    G, d, v, xi, alpha, beta, C = symbols(M, n)
    primal = v + C * sum(xi) + sp.Rational(1, 2) * (d.T * d)[0]
    cons = G * d - v * sp.ones(M, 1) - xi  # <g_m, d> - v - xi_m <= 0
    L = primal + (alpha.T * cons)[0] + sign_beta * (beta.T * xi)[0]
    return L, G, d, v, xi, alpha, beta, C


def stationarity_d(M, n, sign=1):
    """dL/dd = d + G^T alpha; Eq. (19): it vanishes exactly at d = -G^T alpha."""
    L, G, d, v, xi, alpha, beta, C = lagrangian(M, n)
    grad = sp.Matrix([sp.diff(L, dj) for dj in d])
    ok_form = all(is_zero(e) for e in grad - (d + G.T * alpha))
    at = grad.subs(dict(zip(d, sign * (-G.T * alpha))))
    return ok_form and all(is_zero(e) for e in at)


def stationarity_v(M, n):
    """dL/dv = 1 - sum alpha (Eq. 20)."""
    L, G, d, v, xi, alpha, beta, C = lagrangian(M, n)
    return is_zero(sp.diff(L, v) - (1 - sum(alpha)))


def stationarity_xi(M, n, sign_beta=-1):
    """dL/dxi_m = C - alpha_m - beta_m (Eq. 21)."""
    L, G, d, v, xi, alpha, beta, C = lagrangian(M, n, sign_beta)
    return all(is_zero(sp.diff(L, xi[m]) - (C - alpha[m] - beta[m])) for m in range(M))


def general_m() -> bool:
    """Indexed sums, general M: dL/dv = 1 - sum alpha_m and dL/dxi_k = C - alpha_k - beta_k.

    sympy differentiates ``Sum(f(xi[m]), (m, 1, M))`` in ``xi[k]`` to a Piecewise on
    ``1 <= k <= M``; the check substitutes ``M = k + j`` with ``j >= 0`` (k in range).
    """
    M = sp.Symbol("M", integer=True, positive=True)
    m, k = sp.symbols("m k", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    a, b, x, ad = sp.IndexedBase("alpha"), sp.IndexedBase("beta"), sp.IndexedBase("xi"), sp.IndexedBase("gd")
    v, C = sp.symbols("v C")
    L = (v + C * sp.Sum(x[m], (m, 1, M)) + sp.Sum(a[m] * (ad[m] - v - x[m]), (m, 1, M))
         - sp.Sum(b[m] * x[m], (m, 1, M)))
    ok_v = sp.simplify(sp.diff(L, v).doit() - (1 - sp.Sum(a[m], (m, 1, M)))) == 0
    dxi = sp.diff(L, x[k]).doit().subs(M, k + j)
    ok_xi = sp.simplify(dxi - (C - a[k] - b[k])) == 0
    return bool(ok_v and ok_xi)


def checks():
    return [
        all_sizes("(19) dL/dd = d + sum alpha_m g_m, zero at d = -sum alpha_m g_m", stationarity_d),
        all_sizes("(20) dL/dv = 1 - sum alpha_m", stationarity_v),
        all_sizes("(21) dL/dxi_m = C - alpha_m - beta_m", stationarity_xi),
        Check("(20), (21) for general M (indexed sums)", general_m(), "sympy Sum/IndexedBase, derivative in v and xi_k"),
        all_sizes("control: (19) with the sign flipped, d = +sum alpha_m g_m", lambda M, n: stationarity_d(M, n, -1),
                  control=True),
        all_sizes("control: Lagrangian with +beta xi (wrong multiplier sign)",
                  lambda M, n: stationarity_xi(M, n, +1), control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
