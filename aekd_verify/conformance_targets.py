"""The project's own solvers in the conformance kit's target signature ``(K, C) -> weights``.

``aekd-verify conformance aekd_verify.conformance_targets:active_set`` checks the
oracle with its own kit (it conforms); useful as a template for a target.
"""

from __future__ import annotations

import numpy as np

from .solvers import solve


def active_set(K: np.ndarray, C: float) -> np.ndarray:
    """The float64 active-set solver."""
    return solve(K, C, "active-set", gram=True).alpha


def cvxpy_dual(K: np.ndarray, C: float) -> np.ndarray:
    """The cvxpy (Clarabel) dual reference."""
    return solve(K, C, "cvxpy-dual", gram=True).alpha


def torch_batched(K: np.ndarray, C: float) -> np.ndarray:
    """The batched torch solver (float64, CPU)."""
    return solve(K, C, "torch", gram=True).alpha
