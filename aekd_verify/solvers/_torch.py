"""Batched, GPU-capable solver: ``B`` capped min-norm problems at once in PyTorch.

Given Gram matrices ``K`` of shape ``(B, M, M)`` (any device, float32 or float64)
and caps ``C`` (a float or a ``(B,)`` tensor), it returns weights ``alpha`` of shape
``(B, M)`` and the per-problem relative Frank--Wolfe gap, with no Python loop over
the batch and no host-device synchronisation inside the iterations:

1. *Normalise* each problem (``K / max diag K``) so tolerances are relative.
2. *Primal-dual active set* (semismooth Newton on the KKT system): each
   iteration solves the ``(M+1) x (M+1)`` system of its working set for every
   problem at once (``torch.linalg.solve_ex``); a ridge ``ridge * I`` (``1e-14`` in
   float64, ``1e-7`` in float32) keeps singular ``K`` (duplicate teachers) solvable
   and moves the objective by at most ``ridge / 2``.  Convergence is checked every
   ``check_every`` iterations, not per iteration.
3. *Clean*: clip into the box and put the sum's rounding on the free weights.
4. *Safeguard*: the few problems whose gap is still above tolerance (PDAS can
   cycle) are projected onto the capped simplex (bisection on the threshold) and
   continue with batched primal active-set iterations, which cannot cycle.
5. *Certify*: the relative Frank--Wolfe gap ``(K a)^T (a - s) / max diag K``.

The caller decides what to do with a problem whose gap exceeds its tolerance
(``solve(..., method="torch")`` raises; the trainer falls back to the float64
oracle); the flag costs one synchronisation at the very end.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import InputError, SolverError, require
from ..problem import Problem
from ..tolerances import TORCH_GAP_TOL
from ._common import finish

__all__ = ["solve_gram_batch", "frank_wolfe_gap", "project_capped_simplex", "solve_torch_problem"]


def _torch():
    return require("torch", "train")


def _caps(cap: Any, B: int, like):
    torch = _torch()
    c = torch.as_tensor(cap, dtype=like.dtype, device=like.device)
    return c.expand(B) if c.ndim == 0 else c


def frank_wolfe_gap(K, alpha, cap):
    """Relative FW gap ``(K a)^T (a - s) / max diag K`` per problem; ``s`` = capped-simplex LMO."""
    torch = _torch()
    B, M = alpha.shape
    C = _caps(cap, B, alpha)
    g = torch.einsum("bij,bj->bi", K, alpha)
    j = torch.arange(M, device=alpha.device, dtype=alpha.dtype)
    w = torch.clamp(1.0 - j[None, :] * C[:, None], min=0.0)
    w = torch.minimum(w, C[:, None])  # fill pattern: C, C, ..., r, 0, ...
    g_sorted, _ = torch.sort(g, dim=1)
    scale = torch.diagonal(K, dim1=1, dim2=2).amax(dim=1).clamp_min(torch.finfo(K.dtype).tiny)
    return ((g * alpha).sum(1) - (g_sorted * w).sum(1)) / scale


def _clip_and_fix_sum(a, C):
    """Clip rows into ``[0, C]`` (``C`` shaped ``(B, 1)``) and put the sum's rounding residue
    on the free weights."""
    a = a.clamp(min=0.0).minimum(C)
    free = (a > 0) & (a < C)
    nfree = free.sum(1, keepdim=True).clamp_min(1)
    return (a + free * (1.0 - a.sum(1, keepdim=True)) / nfree).clamp(min=0.0).minimum(C)


def project_capped_simplex(y, cap, iters: int | None = None):
    """Euclidean projection of each row of ``y`` onto ``{sum = 1, 0 <= a <= C}`` (bisection)."""
    torch = _torch()
    B, M = y.shape
    C = _caps(cap, B, y)[:, None]
    lo = (y.min(1, keepdim=True).values - C)
    hi = y.max(1, keepdim=True).values
    iters = iters or (100 if y.dtype == torch.float64 else 50)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        s = torch.clamp(y - mid, min=0.0).minimum(C).sum(1, keepdim=True)
        above = s > 1.0
        lo = torch.where(above, mid, lo)
        hi = torch.where(above, hi, mid)
    return _clip_and_fix_sum(y - 0.5 * (lo + hi), C)


def _working_set_solve(Kr, free, up, Cc, ridge):
    """Solve the KKT system of each problem's working set: free rows ``K_F a + lam = 0``,
    fixed rows ``a_i = 0`` or ``C``, and ``sum a = 1``.  Returns ``(alpha, lam)``."""
    torch = _torch()
    B, M, _ = Kr.shape
    dt, dev = Kr.dtype, Kr.device
    eye = torch.eye(M, dtype=dt, device=dev).expand(B, M, M)
    A = torch.zeros(B, M + 1, M + 1, dtype=dt, device=dev)
    A[:, :M, :M] = torch.where(free[:, :, None], Kr, eye)
    A[:, :M, M] = free.to(dt)
    A[:, M, :M] = 1.0
    A[:, M, M] = -ridge  # keeps the system regular when every weight is fixed
    rhs = torch.zeros(B, M + 1, dtype=dt, device=dev)
    rhs[:, :M] = torch.where(up, Cc.expand(B, M), torch.zeros(B, M, dtype=dt, device=dev))
    rhs[:, M] = 1.0
    sol, _ = torch.linalg.solve_ex(A, rhs)  # batched LU, no error check (no host sync)
    sol = torch.nan_to_num(sol, nan=0.0, posinf=0.0, neginf=0.0)
    return sol[:, :M], sol[:, M:]


def _pdas(Kn, Kr, C, ridge, iters, check_every):
    """Primal-dual active set (semismooth Newton); stops early when no working set changes."""
    torch = _torch()
    B, M, _ = Kn.shape
    upper = (C < 1.0)[:, None]
    Cc = C[:, None]
    alpha = torch.full((B, M), 1.0 / M, dtype=Kn.dtype, device=Kn.device)
    mu = torch.zeros_like(alpha)
    nu = torch.zeros_like(alpha)
    prev = None
    last_changing = B + 1
    for it in range(iters):
        low = (mu - alpha) > 0
        up = ((nu + alpha - Cc) > 0) & ~low & upper
        state = low.to(torch.int8) + 2 * up.to(torch.int8)
        if prev is not None and it % check_every == 0:
            # one synchronisation every `check_every` iterations, not per iteration: stop when
            # at most 5% of the problems still change their working set, or when that number
            # stops falling (PDAS may cycle on a few; the primal active-set safeguard finishes those)
            changing = int((state != prev).any(1).sum())
            if changing <= B // 20 or changing >= last_changing:
                break
            last_changing = changing
        prev = state
        alpha, lam = _working_set_solve(Kr, ~(low | up), up, Cc, ridge)
        r = torch.einsum("bij,bj->bi", Kn, alpha) + lam
        mu = torch.where(low, r, torch.zeros_like(r))
        nu = torch.where(up, -r, torch.zeros_like(r))
    return alpha


def _primal_active_set(Kn, Kr, C, alpha, ridge, iters, check_every, tol):
    """Batched primal active-set iterations from a feasible ``alpha`` (the safeguard).

    Every problem takes its own step each iteration (masked): the working set's
    minimiser, truncated at the first bound it crosses (which joins the working
    set), or -- at the minimiser -- the release of the most violated bound.
    """
    torch = _torch()
    B, M, _ = Kn.shape
    Cc = C[:, None]
    upper = (C < 1.0)[:, None]
    small = 1e-12 if Kn.dtype == torch.float64 else 1e-6
    low = alpha <= small
    up = (alpha >= Cc - small) & upper & ~low
    alpha = torch.where(low, torch.zeros_like(alpha), torch.where(up, Cc.expand_as(alpha), alpha))
    big = torch.finfo(Kn.dtype).max
    for it in range(iters):
        free = ~(low | up)
        target, lam = _working_set_solve(Kr, free, up, Cc, ridge)
        p = torch.where(free, target - alpha, torch.zeros_like(alpha))
        ratio_lo = torch.where(free & (p < 0), alpha / (-p).clamp_min(1e-300), torch.full_like(alpha, big))
        ratio_up = torch.where(free & (p > 0) & upper, (Cc - alpha) / p.clamp_min(1e-300), torch.full_like(alpha, big))
        rmin_lo, i_lo = ratio_lo.min(1)
        rmin_up, i_up = ratio_up.min(1)
        t = torch.minimum(torch.minimum(rmin_lo, rmin_up), torch.ones_like(rmin_lo))
        alpha = alpha + t[:, None] * p
        blocked = t < 1
        hit_lo = blocked & (rmin_lo <= rmin_up)
        hit_up = blocked & ~hit_lo
        rows = torch.arange(B, device=Kn.device)
        low[rows[hit_lo], i_lo[hit_lo]] = True
        up[rows[hit_up], i_up[hit_up]] = True
        alpha = torch.where(low, torch.zeros_like(alpha), torch.where(up, Cc.expand_as(alpha), alpha))
        # at the minimiser: release the most violated bound
        r = torch.einsum("bij,bj->bi", Kn, alpha) + lam
        viol = torch.where(low, -r, torch.zeros_like(r)) + torch.where(up, r, torch.zeros_like(r))
        vmax, j = viol.max(1)
        release = ~blocked & (vmax > tol)
        low[rows[release], j[release]] = False
        up[rows[release], j[release]] = False
        if (it + 1) % check_every == 0 and not bool((blocked | release).any()):
            break
    return alpha


def solve_gram_batch(K, cap, *, pdas_iters: int | None = None, ridge: float | None = None,
                     tol: float | None = None, check_every: int = 2) -> tuple[Any, Any]:
    """Solve ``B`` problems ``min 1/2 a^T K_b a`` on the capped simplex; return ``(alpha, gap)``.

    ``K``: ``(B, M, M)`` tensor; ``cap``: float or ``(B,)``.  ``gap`` is the relative
    Frank--Wolfe gap per problem (targets: ``<= 1e-12`` in float64, ``<= 1e-6`` in
    float32, see ``TORCH_GAP_TOL``); callers fall back where it is larger.
    Convergence is checked every ``check_every`` iterations (one host sync each).
    """
    torch = _torch()
    if K.ndim != 3 or K.shape[1] != K.shape[2]:
        raise InputError(f"K must have shape (B, M, M), got {tuple(K.shape)}")
    B, M, _ = K.shape
    dt, dev = K.dtype, K.device
    C = _caps(cap, B, K)
    scale = torch.diagonal(K, dim1=1, dim2=2).amax(dim=1)
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    Kn = K / scale[:, None, None]
    Kn = 0.5 * (Kn + Kn.transpose(1, 2))
    ridge = ridge if ridge is not None else (1e-14 if dt == torch.float64 else 1e-7)
    tol = tol if tol is not None else TORCH_GAP_TOL.get(str(dt).replace("torch.", ""), 1e-6)
    Kr = Kn + ridge * torch.eye(M, dtype=dt, device=dev)
    alpha = _clip_and_fix_sum(_pdas(Kn, Kr, C, ridge, pdas_iters or (M + 8), check_every), C[:, None])
    gap = frank_wolfe_gap(Kn, alpha, C)
    sum_err = (alpha.sum(1) - 1.0).abs()
    need = ~((gap.abs() <= tol) & (sum_err <= 64 * torch.finfo(dt).eps))  # NaN-safe: NaN needs help
    if bool(need.any()):  # one synchronisation: the rare problems PDAS did not settle
        idx = need.nonzero().squeeze(1)
        alpha[idx] = project_capped_simplex(alpha[idx], C[idx])
        mult_tol = 64 * torch.finfo(dt).eps
        sub = _primal_active_set(Kn[idx], Kr[idx], C[idx], alpha[idx], ridge, 4 * M + 8, check_every, mult_tol)
        sub = project_capped_simplex(sub, C[idx])
        sub_gap = frank_wolfe_gap(Kn[idx], sub, C[idx])
        better = sub_gap.abs() < gap[idx].abs()
        alpha[idx] = torch.where(better[:, None], sub, alpha[idx])
        gap[idx] = torch.where(better, sub_gap, gap[idx])
    return alpha, gap


def solve_torch_problem(problem: Problem, *, device: str = "cpu", dtype: str = "float64"):
    """``solve(..., method="torch")``: one problem through the batched solver, certified."""
    torch = _torch()
    t0 = time.perf_counter()
    dt = getattr(torch, dtype)
    K = torch.as_tensor(problem.K, dtype=dt, device=device)[None]
    alpha, gap = solve_gram_batch(K, problem.cap)
    gap_val = float(gap[0])
    tol = TORCH_GAP_TOL[dtype]
    if not gap_val <= tol:
        raise SolverError(f"torch: relative Frank-Wolfe gap {gap_val:.3g} above {tol:g}")
    a = alpha[0].detach().cpu().double().numpy()
    return finish(problem, np.asarray(a), "torch", {"seconds": time.perf_counter() - t0, "torch_gap": gap_val,
                                                    "device": device, "dtype": dtype})
