"""The capped simplex ``{alpha : sum alpha = 1, 0 <= alpha_m <= C}`` and its support function.

These closed forms are shared by the certificate and by every solver (DESIGN §1):

* ``fill(C, M)``: a vertex of the capped simplex has ``k`` entries equal to ``C``
  (``k`` the largest integer with ``k C <= 1``) and at most one entry ``r = 1 - k C``.
* ``lmo(c, C)``: ``argmin_{s} s^T c`` -- weight ``C`` on the smallest entries of ``c``
  until the weights sum to 1 (the Frank--Wolfe linear minimisation oracle).
* ``support(a, C)``: ``phi_C(a) = max_s s^T a`` -- ``C`` times the sum of the ``k``
  largest entries plus ``r`` times the next one (a superquantile of ``a``).
* ``optimal_v(a, C)``: the minimiser over ``v`` of ``v + C sum_m max(0, a_m - v)``, i.e.
  the ``ceil(1/C)``-th largest entry of ``a``; with ``xi_m = max(0, a_m - v)`` this is
  the primal (17) minimised over ``(v, xi)`` for a fixed direction ``d`` (``a = G d``).
"""

from __future__ import annotations

import math

import numpy as np

from .tolerances import CAP_ROUNDING

__all__ = ["fill", "lmo", "support", "optimal_v"]


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


def support(a: np.ndarray, cap: float) -> float:
    """``phi_C(a) = max_{s in capped simplex} s^T a`` (DESIGN §1)."""
    a = np.asarray(a, dtype=np.float64)
    return float(lmo(-a, cap) @ a)


def optimal_v(a: np.ndarray, cap: float) -> float:
    """The ``ceil(1/C)``-th largest entry of ``a``: optimal ``v`` for ``a = G d``."""
    a = np.asarray(a, dtype=np.float64)
    k, r = fill(cap, a.size)
    kk = k if r == 0.0 else k + 1
    kk = min(max(kk, 1), a.size)
    return float(np.sort(a)[::-1][kk - 1])
