"""Frank--Wolfe with the usual defaults: stop when the step < 1e-3, at most 100 iterations."""

import numpy as np


def solve(K, C):
    M = K.shape[0]
    a = np.full(M, 1.0 / M)
    for _ in range(100):
        g = K @ a
        # linear minimisation oracle over the capped simplex
        s = np.zeros(M)
        left = 1.0
        for i in np.argsort(g):
            s[i] = min(C, left)
            left -= s[i]
        d = s - a
        denom = d @ K @ d
        step = 1.0 if denom <= 0 else min(1.0, max(0.0, -(g @ d) / denom))
        if step < 1e-3:
            break
        a = a + step * d
    return a
