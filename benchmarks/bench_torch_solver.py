"""Benchmark: the batched torch solver vs looping the numpy active-set solver, in one run.

B problems of M teachers (correlated gradients, 2% duplicated teachers, 2% rank
deficient), cap C = 2/M.  Prints the time of each, the speed-up, and the worst
relative Frank--Wolfe gap per dtype (targets: 20x, 1e-12 in float64, 1e-6 in float32).

    python benchmarks/bench_torch_solver.py [--B 4096] [--M 8] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from aekd_verify.solvers._active_set import active_set_weights
from aekd_verify.solvers._torch import solve_gram_batch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--B", type=int, default=4096)
    ap.add_argument("--M", type=int, default=8)
    ap.add_argument("--n", type=int, default=32)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    B, M = args.B, args.M
    G = rng.standard_normal((B, 1, args.n)) + 0.5 * rng.standard_normal((B, M, args.n))
    G[: B // 50, 1] = G[: B // 50, 0]
    G[B // 50: B // 25, :, 3:] = 0.0
    K = np.einsum("bmn,bkn->bmk", G, G)
    cap = 2.0 / M
    t0 = time.perf_counter()
    ref = np.empty((B, M))
    for b in range(B):
        Kb = K[b] / K[b].diagonal().max()
        ref[b], _ = active_set_weights(Kb, cap)
    t_np = time.perf_counter() - t0
    print(f"device {args.device}, B = {B}, M = {M}, C = {cap:g}, torch threads {torch.get_num_threads()}")
    print(f"numpy active-set loop: {t_np * 1e3:9.1f} ms")
    for dt in (torch.float64, torch.float32):
        Kt = torch.tensor(K, dtype=dt, device=args.device)
        solve_gram_batch(Kt[:16], cap)  # warm-up
        times = []
        for _ in range(args.repeats):
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            alpha, gap = solve_gram_batch(Kt, cap)
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            times.append(time.perf_counter() - t0)
        t = float(np.median(times))
        Kn = K / np.max(np.diagonal(K, axis1=1, axis2=2), axis=1)[:, None, None]
        a = alpha.double().cpu().numpy()
        obj_diff = np.abs(np.einsum("bi,bij,bj->b", a, Kn, a) - np.einsum("bi,bij,bj->b", ref, Kn, ref)).max()
        print(f"torch {str(dt):14}: {t * 1e3:9.1f} ms  speed-up {t_np / t:6.1f}x  worst gap {gap.max().item():.2e}"
              f"  max |obj - numpy obj| {obj_diff:.1e}")


if __name__ == "__main__":
    main()
