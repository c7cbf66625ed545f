"""The capped simplex ``{alpha : sum alpha = 1, 0 <= alpha_m <= C}`` and its support function.

These closed forms are shared by the certificate and by every solver (DESIGN §1):

* ``fill(C, M)``: a vertex of the capped simplex has ``k`` entries equal to ``C``
  (``k`` the largest integer with ``k C <= 1``) and at most one entry ``r = 1 - k C``.
* ``lmo(c, C)``: ``argmin_{s} s^T c`` -- weight ``C`` on the smallest entries of ``c``
  until the weights sum to 1 (the Frank--Wolfe linear minimisation oracle).
* ``frank_wolfe_gap(K, alpha, C)``: ``(K alpha)^T (alpha - lmo(K alpha, C))``, the
  solver-free duality gap of a feasible ``alpha``.
* ``optimal_v(a, C)``: the minimiser over ``v`` of ``v + C sum_m max(0, a_m - v)``, i.e.
  the ``ceil(1/C)``-th largest entry of ``a``; with ``xi_m = max(0, a_m - v)`` this is
  the primal (17) minimised over ``(v, xi)`` for a fixed direction ``d`` (``a = G d``).
"""

from __future__ import annotations

import math

import numpy as np

from .tolerances import CAP_ROUNDING

__all__ = ["fill", "lmo", "frank_wolfe_gap", "optimal_v"]


def fill(cap: float, M: int) -> tuple[int, float]:
    """``(k, r)``: ``k`` full entries ``C`` and a remainder ``r = 1 - k C`` in ``[0, C)``.

    ``k`` is the largest integer with ``k C <= 1`` (computed without trusting ``1/C``
    to round the right way when it is an integer), capped at ``M``; a remainder
    below rounding level is set to 0 so that ``C = 1/3`` fills exactly 3 entries.
    """
    k = int(math.floor(1.0 / cap)) if cap > 0 else M
    while (k + 1) * cap <= 1.0:
        k += 1
    while k > 0 and k * cap > 1.0 + CAP_ROUNDING:
        k -= 1
    k = min(k, M)
    r = 1.0 - k * cap
    if r <= CAP_ROUNDING or k == M:
        r = 0.0
    return k, r


def lmo(c: np.ndarray, cap: float) -> np.ndarray:
    """``argmin_{s in capped simplex} s^T c`` (ties broken by index, stable sort)."""
    c = np.asarray(c, dtype=np.float64)
    k, r = fill(cap, c.size)
    order = np.argsort(c, kind="stable")
    s = np.zeros_like(c)
    s[order[:k]] = cap
    if k < c.size and r > 0:
        s[order[k]] = r
    if k == c.size:  # M C ~= 1 up to rounding: the only point is uniform
        s[:] = 1.0 / c.size
    return s


def frank_wolfe_gap(K: np.ndarray, alpha: np.ndarray, cap: float) -> float:
    """``(K alpha)^T (alpha - s)`` with ``s = lmo(K alpha, C)`` (not normalised).

    For a feasible ``alpha`` this is the duality gap ``P(-G^T alpha) - D(alpha)``
    (DESIGN §1): it bounds the suboptimality and is zero exactly at the optimum.
    """
    g = K @ alpha
    return float(g @ (alpha - lmo(g, cap)))


def optimal_v(a: np.ndarray, cap: float) -> float:
    """The ``ceil(1/C)``-th largest entry of ``a``: optimal ``v`` for ``a = G d``."""
    a = np.asarray(a, dtype=np.float64)
    k, r = fill(cap, a.size)
    kk = k if r == 0.0 else k + 1
    kk = min(max(kk, 1), a.size)
    return float(np.sort(a)[::-1][kk - 1])
