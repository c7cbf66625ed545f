"""Step 5: strong duality ``p* = -1/2 ||d*||^2``.

With (24), ``v* + C sum xi* = -||d*||^2``, so the primal value
``v* + C sum xi* + 1/2 ||d*||^2 = -1/2 ||d*||^2``, which is the dual value
``-1/2 ||sum alpha_m* g_m||^2`` at ``d* = -G^T alpha*`` (step 2): zero duality gap.
Checked for M in 1..4, n in 1..3.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import all_sizes, is_zero, run, symbols  # noqa: E402

STEP = "Strong duality p* = -1/2 ||d*||^2"
SEED = "(17), (22), (24)"


def zero_gap(M, n, half=sp.Rational(-1, 2)):
    G, d, v, xi, alpha, beta, C = symbols(M, n)
    dd = -G.T * alpha
    dn2 = (dd.T * dd)[0]
    v24 = -dn2 - C * sum(xi)  # Eq. (24) solved for v
    primal = (v + C * sum(xi) + sp.Rational(1, 2) * dn2).subs(v, v24)
    return is_zero(primal - half * dn2)


def checks():
    return [
        all_sizes("p* = v* + C sum xi* + 1/2||d*||^2 = -1/2 ||d*||^2 = D(alpha*)", zero_gap),
        all_sizes("control: p* = +1/2 ||d*||^2", lambda M, n: zero_gap(M, n, sp.Rational(1, 2)), control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
