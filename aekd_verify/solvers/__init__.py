"""Solvers behind one entry point, :func:`solve`.

``method`` is one of :data:`METHODS`; ``"auto"`` picks ``active-set`` (exact,
fast, float64).  Every solver returns a :class:`~aekd_verify.solution.Solution`
whose certificate is computed independently of the solver.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable

from ..errors import InputError
from ..problem import Problem, as_problem
from ..solution import Solution

__all__ = ["METHODS", "solve", "solve_problem"]


#: method -> (private module, function taking a Problem); modules are imported on first use,
#: so cvxpy and torch load only when their solver is asked for.
_REGISTRY: dict[str, tuple[str, str]] = {
    "active-set": ("_active_set", "solve_active_set"),
    "cvxpy-primal": ("_cvxpy", "solve_cvxpy_primal"),
    "cvxpy-dual": ("_cvxpy", "solve_cvxpy_dual"),
    "exact": ("_exact", "solve_exact_float"),
    "torch": ("_torch", "solve_torch_problem"),
}

#: accepted values of ``method``.
METHODS: tuple[str, ...] = ("auto", *_REGISTRY)


def solve_problem(problem: Problem, method: str = "auto") -> Solution:
    """Solve a validated :class:`Problem` with ``method``."""
    if method == "auto":
        method = "active-set"
    try:
        module, function = _REGISTRY[method]
    except KeyError:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}") from None
    fn: Callable[[Problem], Solution] = getattr(import_module(f".{module}", __name__), function)
    return fn(problem)


def solve(G: Any, cap: Any = None, method: str = "auto", *, gram: bool = False) -> Solution:
    """Solve the capped min-norm problem of Theorem 1 for gradients ``G`` (rows ``g_m``).

    ``min_alpha ||sum_m alpha_m g_m||^2`` s.t. ``sum alpha = 1, 0 <= alpha_m <= C`` (seed
    Eq. 22) together with its primal (17): returns ``alpha``, ``d = -G^T alpha``
    (Eq. 19), ``v``, ``xi``, the primal objective and a certificate.  Pass a Gram
    matrix with ``gram=True`` (then ``d`` is ``None``), or a :class:`Problem`.

    >>> import numpy as np
    >>> sol = solve(np.array([[1.0], [-2.0]]), 0.6)
    >>> sol.alpha.round(12).tolist(), sol.d.round(12).tolist(), sol.certificate.optimal
    ([0.6, 0.4], [0.2], True)
    """
    return solve_problem(as_problem(G, cap, gram=gram), method)
