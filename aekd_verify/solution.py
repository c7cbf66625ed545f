"""The result type of every solver."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .capped import optimal_v

if TYPE_CHECKING:
    from .certificate import Certificate
    from .problem import Problem

__all__ = ["Solution", "recover_primal"]


def recover_primal(problem: "Problem", alpha: np.ndarray, *,
                   with_direction: bool = True) -> tuple[np.ndarray | None, float, np.ndarray]:
    """``(d, v, xi)`` from weights ``alpha`` (DESIGN §1).

    ``d = -G^T alpha`` (Eq. 19; ``None`` when only ``K`` is known), ``a = G d = -K alpha``,
    ``v`` the ``ceil(1/C)``-th largest ``a_m`` and ``xi_m = max(0, a_m - v)`` -- the optimal
    ``(v, xi)`` of the primal (17) for this ``d``.
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    d = None if (problem.G is None or not with_direction) else -(problem.G.T @ alpha)
    a = -(problem.K @ alpha)
    v = optimal_v(a, problem.cap)
    xi = np.maximum(0.0, a - v)
    return d, v, xi


@dataclass(frozen=True, eq=False)
class Solution:
    """A primal-dual pair for one :class:`~aekd_verify.problem.Problem`.

    Attributes:
        alpha: ``(M,)`` dual weights (Eq. 22).
        d: ``(n,)`` primal direction ``-G^T alpha`` (Eq. 19), ``None`` if only ``K`` is known.
        v: primal scalar ``v``.
        xi: ``(M,)`` primal slacks ``xi_m >= 0``.
        objective: primal value ``v + C sum xi + 1/2 ||d||^2``.
        method: the solver that produced it.
        stats: solver statistics (iterations, time, status, ...).
        certificate: the solver-independent certificate (see ``certificate.py``).
        exact: for ``method="exact"``: the exact rationals as strings (``"3/5"``) and the
            exact KKT checks; ``None`` otherwise.
    """

    alpha: np.ndarray
    d: np.ndarray | None
    v: float
    xi: np.ndarray
    objective: float
    method: str
    stats: dict[str, Any] = field(default_factory=dict)
    certificate: "Certificate | None" = None
    exact: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the oracle contract (DESIGN §4)."""
        out: dict[str, Any] = {
            "alpha": self.alpha.tolist(),
            "d": None if self.d is None else self.d.tolist(),
            "v": float(self.v),
            "xi": self.xi.tolist(),
            "objective": float(self.objective),
            "method": self.method,
        }
        if self.certificate is not None:
            out["certificate"] = self.certificate.to_dict()
        out["stats"] = {k: v for k, v in self.stats.items() if isinstance(v, (int, float, str, bool))}
        if self.exact is not None:
            out["exact"] = self.exact
        return out
