"""The weighting as the official AE-KD code computes it: a one-class SVM on the Gram matrix.

scikit-learn's ``OneClassSVM`` (libsvm's SMO) with a precomputed kernel and
``nu = 1 / (C M)`` solves ``min 1/2 a^T K a`` s.t. ``0 <= a_m <= 1 / (nu M) = C``,
``sum a = 1`` (after normalising its dual coefficients).  Its stopping rule is
absolute (``tol``), and SMO starts from ``[C, ..., C, r, 0, ...]`` in teacher order:
at the gradient scale of logit distillation it stops at that start point (DESIGN §2).
Needs scikit-learn (the ``train`` extra).
"""

import numpy as np
from sklearn.svm import OneClassSVM


def solve(K, C):
    M = K.shape[0]
    svm = OneClassSVM(kernel="precomputed", nu=1.0 / (C * M), tol=1e-3)
    svm.fit(K)
    a = np.zeros(M)
    a[svm.support_] = svm.dual_coef_[0]
    return a / a.sum()
