"""Hand-derived cases with known optima, shared by the solver tests."""

from __future__ import annotations

import numpy as np


def two_teacher_alpha(g1: np.ndarray, g2: np.ndarray, cap: float) -> np.ndarray:
    """Closed form for M = 2: ``alpha_1 = clip(<g2 - g1, g2> / ||g1 - g2||^2, 1 - C, C)``."""
    diff = g1 - g2
    denom = float(diff @ diff)
    a1 = 0.5 if denom == 0 else float((g2 - g1) @ g2) / denom
    a1 = min(max(a1, 1 - min(cap, 1.0)), min(cap, 1.0))
    return np.array([a1, 1 - a1])


#: name -> (G, cap, alpha* or None when not unique, d*)
CASES: dict[str, tuple[np.ndarray, float, np.ndarray | None, np.ndarray]] = {}


def _add(name, G, cap, alpha):
    G = np.asarray(G, dtype=float)
    d = -G.T @ alpha
    CASES[name] = (G, cap, alpha if name.split(":")[0] != "nonunique" else None, d)


_add("single teacher", [[3.0, -4.0]], 1.0, np.array([1.0]))
for cap in (0.5, 0.6, 0.8, 1.0, 2.0):
    g1, g2 = np.array([1.0, 2.0]), np.array([-1.0, 0.5])
    _add(f"two teachers C={cap}", [g1, g2], cap, two_teacher_alpha(g1, g2, cap))
_add("agree to disagree C=0.6", [[1.0], [-2.0]], 0.6, np.array([0.6, 0.4]))
_add("opposite teachers", [[1.0, 1.0], [-1.0, -1.0]], 1.0, np.array([0.5, 0.5]))
_add("opposite unequal C=1", [[1.0], [-2.0]], 1.0, np.array([2 / 3, 1 / 3]))
_add("nonunique: duplicated teachers", [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], 1.0,
     np.array([0.25, 0.25, 0.5]))
_add("zero row", [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]], 1.0, np.array([0.0, 1.0, 0.0]))
_add("zero row capped", [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]], 0.5, np.array([0.25, 0.5, 0.25]))
_add("uniform C=1/M", [[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]], 1 / 3, np.full(3, 1 / 3))
_add("orthonormal C>=1", np.eye(3), 5.0, np.full(3, 1 / 3))
_add("orthonormal C=1", np.eye(4), 1.0, np.full(4, 1 / 4))
_add("nonunique: all zero", np.zeros((3, 2)), 0.5, np.full(3, 1 / 3))
