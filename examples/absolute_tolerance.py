"""Projected gradient with an ABSOLUTE stopping rule, started at [C, 1-C, 0, ...] (teacher order).

At the real gradient scale of logit distillation (Gram entries ~1e-7) the test
passes at once and the start point is returned -- the failure of DESIGN §2.
"""

import numpy as np


def _project(y, C):
    lo, hi = y.min() - C, y.max()
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if np.clip(y - mid, 0, C).sum() > 1:
            lo = mid
        else:
            hi = mid
    return np.clip(y - 0.5 * (lo + hi), 0, C)


def solve(K, C):
    M = K.shape[0]
    a = np.zeros(M)
    left = 1.0
    for i in range(M):  # start: [C, 1-C, 0, ...] in teacher order
        a[i] = min(C, left)
        left -= a[i]
    step = 1.0 / max(np.linalg.norm(K, 2), 1e-12)
    for _ in range(200):
        g = K @ a
        if g @ a - g.min() < 1e-6:  # absolute tolerance: scale dependent
            break
        a = _project(a - step * g, C)
    return a
