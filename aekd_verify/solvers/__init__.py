"""Solvers behind one entry point, :func:`solve`.

``method`` is one of :data:`METHODS`; ``"auto"`` picks ``active-set`` (exact,
fast, float64).  Every solver returns a :class:`~aekd_verify.solution.Solution`
whose certificate is computed independently of the solver.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import InputError
from ..problem import Problem, as_problem
from ..solution import Solution

__all__ = ["METHODS", "solve", "solve_problem"]


def _run_active_set(p: Problem) -> Solution:
    from ._active_set import solve_active_set

    return solve_active_set(p)


def _run_cvxpy_primal(p: Problem) -> Solution:
    from ._cvxpy import solve_cvxpy_primal

    return solve_cvxpy_primal(p)


def _run_cvxpy_dual(p: Problem) -> Solution:
    from ._cvxpy import solve_cvxpy_dual

    return solve_cvxpy_dual(p)


def _run_exact(p: Problem) -> Solution:
    from ._exact import solve_exact

    return solve_exact(p).to_float()


def _run_torch(p: Problem) -> Solution:
    from ._torch import solve_torch_problem

    return solve_torch_problem(p)


_REGISTRY: dict[str, Callable[[Problem], Solution]] = {
    "active-set": _run_active_set,
    "cvxpy-primal": _run_cvxpy_primal,
    "cvxpy-dual": _run_cvxpy_dual,
    "exact": _run_exact,
    "torch": _run_torch,
}

#: accepted values of ``method``.
METHODS: tuple[str, ...] = ("auto", *_REGISTRY)


def solve_problem(problem: Problem, method: str = "auto") -> Solution:
    """Solve a validated :class:`Problem` with ``method``."""
    if method == "auto":
        method = "active-set"
    try:
        fn = _REGISTRY[method]
    except KeyError:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}") from None
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
