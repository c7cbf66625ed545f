"""Benchmark: active-set vs cvxpy-dual vs the cost of forming K, in one run.

For each cell (M, n) it times, as medians over repeats on the same data:

* ``K``       forming the Gram matrix ``G G^T`` alone (BLAS),
* ``as``      ``solve(G, C, "active-set")`` end to end (K, weights, ``d = -G^T alpha``,
              certificate),
* ``as_K``    the active-set solve given ``K`` (weights, v, xi, certificate),
* ``cvx_K``   ``cvxpy-dual`` given ``K``,

and prints the speed-up ``cvx_K / as_K``, the ratio ``as / K`` and the certified
relative Frank--Wolfe gap of each solver.

    python benchmarks/bench_solvers.py            # full grid (needs ~2 GB, a few minutes)
    python benchmarks/bench_solvers.py --quick    # n = 1e3 only
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from aekd_verify import Problem
from aekd_verify.solvers import solve_problem


def median_time(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cap", type=float, default=None, help="cap C (default 2/M: cap active)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    Ms = [2, 4, 8, 16, 32, 64]
    ns = [1000] if args.quick else [1000, 100_000, 1_000_000]
    rng = np.random.default_rng(args.seed)
    solve_problem(Problem.from_gradients(rng.standard_normal((3, 3)), 1.0), "cvxpy-dual")  # warm-up
    print(f"{'M':>3} {'n':>8} {'K ms':>9} {'as ms':>9} {'as/K':>6} {'as_K ms':>8} {'cvx_K ms':>9} "
          f"{'speedup':>8} {'gap as':>9} {'gap cvx':>9}")
    for n in ns:
        for M in Ms:
            # correlated teachers, as in real ensembles: shared component + noise
            G = rng.standard_normal(n) + 0.5 * rng.standard_normal((M, n))
            C = args.cap if args.cap is not None else min(1.0, 2.0 / M)
            reps = 7 if n <= 100_000 else 3
            tK, K = median_time(lambda: G @ G.T, reps)
            tas, sol = median_time(lambda: solve_problem(Problem.from_gradients(G, C), "active-set"), reps)
            pK = Problem.from_gram(K, C)
            tasK, solK = median_time(lambda: solve_problem(pK, "active-set"), max(reps, 21))
            tcvx, solc = median_time(lambda: solve_problem(pK, "cvxpy-dual"), 5)
            print(f"{M:>3} {n:>8} {tK*1e3:>9.3f} {tas*1e3:>9.3f} {tas/tK:>6.2f} {tasK*1e3:>8.3f} "
                  f"{tcvx*1e3:>9.3f} {tcvx/tasK:>8.1f} {abs(sol.certificate.frank_wolfe_gap):>9.1e} "
                  f"{abs(solc.certificate.frank_wolfe_gap):>9.1e}", flush=True)


if __name__ == "__main__":
    main()
