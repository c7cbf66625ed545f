"""Step 3: KKT (23) with (19), (20) give Eq. (24) -- with no assumption ``d* != 0``.

The polynomial identity checked is

    sum_m alpha_m (<g_m, d> - v - xi_m) |_{d = -G^T alpha}
        = (-||d||^2 - v - C sum xi) - v (sum alpha - 1) - sum_m (alpha_m - C) xi_m

whose left side is 0 by (23) and whose two correction terms are 0 by (20) and by
``beta_m xi_m = (C - alpha_m) xi_m = 0`` (23).  Hence (24).  Nothing is divided by
``||d||``: the identity holds at ``d = 0`` too (checked with ``G = 0``), so the seed's
case split is unnecessary.  Checked for M in 1..4, n in 1..3.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import all_sizes, is_zero, run, symbols  # noqa: E402

STEP = "Eq. (24) from the KKT conditions (23) and (19)"
SEED = "(19), (20), (23), (24)"


def identity(M, n, sign=1, zero_gradients=False):
    G, d, v, xi, alpha, beta, C = symbols(M, n)
    if zero_gradients:
        G = sp.zeros(M, n)
    dd = -G.T * alpha
    lhs = sum(alpha[m] * ((G[m, :] * dd)[0] - v - xi[m]) for m in range(M))
    eq24 = -(dd.T * dd)[0] - sign * (v + C * sum(xi))
    corrections = -v * (sum(alpha) - 1) - sum((alpha[m] - C) * xi[m] for m in range(M))
    return is_zero(lhs - (eq24 + corrections))


def checks():
    return [
        all_sizes("(24) -||d||^2 - v - C sum xi = 0 follows from (23) with (19), (20)", identity),
        all_sizes("(24) holds at d* = 0 as well (G = 0): no case split needed",
                  lambda M, n: identity(M, n, zero_gradients=True)),
        all_sizes("control: (24) with the sign of v + C sum xi flipped", lambda M, n: identity(M, n, sign=-1),
                  control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
