"""Public hypothesis strategies for capped min-norm problems (DESIGN §3 families).

Other projects import these to test their own solvers::

    from hypothesis import given
    from aekd_verify.strategies import problems

    @given(problems(family="rank_deficient"))
    def test_my_solver(problem): ...

Every strategy *builds* valid data (no ``assume``/``filter``) from small integer
entries, so failures shrink to tiny readable matrices; scales are applied after.
Options are keyword-only with ``min_*``/``max_*`` names, as in hypothesis.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis import strategies as st

from .capped import lmo
from .problem import Problem

__all__ = ["FAMILIES", "CAP_KINDS", "caps", "gradients", "problems"]

#: the problem families of DESIGN §3
FAMILIES = (
    "iid",
    "correlated",
    "rank_deficient",
    "duplicated_zero",
    "conflicting",
    "pareto_hull",
    "pareto_capped",
    "heterogeneous",
    "tiny",
    "huge",
    "integer",
)

#: how a cap is chosen relative to ``1/M``
CAP_KINDS = ("one_over_m", "just_above", "interior", "just_below_one", "one", "above_one")


def _entries(lo: int = -8, hi: int = 8) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


def _matrix(draw, M: int, n: int, lo: int = -8, hi: int = 8) -> np.ndarray:
    rows = draw(st.lists(st.lists(_entries(lo, hi), min_size=n, max_size=n), min_size=M, max_size=M))
    return np.array(rows, dtype=np.float64)


@st.composite
def caps(draw, M: int, *, kinds: tuple[str, ...] = CAP_KINDS) -> float:
    """A feasible cap for ``M`` teachers: exactly ``1/M``, just above, in ``(1/M, 1)``,
    just below 1, exactly 1, or above 1 (MGDA)."""
    kind = draw(st.sampled_from(kinds))
    if kind == "one_over_m" or (M == 1 and kind in ("interior", "just_above", "just_below_one")):
        return 1.0 / M
    if kind == "just_above":
        return (1.0 / M) * (1 + 1e-9)
    if kind == "interior":
        t = draw(st.integers(1, 19)) / 20
        return 1.0 / M + t * (1 - 1.0 / M)
    if kind == "just_below_one":
        return max(1 - 1e-9, 1.0 / M)
    if kind == "one":
        return 1.0
    return draw(st.sampled_from([1.5, 2.0, 10.0]))


def _iid(draw, M, n):
    return _matrix(draw, M, n)


def _correlated(draw, M, n):
    """Shared component plus small noise -- what real ensembles look like."""
    base = _matrix(draw, 1, n, 1, 8)
    noise = _matrix(draw, M, n, -4, 4)
    eps = draw(st.sampled_from([1e-3, 1e-1, 0.5]))
    return base + eps * noise


def _rank_deficient(draw, M, n):
    """``rank G < M``: rows are integer combinations of ``r < M`` base rows."""
    r = draw(st.integers(1, max(1, M - 1)))
    B = _matrix(draw, r, n)
    W = _matrix(draw, M, r, -2, 2)
    return W @ B


def _duplicated_zero(draw, M, n):
    """Some rows duplicated, some zero."""
    G = _matrix(draw, M, n)
    for m in range(M):
        op = draw(st.sampled_from(["keep", "dup", "zero"]))
        if op == "dup" and m > 0:
            G[m] = G[draw(st.integers(0, m - 1))]
        elif op == "zero":
            G[m] = 0.0
    return G


def _conflicting(draw, M, n):
    """Opposite gradients: row ``m`` is ``-c`` times an earlier one for some rows."""
    G = _matrix(draw, M, n)
    for m in range(1, M):
        if draw(st.booleans()):
            G[m] = -draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) * G[draw(st.integers(0, m - 1))]
    return G


def _hull_weights(draw, M, cap):
    """Weights ``w`` in the capped simplex: a mix of uniform and a vertex (both inside)."""
    c = np.array(draw(st.lists(_entries(), min_size=M, max_size=M)), dtype=float)
    vertex = lmo(c, cap)
    theta = draw(st.integers(0, 4)) / 5
    return (1 - theta) * np.full(M, 1.0 / M) + theta * vertex


def _pareto(draw, M, n, cap):
    """``0 = sum w_m g_m`` with ``w`` in the capped simplex for ``cap``.

    Proof: draw ``g_1..g_{M-1}`` and ``w`` with ``w_M > 0``; set
    ``g_M = -(sum_{m<M} w_m g_m) / w_M``.  Then ``sum w_m g_m = 0``, so 0 lies in the
    convex hull (Pareto-critical) and, with ``w`` in the capped simplex, ``d* = 0``.
    """
    if M == 1:
        return np.zeros((1, n))
    w = _hull_weights(draw, M, cap)
    order = np.argsort(-w, kind="stable")  # put the largest weight last (w_M > 0)
    w = w[order]
    G = _matrix(draw, M, n)
    G[-1] = -(w[:-1] @ G[:-1]) / w[-1]
    return G


def _heterogeneous(draw, M, n):
    G = _matrix(draw, M, n, 1, 8) * np.where(_matrix(draw, M, n, 0, 1) > 0, 1, -1)
    exps = draw(st.lists(st.integers(-6, 6), min_size=M, max_size=M))
    return G * (10.0 ** np.array(exps))[:, None]


_BUILDERS: dict[str, Callable] = {
    "iid": _iid,
    "correlated": _correlated,
    "rank_deficient": _rank_deficient,
    "duplicated_zero": _duplicated_zero,
    "conflicting": _conflicting,
    "heterogeneous": _heterogeneous,
    "tiny": lambda draw, M, n: _iid(draw, M, n) * 1e-8,
    "huge": lambda draw, M, n: _iid(draw, M, n) * 1e8,
    "integer": _iid,
}


def _check_family(family: str | None) -> None:
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; choose one of {FAMILIES}")


def gradients(*, family: str = "iid", min_teachers: int = 1, max_teachers: int = 6, min_dim: int = 1,
              max_dim: int = 5, cap: float | None = None) -> st.SearchStrategy[np.ndarray]:
    """A gradient matrix ``G`` (``M x n``) from ``family`` (see :data:`FAMILIES`)."""
    _check_family(family)
    return _gradients(family=family, min_teachers=min_teachers, max_teachers=max_teachers, min_dim=min_dim,
                      max_dim=max_dim, cap=cap)


@st.composite
def _gradients(draw, *, family: str, min_teachers: int, max_teachers: int, min_dim: int, max_dim: int,
               cap: float | None) -> np.ndarray:
    M = draw(st.integers(min_teachers, max_teachers))
    n = draw(st.integers(min_dim, max_dim))
    if family in ("pareto_hull", "pareto_capped"):
        return _pareto(draw, M, n, 1.0 if family == "pareto_hull" or cap is None else cap)
    return _BUILDERS[family](draw, M, n)


def problems(*, family: str | None = None, min_teachers: int = 1, max_teachers: int = 6, min_dim: int = 1,
             max_dim: int = 5, cap_kinds: tuple[str, ...] = CAP_KINDS) -> st.SearchStrategy[Problem]:
    """A validated :class:`Problem` from ``family`` (drawn when ``None``) with a drawn cap.

    ``pareto_capped`` problems have 0 in the *capped* hull of the drawn cap, so
    ``d* = 0``; ``pareto_hull`` problems have 0 in the convex hull (``d* = 0`` only for
    ``C >= 1``).  ``integer`` problems keep their exact rational entries.
    """
    _check_family(family)
    unknown = set(cap_kinds) - set(CAP_KINDS)
    if unknown or not cap_kinds:
        raise ValueError(f"cap_kinds must be a non-empty subset of {CAP_KINDS}, got {cap_kinds!r}")
    return _problems(family=family, min_teachers=min_teachers, max_teachers=max_teachers, min_dim=min_dim,
                     max_dim=max_dim, cap_kinds=tuple(cap_kinds))


@st.composite
def _problems(draw, *, family: str | None, min_teachers: int, max_teachers: int, min_dim: int, max_dim: int,
              cap_kinds: tuple[str, ...]) -> Problem:
    fam = family if family is not None else draw(st.sampled_from(FAMILIES))
    M = draw(st.integers(min_teachers, max_teachers))
    C = draw(caps(M, kinds=cap_kinds))
    G = draw(gradients(family=fam, min_teachers=M, max_teachers=M, min_dim=min_dim,
                       max_dim=max_dim, cap=C))
    if fam == "integer":
        return Problem.from_gradients(G.astype(np.int64), C)
    return Problem.from_gradients(G, C)
