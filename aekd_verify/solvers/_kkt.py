"""Exact KKT solves on a working set, used by the active-set solver.

A *working set* fixes some weights at a bound (``LOWER``: 0, ``UPPER``: ``C``) and
leaves the others ``FREE``.  On it, the dual (22) restricted to the hyperplane
``sum alpha = 1`` is an equality-constrained quadratic whose minimiser solves the
KKT system ``[K_FF 1; 1^T 0] [alpha_F; lambda] = [-K_FB alpha_B; 1 - sum alpha_B]``.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.lapack import dgetrf, dgetrs

from ..tolerances import EPS

__all__ = ["FREE", "LOWER", "UPPER", "direction", "refine", "bordered_solve"]

FREE, LOWER, UPPER = 0, 1, 2


def _hyperplane_basis(m: int) -> np.ndarray:
    """Orthonormal ``Z`` (``m x (m-1)``) with ``1^T Z = 0``."""
    q, _ = np.linalg.qr(np.column_stack([np.ones(m), np.eye(m)[:, : m - 1]]))
    return q[:, 1:]


def bordered_solve(KFF: np.ndarray, b: np.ndarray, beta: float) -> np.ndarray | None:
    """``[x; lambda]`` solving ``[KFF 1; 1^T 0] [x; lambda] = [b; beta]``, or None.

    LU (LAPACK ``getrf``), plus one step of iterative refinement when the first
    residual is above 1e-15 relative; None when the matrix is singular or the
    solution is not accurate (the caller then uses the eigen-decomposition path).
    """
    m = b.size
    A = np.empty((m + 1, m + 1))
    A[:m, :m] = KFF
    A[:m, m] = 1.0
    A[m, :m] = 1.0
    A[m, m] = 0.0
    rhs = np.empty(m + 1)
    rhs[:m] = b
    rhs[m] = beta
    lu, piv, info = dgetrf(A)
    if info != 0:
        return None
    x, info = dgetrs(lu, piv, rhs)
    if info != 0 or not np.isfinite(x).all():
        return None
    scale = 1.0 + np.abs(rhs).max()
    res = rhs - A @ x
    if np.abs(res).max() > 1e-15 * scale:  # one step of iterative refinement when it can help
        dx, _ = dgetrs(lu, piv, res)
        x += dx
        res = rhs - A @ x
    if np.abs(res).max() <= 1e-12 * scale and np.abs(x).max() < 1e6:
        return x
    return None


def direction(KFF: np.ndarray, gF: np.ndarray) -> tuple[np.ndarray, bool]:
    """Step ``p`` with ``1^T p = 0`` minimising ``1/2 p^T KFF p + gF^T p``.

    Returns ``(p, exact)``: ``exact`` is True when ``p`` reaches the minimiser on
    the affine set (the caller may take the full step), False when ``p`` is a
    zero-curvature descent direction (the minimum does not exist).
    """
    m = gF.size
    if m == 1:
        return np.zeros(1), True
    # Fast path: the bordered KKT matrix is usually non-singular.
    x = bordered_solve(KFF, -gF, 0.0)
    if x is not None:
        return x[:m], True
    # Robust path: reduced Hessian on the hyperplane, eigen-decomposed.
    Z = _hyperplane_basis(m)
    H = Z.T @ KFF @ Z
    w, V = np.linalg.eigh(0.5 * (H + H.T))
    h = Z.T @ gF
    c = V.T @ h
    tau = 32 * EPS * max(1.0, float(np.abs(w).max()))
    null = w <= tau
    if null.any() and np.abs(c[null]).max() > 1e-13 * (1.0 + np.abs(c).max()):
        y = -(V[:, null] @ c[null])  # descent with zero curvature
        return Z @ y, False
    y = -(V[:, ~null] @ (c[~null] / w[~null]))
    return Z @ y, True


def refine(K: np.ndarray, cap: float, alpha: np.ndarray, state: np.ndarray) -> np.ndarray:
    """Re-solve the KKT system of the final working set (iterative refinement)."""
    F = np.flatnonzero(state == FREE)
    out = alpha.copy()
    out[state == LOWER] = 0.0
    out[state == UPPER] = cap
    if F.size == 0:
        return out
    B = np.flatnonzero(state != FREE)
    target = 1.0 - float(out[B].sum())
    for _ in range(2):
        g = K @ out
        p, exact = direction(K.take(F, 0).take(F, 1), g[F])
        if not exact:
            break
        cand = out.copy()
        cand[F] += p
        cand[F] += (target - cand[F].sum()) / F.size
        if cand[F].min() < -1e-12 or cand[F].max() > cap + 1e-12:
            break
        out = cand
    out[F] = np.clip(out[F], 0.0, cap)
    return out
