"""MGDA-style min-norm solver: the two-point closed form clamped to [0.001, 0.999].

For M = 2 it returns the clamped closed form; for M > 2 it runs Frank--Wolfe whose
line search is the same clamped two-point solver.  The cap C is ignored (MGDA
assumes C >= 1): run the kit with --cap-range 1:inf.
"""

import numpy as np


def _two_point(v11, v12, v22):
    """min_t ||t x1 + (1-t) x2||^2 from the Gram entries, clamped like the public code."""
    if v12 >= v11:
        return 0.999
    if v12 >= v22:
        return 0.001
    return (v22 - v12) / (v11 + v22 - 2 * v12)


def solve(K, C):
    M = K.shape[0]
    if M == 1:
        return np.ones(1)
    if M == 2:
        t = _two_point(K[0, 0], K[0, 1], K[1, 1])
        return np.array([t, 1 - t])
    a = np.full(M, 1.0 / M)
    for _ in range(250):
        g = K @ a
        i = int(np.argmin(g))
        v11 = K[i, i]
        v12 = g[i]
        v22 = a @ g
        t = _two_point(v11, v12, v22)
        new = (1 - t) * a
        new[i] += t
        if np.abs(new - a).sum() < 1e-3:
            break
        a = new
    return a
