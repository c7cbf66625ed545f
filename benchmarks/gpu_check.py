"""The GPU checks, as ONE short script (run it on a machine with CUDA; ~1-2 minutes).

1. The batched torch solver on CUDA (B = 4096, M = 8, float64 and float32): time vs
   the numpy active-set loop, worst certified gap, agreement with the CPU answer.
2. A short AE-KD training run on CUDA (digits, 60 steps, validate every step, in
   the params and logits spaces): every validation must pass.
3. The same steps' alpha and d on CUDA vs the float64 CPU oracle for the step's G.

    python benchmarks/gpu_check.py            # exits 1 if a check fails, 2 without CUDA
"""

from __future__ import annotations

import sys
import tempfile
import time

import numpy as np
import torch

from aekd_verify import solve
from aekd_verify.solvers._active_set import active_set_weights
from aekd_verify.solvers._torch import solve_gram_batch


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check")
        return 2
    dev = torch.device("cuda")
    print("device:", torch.cuda.get_device_name(0), "torch", torch.__version__)
    ok = True
    rng = np.random.default_rng(0)
    B, M = 4096, 8
    G = rng.standard_normal((B, 1, 32)) + 0.5 * rng.standard_normal((B, M, 32))
    G[:80, 1] = G[:80, 0]
    G[80:160, :, 3:] = 0
    K = np.einsum("bmn,bkn->bmk", G, G)
    t0 = time.perf_counter()
    ref = np.stack([active_set_weights(K[b] / K[b].diagonal().max(), 0.25)[0] for b in range(B)])
    t_np = time.perf_counter() - t0
    Kn = K / np.max(np.diagonal(K, axis1=1, axis2=2), axis=1)[:, None, None]
    for dt, target in ((torch.float64, 1e-12), (torch.float32, 1e-6)):
        Kt = torch.tensor(K, dtype=dt, device=dev)
        solve_gram_batch(Kt[:16], 0.25)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        alpha, gap = solve_gram_batch(Kt, 0.25)
        torch.cuda.synchronize()
        t = time.perf_counter() - t0
        a = alpha.double().cpu().numpy()
        obj = np.abs(np.einsum("bi,bij,bj->b", a, Kn, a) - np.einsum("bi,bij,bj->b", ref, Kn, ref)).max()
        good = gap.max().item() <= target and obj <= 10 * target
        ok &= good
        print(f"[{'ok' if good else 'FAIL'}] torch solver {dt}: {t * 1e3:.1f} ms vs numpy loop {t_np * 1e3:.0f} ms "
              f"({t_np / t:.0f}x), worst gap {gap.max().item():.2e}, max objective diff vs CPU {obj:.1e}")
    from aekd_verify.train import TrainConfig, train

    for space in ("params", "logits"):
        with tempfile.TemporaryDirectory() as tmp:
            cfg = TrainConfig(space=space, device="cuda", max_steps=60, validate_every=1, cvxpy_every=10,
                              out_dir=tmp, cache_dir=f"{tmp}/cache", teacher_epochs=10)
            res = train(cfg)
            good = res.validation_failures == 0 and res.device.startswith("cuda")
            ok &= good
            print(f"[{'ok' if good else 'FAIL'}] train on {res.device}, space {space}: {res.steps} steps, "
                  f"{res.validations} validated, {res.validation_failures} failures, worst gap {res.worst_gap:.1e}, "
                  f"worst update error {res.worst_update_error:.1e}, student acc {res.student_accuracy:.3f}")
    # CUDA alpha/d vs the CPU oracle on one step's gradients
    from aekd_verify.train.data import load_dataset
    from aekd_verify.train.models import make_model
    from aekd_verify.train.weighting import step_gradients

    data = load_dataset("digits")
    student = make_model("mlp-small", data.input_shape, 10, 0).to(dev)
    teachers = [make_model(a, data.input_shape, 10, s).to(dev) for a, s in (("mlp-wide", 1), ("mlp-deep", 2), ("cnn", 3))]
    x = data.x_train[:64].to(dev)
    tl = torch.stack([t(x) for t in teachers]).detach()
    sg = step_gradients(student, x, tl, 4.0, "params")
    alpha, _ = solve_gram_batch(sg.K[None], 0.6)
    d_cuda = -(alpha[0] @ sg.G.double()).cpu().numpy()
    cpu = solve(sg.G.double().cpu().numpy(), 0.6)
    s = float(np.max(np.sum(sg.G.double().cpu().numpy() ** 2, 1)))
    diff = float(np.max(np.abs(d_cuda - cpu.d))) / np.sqrt(s)
    good = diff <= 1e-8
    ok &= good
    print(f"[{'ok' if good else 'FAIL'}] CUDA d vs CPU oracle d: max relative difference {diff:.1e}; "
          f"alpha CUDA {np.round(alpha[0].cpu().numpy(), 6).tolist()} vs CPU {np.round(cpu.alpha, 6).tolist()}")
    print("ALL GPU CHECKS PASSED" if ok else "SOME GPU CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
