"""Helpers shared by the solvers: packaging a normalised answer as a Solution."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..certificate import certificate_for
from ..errors import SolverError
from ..problem import Problem
from ..solution import Solution, recover_primal
from ..tolerances import CERTIFY_TOL

__all__ = ["finish", "package", "gram_factor"]


def package(problem: Problem, alpha: np.ndarray, method: str, stats: dict[str, Any],
            d: np.ndarray | None = None, v: float | None = None, xi: np.ndarray | None = None,
            *, require_tol: float | None = None) -> Solution:
    """Build the :class:`Solution` for ``problem`` (original scale) from weights ``alpha``.

    Missing primal parts are recovered from ``alpha`` (DESIGN §1).  The certificate
    is computed by ``certificate.py``, independently of the solver.  With
    ``require_tol`` a certificate that fails at that tolerance raises
    :class:`SolverError` instead of returning garbage.
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    d_given = d is not None
    if d is None or v is None or xi is None:
        d_rec, v_rec, xi_rec = recover_primal(problem, alpha, with_direction=d is None)
        d = d_rec if d is None else d
        v = v_rec if v is None else v
        xi = xi_rec if xi is None else xi
    dn2 = float(d @ d) if d is not None else max(float(alpha @ problem.K @ alpha), 0.0)
    objective = float(v + problem.cap * xi.sum() + 0.5 * dn2)
    # d recovered from alpha satisfies Eq. (19) by construction: certify it as recovered
    cert = certificate_for(problem, alpha, d if d_given else None, v, xi, tol=CERTIFY_TOL)
    if require_tol is not None and not cert.is_optimal(require_tol):
        raise SolverError(
            f"{method}: the answer failed its certificate at tol {require_tol:g} "
            f"(failed: {', '.join(cert.failed(require_tol))}; worst {cert.worst:.3g})"
        )
    return Solution(alpha=alpha, d=d, v=float(v), xi=np.asarray(xi, dtype=np.float64),
                    objective=objective, method=method, stats=stats, certificate=cert)


def finish(problem: Problem, alpha: np.ndarray, method: str, stats: dict[str, Any],
           d_n: np.ndarray | None = None, v_n: float | None = None, xi_n: np.ndarray | None = None,
           *, require_tol: float | None = None) -> Solution:
    """Undo the normalisation (``d * sqrt(s)``, ``v, xi * s``) and :func:`package`."""
    s = problem.norm_scale
    d = None if d_n is None else d_n * math.sqrt(s)
    v = None if v_n is None else v_n * s
    xi = None if xi_n is None else xi_n * s
    return package(problem, alpha, method, stats, d, v, xi, require_tol=require_tol)


def gram_factor(K: np.ndarray) -> np.ndarray:
    """A factor ``F`` with ``F^T F = K`` from the eigen-decomposition (PSD part, rank rows).

    Used instead of ``cvxpy.quad_form``, which rejects rank-deficient Gram
    matrices (duplicate or dependent teachers); its transpose is a gradient matrix
    with ``G G^T = K`` (the conformance kit hands that to external programs).
    """
    w, V = np.linalg.eigh(0.5 * (K + K.T))
    keep = w > 1e-14 * max(float(w.max()), 1e-300)  # drop the null space: fewer, better-scaled rows
    if not keep.any():
        return np.zeros((1, K.shape[0]))
    return (V[:, keep] * np.sqrt(w[keep])).T
