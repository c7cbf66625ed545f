"""Step 7: ``P(d) = 1/2 ||d||^2 + phi_C(G d)`` with the capped-simplex support function.

For fixed ``d`` (``a = G d``) the primal (17) minimised over ``(v, xi)`` is
``f(v) = v + C sum_m max(0, a_m - v)``.  With ``a_1 >= ... >= a_M`` (written
``a_m = s + t_m + ... + t_{M-1}``, ``t >= 0``), ``k = ceil(1/C)``, ``q = floor(1/C)``,
``r = 1 - C q``:

* ``f(a_k) = phi_C(a) = C (a_1 + ... + a_q) + r a_{q+1}`` (identity in ``s, t``);
* ``v = a_k`` minimises ``f``: its right slope ``1 - C (k - 1) >= 0`` and its left
  slope ``1 - C k <= 0`` (``f`` is convex piecewise linear);
* ``phi_C(a) = max`` of ``w^T a`` over the vertices ``w`` of the capped simplex
  (permutations of ``(C, ..., C, r, 0, ...)``): ``phi_C(a) - w^T a`` is a polynomial in
  ``t`` with non-negative coefficients.

Checked for M in 1..4 and every cap in {1/M, 2/5, 1/2, 2/3, 3/4, 1, 2} with ``C >= 1/M``
(the formula is piecewise in ``C``, so caps are taken as exact rationals).
"""

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from _kit import Check, run  # noqa: E402

STEP = "Primal in d alone: P(d) = 1/2||d||^2 + phi_C(G d); optimal v = ceil(1/C)-th largest"
SEED = "(17), DESIGN §1"

R = sp.Rational
CAPS = [R(2, 5), R(1, 2), R(2, 3), R(3, 4), R(1), R(2)]


def cases():
    for M in range(1, 5):
        for C in sorted(set([R(1, M)] + [c for c in CAPS if c >= R(1, M)])):
            yield M, C


def ordered(M):
    s = sp.Symbol("s", real=True)
    t = sp.symbols(f"t_1:{M}", nonnegative=True) if M > 1 else ()
    return [s + sum(t[m:]) for m in range(M)], t


def parts(M, C):
    q = min(int(sp.floor(1 / C)), M)
    r = 1 - C * q if q < M else 0
    k = min(int(sp.ceiling(1 / C)), M)
    return q, r, k


def phi(a, C, with_remainder=True):
    q, r, _ = parts(len(a), C)
    return C * sum(a[:q]) + (r * a[q] if (with_remainder and q < len(a)) else 0)


def f(a, C, v):
    return v + C * sum(sp.Max(0, am - v) for am in a)


def value_identity(M, C, k_rule="ceil", with_remainder=True) -> bool:
    a, _ = ordered(M)
    q, r, k = parts(M, C)
    if k_rule == "floor":
        k = max(q, 1)
    return sp.simplify(f(a, C, a[k - 1]) - phi(a, C, with_remainder)) == 0


def slopes(M, C) -> bool:
    _, _, k = parts(M, C)
    return (1 - C * (k - 1) >= 0) and (1 - C * k <= 0)


def vertex_max(M, C) -> bool:
    a, t = ordered(M)
    q, r, _ = parts(M, C)
    base = [C] * q + ([r] if q < M else []) + [0] * (M - q - (1 if q < M else 0))
    target = phi(a, C)
    for w in set(itertools.permutations(base)):
        diff = sp.expand(target - sum(wi * ai for wi, ai in zip(w, a)))
        poly = sp.Poly(diff, *t) if t else None
        if poly is None:
            if diff != 0:
                return False
        elif any(c < 0 for c in poly.coeffs()):
            return False
    return True


def checks():
    cs = list(cases())
    detail = f"{len(cs)} (M, C) pairs, M in 1..4"
    frac = [(M, C) for M, C in cs if sp.ceiling(1 / C) != sp.floor(1 / C) and M > 1]
    return [
        Check("f(a_k) = phi_C(a) with k = ceil(1/C)", all(value_identity(M, C) for M, C in cs), detail),
        Check("v = a_k minimises f: right slope >= 0, left slope <= 0", all(slopes(M, C) for M, C in cs), detail),
        Check("phi_C(a) = max over the capped simplex's vertices", all(vertex_max(M, C) for M, C in cs), detail),
        Check("control: k = floor(1/C) when 1/C is not an integer",
              all(value_identity(M, C, k_rule="floor") for M, C in frac), f"{len(frac)} pairs", control=True),
        Check("control: phi_C without the remainder term r a_(q+1)",
              all(value_identity(M, C, with_remainder=False) for M, C in frac), f"{len(frac)} pairs", control=True),
    ]


if __name__ == "__main__":
    sys.exit(run(__name__))
