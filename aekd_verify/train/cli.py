"""``aekd-verify train``: AE-KD (or a baseline) with step-by-step validation against the oracle.

Imports torch only when the command runs, so the rest of the CLI works without
the ``train`` extra.
"""

from __future__ import annotations

import json
import sys

import click

from ..cli_support import guard
from ..tolerances import VALIDATE_TOL


@click.command()
@click.option("--dataset", default="digits", show_default=True, help="digits (bundled), cifar10, cifar100.")
@click.option("--data-root", default=None, help="Folder with CIFAR data (torchvision layout).")
@click.option("--space", type=click.Choice(["params", "logits", "logits-mean"]), default="logits", show_default=True,
              help="Where the teachers' gradients g_m are taken.")
@click.option("--method", type=click.Choice(["aekd", "average", "mgda"]), default="aekd", show_default=True,
              help="aekd: cap C; average: C = 1/M; mgda: C = 1.")
@click.option("--cap", type=float, default=0.6, show_default=True, help="The cap C for --method aekd.")
@click.option("--temperature", type=float, default=4.0, show_default=True)
@click.option("--ce-weight", type=float, default=0.5, show_default=True,
              help="Weight of the cross-entropy term (not part of the min-norm problem).")
@click.option("--epochs", type=int, default=15, show_default=True)
@click.option("--batch-size", type=int, default=64, show_default=True)
@click.option("--optimizer", type=click.Choice(["sgd", "adam"]), default="sgd", show_default=True)
@click.option("--lr", type=float, default=0.05, show_default=True)
@click.option("--momentum", type=float, default=0.9, show_default=True)
@click.option("--schedule", type=click.Choice(["cosine", "constant"]), default="cosine", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--device", default="auto", show_default=True, help="auto (CUDA if available), cpu, cuda, cuda:1, ...")
@click.option("--validate-every", type=int, default=10, show_default=True, help="Validate every k steps.")
@click.option("--validate-tol", type=float, default=VALIDATE_TOL, show_default=True, help="Relative tolerance.")
@click.option("--cvxpy-every", type=int, default=10, show_default=True,
              help="Also cross-check with cvxpy on every k-th validation.")
@click.option("--on-invalid", type=click.Choice(["fail", "warn"]), default="fail", show_default=True)
@click.option("--max-steps", type=int, default=None, help="Stop after this many steps.")
@click.option("--teacher-epochs", type=int, default=40, show_default=True)
@click.option("--cache-dir", default=".aekd-cache", show_default=True, help="Where trained teachers are cached.")
@click.option("--out", "out_dir", default="runs/latest", show_default=True,
              help="Log (log.jsonl), checkpoint and summary.json go here.")
@click.option("--checkpoint-every", type=int, default=50, show_default=True)
@click.option("--solver", type=click.Choice(["auto", "torch", "active-set"]), default="auto", show_default=True,
              help="Weights solver: auto = torch on CUDA, float64 active-set on the CPU.")
@click.option("--resume", is_flag=True, help="Continue from OUT/checkpoint.pt exactly.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@guard
def train(quiet: bool, **options) -> None:
    """Train a student from M teachers with AE-KD; validate each k-th step against the oracle.

    Exit codes: 0 done and every validation passed; 1 a validation failed; 2 bad
    input; 5 stopped on a non-finite loss.
    """
    from ..errors import require

    require("torch", "train")
    from ..progress import console, progress_bar
    from .trainer import TrainConfig
    from .trainer import train as run

    cfg = TrainConfig(**options)
    with progress_bar("train", enabled=not quiet) as update:
        res = run(cfg, progress=update, log=lambda s: console.print(s))
    click.echo(json.dumps(res.to_dict(), indent=2))
    console.print(f"student test accuracy {res.student_accuracy:.4f}; teachers "
                  + ", ".join(f"{k} {v:.4f}" for k, v in res.teacher_accuracy.items()))
    console.print(f"validated {res.validations} steps: {res.validation_failures} failures, worst gap "
                  f"{res.worst_gap:.2e}, worst residual {res.worst_residual:.2e}, worst Eq. (25) slack "
                  f"{res.worst_eq25_slack:.2e}, worst update error {res.worst_update_error:.2e}")
    sys.exit(0 if res.validation_failures == 0 else 1)
