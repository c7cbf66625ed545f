"""The validated problem: the only gate for input.

A :class:`Problem` holds the data of the capped min-norm problem of Theorem 1,

    (P)  min_{d, v, xi}  v + C sum_m xi_m + 1/2 ||d||^2
         s.t.  <g_m, d> <= v + xi_m,  xi_m >= 0               (seed Eq. 17)

    (D)  min_alpha 1/2 alpha^T K alpha
         s.t.  sum alpha = 1,  0 <= alpha_m <= C               (seed Eq. 22)

given either the gradients ``G`` (rows ``g_m``, shape ``(M, n)``) or only the Gram
matrix ``K = G G^T`` (shape ``(M, M)``).  Everything downstream trusts a
``Problem``: shapes, finiteness, float64, symmetry/PSD of ``K`` and feasibility of
the cap (``M C >= 1``) are checked here and nowhere else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import InfeasibleCapError, InputError
from .tolerances import CAP_ROUNDING, GRAM_PSD_TOL, GRAM_SYMMETRY_TOL

__all__ = ["Problem", "as_problem", "check_cap"]


def _as_rational_rows(data: Any) -> tuple[tuple[Fraction, ...], ...] | None:
    """Exact rational copy of ``data`` when every entry is an int or a Fraction."""
    if isinstance(data, np.ndarray):
        if data.dtype.kind in "iu":
            return tuple(tuple(Fraction(int(x)) for x in row) for row in np.atleast_2d(data))
        if data.dtype != object:
            return None
        data = data.tolist()
    if not isinstance(data, (list, tuple)) or not data:
        return None
    rows = []
    for row in data:
        if not isinstance(row, (list, tuple)):
            return None
        entries = []
        for x in row:
            if isinstance(x, bool) or not isinstance(x, (int, Fraction, np.integer)):
                return None
            entries.append(Fraction(int(x)) if isinstance(x, (int, np.integer)) else x)
        rows.append(tuple(entries))
    return tuple(rows)


def _to_float_matrix(data: Any, name: str, *, check_finite: bool = True) -> np.ndarray:
    if hasattr(data, "detach") and hasattr(data, "cpu"):  # a torch tensor
        data = data.detach().cpu().double().numpy()
    try:
        arr = np.asarray(data, dtype=np.float64)  # no copy for float64 input
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a real numeric matrix; could not convert it: {exc}") from None
    if arr.ndim != 2:
        raise InputError(f"{name} must be a 2-D matrix, got an array of shape {arr.shape}")
    if arr.shape[0] == 0:
        raise InputError(f"{name} has no rows (M = 0): at least one teacher is needed")
    if arr.shape[1] == 0:
        raise InputError(f"{name} has no columns (shape {arr.shape}): gradients must have n >= 1 entries")
    if check_finite:
        _check_finite(arr, name)
    return arr


def _check_finite(arr: np.ndarray, name: str) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise InputError(
            f"{name} has {int(bad.sum())} non-finite entries (NaN or inf), first at [{i}, {j}] = {arr[i, j]}"
        )


def check_cap(cap: Any, M: int) -> tuple[float, Fraction | None]:
    """``(C as float, C as Fraction or None)``; raises for a non-positive, non-finite or
    infeasible (``C < 1/M``) cap."""
    if isinstance(cap, bool):
        raise InputError(f"the cap C must be a number, got {cap!r}")
    exact = Fraction(cap) if isinstance(cap, (int, Fraction)) else None
    try:
        c = float(cap)
    except (TypeError, ValueError):
        raise InputError(f"the cap C must be a number, got {cap!r}") from None
    if not math.isfinite(c) or c <= 0:
        raise InputError(f"the cap C must be a finite positive number, got {cap!r}")
    if (exact is not None and M * exact < 1) or (exact is None and M * c < 1 - CAP_ROUNDING):
        raise InfeasibleCapError(
            f"infeasible cap C = {cap!r} < 1/M = 1/{M} = {1 / M:.6g}: the weights cannot sum to 1 "
            f"(the dual is empty and the primal is unbounded below); use C >= 1/M"
        )
    return c, exact


@dataclass(frozen=True, eq=False)
class Problem:
    """A validated instance of the capped min-norm problem.

    Attributes:
        K: ``(M, M)`` float64 Gram matrix ``G G^T``, symmetric.
        cap: the cap ``C`` (float), ``M C >= 1``.
        G: ``(M, n)`` float64 gradients, or ``None`` when only ``K`` is known.
        scale: ``s = max_m ||g_m||^2 = max diag K``; every tolerance is relative to it.
        rational_G: exact rows when the input was integers/Fractions, else ``None``.
        rational_cap: exact cap when given as an int/Fraction, else ``None``.
    """

    K: np.ndarray
    cap: float
    G: np.ndarray | None = None
    scale: float = field(default=0.0)
    rational_G: tuple[tuple[Fraction, ...], ...] | None = None
    rational_cap: Fraction | None = None

    # -- constructors ---------------------------------------------------------
    @classmethod
    def from_gradients(cls, G: Any, cap: Any) -> "Problem":
        """Validate gradients ``G`` (rows ``g_m``) and the cap ``C``."""
        rational = _as_rational_rows(G)
        # Finiteness is checked on K, not G: a NaN/inf in row m makes K[m, m] non-finite
        # (a sum of squares cannot cancel it), so one BLAS pass over G does both jobs.
        arr = _to_float_matrix(G, "G (gradients)", check_finite=False)
        c, exact_cap = check_cap(cap, arr.shape[0])
        if not arr.flags.c_contiguous:
            arr = np.ascontiguousarray(arr)
        arr = arr.view()
        arr.flags.writeable = False  # the validated data cannot change behind our back
        with np.errstate(over="ignore", invalid="ignore"):
            K = arr @ arr.T
        if not np.isfinite(K).all():
            _check_finite(arr, "G (gradients)")
            raise InputError("G (gradients) is too large: ||g_m||^2 overflows float64 "
                             f"(max |entry| = {np.abs(arr).max():.3g})")
        K = 0.5 * (K + K.T)
        return cls(K=K, cap=c, G=arr, scale=float(np.max(np.diag(K))), rational_G=rational,
                   rational_cap=exact_cap)

    @classmethod
    def from_gram(cls, K: Any, cap: Any) -> "Problem":
        """Validate a Gram matrix ``K`` (symmetric PSD within a relative tolerance) and ``C``."""
        arr = _to_float_matrix(K, "K (Gram matrix)")
        if arr.shape[0] != arr.shape[1]:
            raise InputError(f"K (Gram matrix) must be square M x M, got shape {arr.shape}")
        c, exact_cap = check_cap(cap, arr.shape[0])
        diag = np.diag(arr)
        if (diag < 0).any():
            m = int(np.argmin(diag))
            raise InputError(f"K (Gram matrix) has a negative diagonal entry K[{m},{m}] = {diag[m]}; "
                             "a Gram matrix has K[m,m] = ||g_m||^2 >= 0")
        scale = float(diag.max())
        ref = scale if scale > 0 else 1.0
        asym = float(np.max(np.abs(arr - arr.T)))
        if asym > GRAM_SYMMETRY_TOL * ref:
            raise InputError(f"K (Gram matrix) is not symmetric: max |K - K^T| = {asym:.3g} "
                             f"exceeds {GRAM_SYMMETRY_TOL:g} x scale {ref:.3g}")
        arr = 0.5 * (arr + arr.T)
        lam_min = float(np.linalg.eigvalsh(arr)[0])
        if lam_min < -GRAM_PSD_TOL * ref:
            raise InputError(f"K (Gram matrix) is not positive semidefinite: smallest eigenvalue "
                             f"{lam_min:.3g} < -{GRAM_PSD_TOL:g} x scale {ref:.3g}")
        return cls(K=arr, cap=c, G=None, scale=scale, rational_cap=exact_cap)

    # -- derived quantities ---------------------------------------------------
    @property
    def M(self) -> int:
        """Number of teachers."""
        return int(self.K.shape[0])

    @property
    def n(self) -> int | None:
        """Gradient dimension, ``None`` when only ``K`` is known."""
        return None if self.G is None else int(self.G.shape[1])

    @property
    def norm_scale(self) -> float:
        """The divisor used to normalise: ``scale``, or 1 for an all-zero problem."""
        return self.scale if self.scale > 0 else 1.0

    def normalised(self) -> "Problem":
        """The same problem with ``G / sqrt(s)`` and ``K / s`` (``max ||g_m||^2 = 1``).

        ``alpha*`` is unchanged; ``d*`` scales by ``sqrt(s)``, ``v*``, ``xi*`` and the
        objective by ``s`` (DESIGN §1, scale invariance).
        """
        s = self.norm_scale
        G = None if self.G is None else self.G / math.sqrt(s)
        return Problem(K=self.K / s, cap=self.cap, G=G, scale=self.scale / s,
                       rational_G=None, rational_cap=self.rational_cap)

    def with_cap(self, cap: Any) -> "Problem":
        """The same data with another cap (validated)."""
        c, exact = check_cap(cap, self.M)
        return Problem(K=self.K, cap=c, G=self.G, scale=self.scale, rational_G=self.rational_G,
                       rational_cap=exact)

    def __repr__(self) -> str:
        shape = f"G {self.M}x{self.n}" if self.G is not None else f"K {self.M}x{self.M}"
        return f"Problem({shape}, C={self.cap:g}, scale={self.scale:.3g})"


def as_problem(data: Any, cap: Any | None = None, *, gram: bool = False) -> Problem:
    """``data`` as a :class:`Problem`: a Problem passes through (``cap`` may override)."""
    if isinstance(data, Problem):
        return data if cap is None else data.with_cap(cap)
    if cap is None:
        raise InputError("the cap C is required")
    return Problem.from_gram(data, cap) if gram else Problem.from_gradients(data, cap)
