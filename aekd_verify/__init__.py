"""aekd-verify: the reference oracle and verification suite for AE-KD (Theorem 1).

Public API::

    solve(G, cap, method="auto") -> Solution
    certify(G, cap, alpha=...) -> Certificate
    Problem.from_gradients(G, cap) / Problem.from_gram(K, cap)
"""

from __future__ import annotations

from .certificate import Certificate, certify
from .errors import AekdError, InfeasibleCapError, InputError, MissingExtraError, SolverError
from .problem import Problem
from .solution import Solution
from .solvers import METHODS, solve

__version__ = "0.1.0"

__all__ = [
    "AekdError",
    "Certificate",
    "InfeasibleCapError",
    "InputError",
    "METHODS",
    "MissingExtraError",
    "Problem",
    "Solution",
    "SolverError",
    "certify",
    "solve",
]
