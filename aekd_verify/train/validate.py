"""Step-by-step validation of the trainer against the reference oracle.

At a validated step the trainer hands over its gradient matrix ``G`` (in the
configured space), its weights ``alpha`` and the KD part of the update it applied.
This module checks, independently of how the trainer computed them:

1. the reference certificate of ``alpha`` (``certify``, float64): every residual,
   relative to ``max ||g_m||^2``, within ``tol``;
2. the objective against the float64 active-set oracle (and cvxpy-dual on a sample);
3. that the applied update equals ``-sum alpha_m nabla_theta l_m`` recomputed with one
   plain backward per teacher (no batching), relative to ``max_m ||nabla_theta l_m||``;
4. Eq. (25) for every teacher at that step (the certificate's worst slack).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ..certificate import certificate_for
from ..errors import require
from ..problem import Problem
from ..solvers import solve_problem
from ..tolerances import FLOAT32_UPDATE_TOL
from .weighting import kd_losses

__all__ = ["Validation", "validate_step"]

torch = require("torch", "train")


@dataclass(frozen=True)
class Validation:
    """One validated step (all numbers relative to the step's scale)."""

    step: int
    worst_residual: float
    frank_wolfe_gap: float
    objective_diff: float
    cvxpy_objective_diff: float | None
    update_rel_error: float
    eq25_worst_slack: float
    ok: bool
    failed: tuple[str, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def _reference_update(student, x, teacher_logits, T, alpha) -> tuple[np.ndarray, float]:
    """``-sum alpha_m nabla_theta l_m`` with one ordinary backward per teacher; and max ||grad||."""
    params = [p for p in student.parameters() if p.requires_grad]
    total = None
    worst = 0.0
    for m in range(teacher_logits.shape[0]):
        loss = kd_losses(student(x), teacher_logits[m:m + 1], T)[0]
        grads = torch.autograd.grad(loss, params)
        flat = torch.cat([g.reshape(-1) for g in grads]).double()
        worst = max(worst, float(flat.norm()))
        total = -float(alpha[m]) * flat if total is None else total - float(alpha[m]) * flat
    return total.cpu().numpy(), worst


def validate_step(step: int, *, G, alpha, cap: float, applied_kd_update, student, x, teacher_logits, T: float,
                  tol: float, with_cvxpy: bool) -> Validation:
    """Run the four checks of the module docstring on one step."""
    problem = Problem.from_gradients(G.detach().double().cpu().numpy(), cap)
    a = np.asarray(alpha.detach().double().cpu().numpy(), dtype=np.float64)
    cert = certificate_for(problem, a)
    s = problem.norm_scale
    objective = 0.5 * float(a @ problem.K @ a)
    obj_diff = abs(objective + solve_problem(problem, "active-set").objective) / s
    cvx = None
    if with_cvxpy:
        cvx = abs(objective + solve_problem(problem, "cvxpy-dual").objective) / s
    ref_update, gscale = _reference_update(student, x, teacher_logits, T, a)
    applied = applied_kd_update.detach().double().cpu().numpy()
    upd = float(np.linalg.norm(applied - ref_update)) / max(gscale, 1e-300)
    failed = list(cert.failed(tol))
    if obj_diff > tol:
        failed.append("objective_vs_active_set")
    if cvx is not None and cvx > tol:
        failed.append("objective_vs_cvxpy")
    # float32 networks: the update is compared at float32 rounding, not at tol
    upd_tol = max(tol, FLOAT32_UPDATE_TOL if applied_kd_update.dtype == torch.float32 else tol)
    if not (upd <= upd_tol and math.isfinite(upd)):
        failed.append("applied_update")
    return Validation(step=step, worst_residual=cert.worst, frank_wolfe_gap=cert.frank_wolfe_gap,
                      objective_diff=obj_diff, cvxpy_objective_diff=cvx, update_rel_error=upd,
                      eq25_worst_slack=cert.eq25_worst_slack, ok=not failed, failed=tuple(failed))
