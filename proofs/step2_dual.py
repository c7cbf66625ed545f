"""Step 2: substituting (19)-(21) into the Lagrangian gives the dual (22).

On the feasible set (``sum alpha = 1``, ``beta = C - alpha``) the Lagrangian at
``d = -G^T alpha`` equals ``-1/2 ||sum alpha_m g_m||^2``.  The seed writes the dual as
``min ||sum alpha_m g_m||^2``: same minimiser (a positive multiple of the negated
objective), and the optimal values relate by ``D* = -1/2 min ||.||^2``.
Checked for M in 1..4, n in 1..3.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import Check, all_sizes, is_zero, run, symbols  # noqa: E402

STEP = "Dual function (22) from the Lagrangian"
SEED = "(18)-(22)"


def dual_value(M, n, factor=sp.Rational(-1, 2)):
    G, d, v, xi, alpha, beta, C = symbols(M, n)
    L = (v + C * sum(xi) + sp.Rational(1, 2) * (d.T * d)[0] + (alpha.T * (G * d - v * sp.ones(M, 1) - xi))[0]
         - (beta.T * xi)[0])
    sub = dict(zip(d, -G.T * alpha))
    sub.update({beta[m]: C - alpha[m] for m in range(M)})
    Ld = L.subs(sub).subs(alpha[M - 1], 1 - sum(alpha[:M - 1]))
    w = (G.T * alpha).subs(alpha[M - 1], 1 - sum(alpha[:M - 1]))
    return is_zero(Ld - factor * (w.T * w)[0])


def same_minimiser() -> tuple[bool, str]:
    """g = (1, -2), n = 1, symbolic C in [1/2, 1]: argmin ||.||^2 = argmax -1/2 ||.||^2, values relate."""
    a = sp.Symbol("a", real=True)  # alpha_1; alpha_2 = 1 - a
    f = (a * 1 + (1 - a) * (-2)) ** 2
    D = -sp.Rational(1, 2) * f
    crit_f = sp.solve(sp.diff(f, a), a)
    crit_D = sp.solve(sp.diff(D, a), a)
    same = crit_f == crit_D == [sp.Rational(2, 3)]
    rel = is_zero(D.subs(a, crit_D[0]) + sp.Rational(1, 2) * f.subs(a, crit_f[0]))
    return bool(same and rel), f"critical point alpha_1 = {crit_f}; D* = -1/2 f*"


def checks():
    ok, detail = same_minimiser()
    return [
        all_sizes("(22) L(-G^T alpha, v, xi, alpha, C - alpha) = -1/2 ||sum alpha_m g_m||^2 when sum alpha = 1",
                  dual_value),
        Check("the seed's min ||.||^2 has the same minimiser; D* = -1/2 x its value", ok, detail),
        all_sizes("control: dual value with the 1/2 dropped", lambda M, n: dual_value(M, n, sp.Integer(-1)),
                  control=True),
        all_sizes("control: the seed's objective +||sum alpha g||^2 taken as the dual value",
                  lambda M, n: dual_value(M, n, sp.Integer(1)), control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
