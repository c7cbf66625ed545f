"""Benchmark: AE-KD step time vs averaged KD on the same model and batch, in one run.

For M in {2, 4, 8} teachers (random-initialised, only their logits matter here),
it times one training step (forward, weighting, backward, optimizer step) of

* averaged KD: ``sum_m l_m / M`` backward (the baseline),
* AE-KD ``--space logits``: per-teacher logit gradients (closed form), K, the weights, one backward,
* AE-KD ``--space params``: M parameter gradients in one batched backward, K, d applied,

and prints the medians and the ratios AE-KD / averaged (targets: logits <= 1.15x;
params well below M + 1).

    python benchmarks/bench_trainer_step.py [--device cpu|cuda] [--batch 64]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from aekd_verify.solvers._active_set import active_set_weights
from aekd_verify.solvers._torch import solve_gram_batch
from aekd_verify.train.models import make_model
from aekd_verify.train.weighting import kd_losses, step_gradients


def timed(fn, device, repeats):
    for _ in range(10):  # warm-up (allocator, thread pool)
        fn()
    out = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--arch", default="mlp-wide", help="student architecture (a bigger one than the default)")
    ap.add_argument("--input", default="1x8x8", help="input shape CxHxW, e.g. 3x32x32 (CIFAR-sized)")
    ap.add_argument("--solver", default="auto", help="auto: torch on CUDA, numpy active-set on the CPU; or torch")
    args = ap.parse_args()
    dev = torch.device(args.device)
    torch.manual_seed(0)
    shape = tuple(int(v) for v in args.input.split("x"))
    x = torch.rand(args.batch, *shape, device=dev)
    print(f"device {dev}, batch {args.batch}, input {args.input}, student {args.arch}, solver {args.solver}, "
          f"threads {torch.get_num_threads()}")
    print(f"{'M':>3} {'avg ms':>8} {'logits ms':>10} {'ratio':>6} {'params ms':>10} {'ratio':>6}")
    for M in (2, 4, 8):
        student = make_model(args.arch, shape, 10, 0).to(dev)
        params = list(student.parameters())
        opt = torch.optim.SGD(params, lr=1e-3)
        tl = torch.randn(M, args.batch, 10, device=dev)

        def averaged():
            opt.zero_grad()
            kd_losses(student(x), tl, 4.0).mean().backward()
            opt.step()

        def weights(K):
            if dev.type == "cuda" or args.solver == "torch":
                return solve_gram_batch(K[None], 0.6)[0][0]
            Kn = K.numpy()
            return torch.as_tensor(active_set_weights(Kn / Kn.diagonal().max(), 0.6)[0])

        def aekd_logits():
            opt.zero_grad()
            sg = step_gradients(student, x, tl, 4.0, "logits")
            alpha = weights(sg.K)
            sg.logits.backward(torch.einsum("m,mbc->bc", alpha.to(sg.logits.dtype), sg.logit_grads))
            opt.step()

        def aekd_params():
            opt.zero_grad()
            sg = step_gradients(student, x, tl, 4.0, "params")
            alpha = weights(sg.K)
            d = -(alpha.to(sg.G.dtype) @ sg.G)
            offset = 0
            for p in params:
                p.grad = (-d[offset:offset + p.numel()]).view_as(p)
                offset += p.numel()
            opt.step()

        ta = timed(averaged, dev, args.repeats)
        tlg = timed(aekd_logits, dev, args.repeats)
        tp = timed(aekd_params, dev, args.repeats)
        print(f"{M:>3} {ta * 1e3:>8.3f} {tlg * 1e3:>10.3f} {tlg / ta:>6.2f} {tp * 1e3:>10.3f} {tp / ta:>6.2f}")


if __name__ == "__main__":
    main()
