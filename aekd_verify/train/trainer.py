"""The AE-KD trainer: teachers (cached), a student, the min-norm weighting, validation.

Each step: per-teacher KD losses and gradients (``weighting.py``), ``K`` (float64),
``alpha`` from the batched torch solver on CUDA (``solvers/_torch.py``, stays on the
device) or from the float64 active-set solver on the CPU (cheaper for one ``M x M``
problem; ``solver`` overrides), the update ``-sum alpha_m g_m`` (plus the cross-entropy gradient, which
is not part of the min-norm problem), and every ``validate_every`` steps the
oracle checks of ``validate.py``.  Logs one JSON line per step (``log.jsonl``, and
``log.csv`` flattened at the end); checkpoints are
written atomically and ``resume`` continues exactly where a run stopped (the data
order depends only on ``seed`` and the epoch, and the models have no randomness).
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from ..capped import frank_wolfe_gap
from ..errors import AekdError, InputError, require
from ..problem import check_cap
from ..solvers._active_set import active_set_weights
from ..solvers._torch import solve_gram_batch
from ..tolerances import VALIDATE_TOL
from .data import Dataset, load_dataset
from .models import STUDENT_SPEC, TEACHER_SPECS, make_model
from .validate import Validation, validate_step
from .weighting import SPACES, step_gradients

__all__ = ["TrainConfig", "TrainingStopped", "ValidationFailed", "train", "train_teachers", "METHODS"]

torch = require("torch", "train")
F = torch.nn.functional

#: weighting methods behind one interface: AE-KD with cap C, averaging (C = 1/M), MGDA (C = 1)
METHODS = ("aekd", "average", "mgda")


class TrainingStopped(AekdError):
    """Training stopped on a non-finite loss; the last checkpoint is left untouched."""

    exit_code = 5


class ValidationFailed(AekdError):
    """A validation against the oracle exceeded its tolerance (``on_invalid="fail"``)."""

    exit_code = 1


@dataclass
class TrainConfig:
    """Options of a training run (every field is a CLI option of ``aekd-verify train``)."""

    dataset: str = "digits"
    data_root: str | None = None
    space: str = "logits"
    method: str = "aekd"
    cap: float = 0.6
    temperature: float = 4.0
    ce_weight: float = 0.5
    epochs: int = 15
    batch_size: int = 64
    optimizer: str = "sgd"
    lr: float = 0.05
    momentum: float = 0.9
    schedule: str = "cosine"
    seed: int = 0
    device: str = "auto"
    validate_every: int = 10
    validate_tol: float = VALIDATE_TOL
    cvxpy_every: int = 10
    on_invalid: str = "fail"
    max_steps: int | None = None
    teacher_epochs: int = 40
    cache_dir: str = ".aekd-cache"
    out_dir: str = "runs/latest"
    checkpoint_every: int = 50
    resume: bool = False
    solver: str = "auto"

    def effective_cap(self, M: int) -> float:
        """The cap used: ``cap`` for AE-KD, ``1/M`` for averaging, 1 for MGDA."""
        return {"aekd": self.cap, "average": 1.0 / M, "mgda": 1.0}[self.method]

    def check(self) -> None:
        if self.space not in SPACES:
            raise InputError(f"--space must be one of {SPACES}, got {self.space!r}")
        if self.method not in METHODS:
            raise InputError(f"--method must be one of {METHODS}, got {self.method!r}")
        if self.optimizer not in ("sgd", "adam"):
            raise InputError(f"--optimizer must be sgd or adam, got {self.optimizer!r}")
        if self.schedule not in ("cosine", "constant"):
            raise InputError(f"--schedule must be cosine or constant, got {self.schedule!r}")
        if self.solver not in ("auto", "torch", "active-set"):
            raise InputError(f"--solver must be auto, torch or active-set, got {self.solver!r}")
        if self.on_invalid not in ("fail", "warn"):
            raise InputError(f"--on-invalid must be fail or warn, got {self.on_invalid!r}")
        for name in ("epochs", "batch_size", "validate_every", "teacher_epochs", "checkpoint_every"):
            if getattr(self, name) < 1:
                raise InputError(f"--{name.replace('_', '-')} must be >= 1")
        if not (self.temperature > 0 and self.lr > 0 and self.ce_weight >= 0):
            raise InputError("--temperature and --lr must be positive, --ce-weight non-negative")


def pick_device(device: str) -> "torch.device":
    """``auto``: CUDA when available, else CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except RuntimeError as exc:
        raise InputError(f"--device {device!r}: {exc}") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError("--device cuda requested but CUDA is not available")
    return dev


def _accuracy(model, x, y, device, batch: int = 512) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            correct += int((model(x[i:i + batch].to(device)).argmax(1) == y[i:i + batch].to(device)).sum())
    model.train()
    return correct / max(len(y), 1)


def train_teachers(data: Dataset, *, epochs: int, cache_dir: str | Path, device, seed: int = 0,
                   specs=TEACHER_SPECS, log: Callable[[str], None] = lambda s: None) -> list:
    """Train (or load from the cache) the teachers of ``specs``; return them frozen, in eval mode."""
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    teachers = []
    for arch, tseed in specs:
        model = make_model(arch, data.input_shape, data.classes, tseed + 100 * seed).to(device)
        path = cache / f"teacher-{data.name}-{arch}-s{tseed + 100 * seed}-e{epochs}.pt"
        if path.exists():
            model.load_state_dict(torch.load(path, map_location=device, weights_only=True))
            log(f"teacher {arch}: loaded from {path}")
        else:
            opt = torch.optim.Adam(model.parameters(), lr=3e-3)
            gen = torch.Generator().manual_seed(tseed)
            n = len(data.y_train)
            for _ in range(epochs):
                for idx in torch.randperm(n, generator=gen).split(64):
                    xb, yb = data.x_train[idx].to(device), data.y_train[idx].to(device)
                    opt.zero_grad()
                    F.cross_entropy(model(xb), yb).backward()
                    opt.step()
            _atomic_torch_save(model.state_dict(), path)
            log(f"teacher {arch}: trained {epochs} epochs, cached at {path}")
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
        teachers.append((arch, model))
    return teachers


def _atomic_torch_save(obj: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _flat_grads(params) -> "torch.Tensor":
    return torch.cat([p.grad.reshape(-1) for p in params])


@dataclass
class TrainResult:
    """Summary of a run."""

    steps: int
    teacher_accuracy: dict[str, float]
    student_accuracy: float
    validations: int
    validation_failures: int
    worst_gap: float
    worst_residual: float
    worst_eq25_slack: float
    worst_update_error: float
    seconds: float
    log_file: str
    device: str
    config: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def train(cfg: TrainConfig, *, data: Dataset | None = None, teachers: list | None = None,
          progress: Callable[[str, int, int], None] | None = None,
          log: Callable[[str], None] = lambda s: None) -> TrainResult:
    """Run AE-KD (or a baseline) as configured; see the module docstring."""
    cfg.check()
    t_start = time.perf_counter()
    device = pick_device(cfg.device)
    data = data or load_dataset(cfg.dataset, cfg.data_root)
    if teachers is None:
        teachers = train_teachers(data, epochs=cfg.teacher_epochs, cache_dir=cfg.cache_dir, device=device,
                                  log=log)
    M = len(teachers)
    cap, _ = check_cap(cfg.effective_cap(M), M)
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log_path, ckpt_path = out / "log.jsonl", out / "checkpoint.pt"
    # teacher logits on the whole training set, once (teachers are frozen)
    with torch.no_grad():
        tl_all = torch.stack([torch.cat([t(data.x_train[i:i + 512].to(device))
                                         for i in range(0, len(data.y_train), 512)]) for _, t in teachers])
    student = make_model(STUDENT_SPEC[0], data.input_shape, data.classes, STUDENT_SPEC[1] + cfg.seed).to(device)
    params = [p for p in student.parameters() if p.requires_grad]
    if cfg.optimizer == "sgd":
        opt = torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum)
    else:
        opt = torch.optim.Adam(params, lr=cfg.lr)
    n = len(data.y_train)
    spe = math.ceil(n / cfg.batch_size)
    total = cfg.epochs * spe if cfg.max_steps is None else min(cfg.max_steps, cfg.epochs * spe)
    sched = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total) if cfg.schedule == "cosine"
             else torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0))
    use_torch = cfg.solver == "torch" or (cfg.solver == "auto" and device.type == "cuda")

    def weights(K):
        """alpha (float64 tensor on the device) and its relative FW gap for the step's K."""
        if use_torch:  # batched torch solver, stays on the device
            a, g = solve_gram_batch(K[None], cap)
            return a[0], float(g[0])
        # on the CPU one M x M problem is cheapest in the float64 active-set solver
        Kn = K.cpu().numpy()
        Kn = Kn / max(float(Kn.diagonal().max()), 1e-300)
        a, _ = active_set_weights(Kn, cap)
        return torch.as_tensor(a, device=K.device), frank_wolfe_gap(Kn, a, cap)

    step = 0
    validations: list[dict] = []
    if cfg.resume and ckpt_path.exists():
        ck = torch.load(ckpt_path, map_location=device, weights_only=True)
        student.load_state_dict(ck["student"])
        opt.load_state_dict(ck["optimizer"])
        sched.load_state_dict(ck["scheduler"])
        step = int(ck["step"])
        validations = json.loads(ck["validations"])
        log(f"resumed from {ckpt_path} at step {step}")
        # keep the log consistent: drop lines written after the checkpoint
        if log_path.exists():
            kept = [ln for ln in log_path.read_text().splitlines() if json.loads(ln).get("step", -1) < step]
            log_path.write_text("".join(k + "\n" for k in kept))
    elif log_path.exists():
        log_path.unlink()

    def save_checkpoint() -> None:
        _atomic_torch_save({"student": student.state_dict(), "optimizer": opt.state_dict(),
                            "scheduler": sched.state_dict(), "step": step,
                            "validations": json.dumps(validations), "config": json.dumps(asdict(cfg))}, ckpt_path)

    student.train()
    perm_epoch, perm = -1, None
    with open(log_path, "a") as logf:
        while step < total:
            epoch, b = divmod(step, spe)
            if epoch != perm_epoch:  # the data order depends only on (seed, epoch): resume-exact
                perm = torch.randperm(n, generator=torch.Generator().manual_seed(cfg.seed * 100_003 + epoch))
                perm_epoch = epoch
            idx = perm[b * cfg.batch_size:(b + 1) * cfg.batch_size]
            x, y = data.x_train[idx].to(device), data.y_train[idx].to(device)
            tl = tl_all[:, idx.to(device)]
            sg = step_gradients(student, x, tl, cfg.temperature, cfg.space, keep_graph=cfg.ce_weight > 0)
            if not bool(torch.isfinite(sg.losses).all()):
                raise TrainingStopped(f"non-finite distillation loss at step {step} (losses "
                                      f"{sg.losses.tolist()}); stopped, last checkpoint kept at {ckpt_path}")
            alpha64, gap = weights(sg.K)
            alpha = alpha64.to(sg.G.dtype)
            kd = (alpha * sg.losses).sum()
            validating = step % cfg.validate_every == 0
            ce = F.cross_entropy(sg.logits, y)
            if not bool(torch.isfinite(ce)):
                raise TrainingStopped(f"non-finite cross-entropy at step {step}; stopped, last checkpoint kept")
            if cfg.space == "params":  # d = -sum alpha_m g_m applied directly: no second backward
                applied_kd = -(alpha @ sg.G)
                kd_grads, offset = [], 0
                for p in params:
                    kd_grads.append((-applied_kd[offset:offset + p.numel()]).view_as(p))
                    offset += p.numel()
                ce_grads = torch.autograd.grad(ce, params) if cfg.ce_weight > 0 else None
                grads = [gk + cfg.ce_weight * gc for gk, gc in zip(kd_grads, ce_grads)] if ce_grads else kd_grads
            else:  # logit spaces: ONE backward of sum alpha_m d l_m / d logits (+ the CE term)
                gz_kd = torch.einsum("m,mbc->bc", alpha, sg.logit_grads)
                if validating:  # keep the KD part separate so the oracle can check it
                    kd_grads = torch.autograd.grad(sg.logits, params, grad_outputs=gz_kd, retain_graph=True)
                    applied_kd = -torch.cat([g.reshape(-1) for g in kd_grads])
                    ce_grads = torch.autograd.grad(ce, params)
                    grads = [gk + cfg.ce_weight * gc for gk, gc in zip(kd_grads, ce_grads)]
                else:
                    onehot = F.one_hot(y, sg.logits.shape[1]).to(sg.logits.dtype)
                    gz_ce = (F.softmax(sg.logits.detach(), dim=1) - onehot) / len(y)  # d CE / d logits
                    grads = torch.autograd.grad(sg.logits, params, grad_outputs=gz_kd + cfg.ce_weight * gz_ce)
            for p, g in zip(params, grads):
                p.grad = g
            record: dict[str, Any] = {
                "step": step, "epoch": epoch, "lr": sched.get_last_lr()[0],
                "kd_losses": sg.losses.tolist(), "ce": float(ce.detach()), "alpha": alpha64.tolist(),
                "d_norm_sq": float(alpha64 @ sg.K.double() @ alpha64), "gap": gap,
                "batch_acc": float((sg.logits.argmax(1) == y).float().mean()),
            }
            if validating:
                with_cvxpy = (len(validations) % cfg.cvxpy_every) == 0
                v = validate_step(step, G=sg.G, alpha=alpha64, cap=cap, applied_kd_update=applied_kd,
                                  student=student, x=x, teacher_logits=tl, T=cfg.temperature,
                                  tol=cfg.validate_tol, with_cvxpy=with_cvxpy)
                validations.append(v.to_dict())
                record["validation"] = v.to_dict()
                if not v.ok:
                    msg = f"validation failed at step {step}: {', '.join(v.failed)}"
                    if cfg.on_invalid == "fail":
                        logf.write(json.dumps(record) + "\n")
                        raise ValidationFailed(msg)
                    log(f"warning: {msg}")
            opt.step()
            sched.step()
            step += 1
            if step % spe == 0 or step == total:
                record["test_acc"] = _accuracy(student, data.x_test, data.y_test, device)
            logf.write(json.dumps(record) + "\n")
            logf.flush()
            if step % cfg.checkpoint_every == 0 or step == total:
                save_checkpoint()
            if progress:
                progress(f"step {step} loss {float(kd.detach()):.3f}", step, total)
    vals = [Validation(**{k: (tuple(v) if k == "failed" else v) for k, v in d.items()}) for d in validations]
    res = TrainResult(
        steps=step,
        teacher_accuracy={arch: _accuracy(t, data.x_test, data.y_test, device) for arch, t in teachers},
        student_accuracy=_accuracy(student, data.x_test, data.y_test, device),
        validations=len(vals), validation_failures=sum(not v.ok for v in vals),
        worst_gap=max((abs(v.frank_wolfe_gap) for v in vals), default=0.0),
        worst_residual=max((v.worst_residual for v in vals), default=0.0),
        worst_eq25_slack=min((v.eq25_worst_slack for v in vals), default=0.0),
        worst_update_error=max((v.update_rel_error for v in vals), default=0.0),
        seconds=time.perf_counter() - t_start, log_file=str(log_path), device=str(device),
        config={f.name: getattr(cfg, f.name) for f in fields(cfg)},
    )
    (out / "summary.json").write_text(json.dumps(res.to_dict(), indent=2) + "\n")
    _write_csv(log_path, out / "log.csv", M)
    return res


def _write_csv(log_path: Path, csv_path: Path, M: int) -> None:
    """The JSONL log flattened to CSV (one row per step; alpha and losses per teacher)."""
    import csv

    cols = ["step", "epoch", "lr", "ce", "d_norm_sq", "gap", "batch_acc", "test_acc"]
    cols += [f"alpha_{m + 1}" for m in range(M)] + [f"kd_loss_{m + 1}" for m in range(M)]
    cols += ["validated", "validation_ok", "validation_worst_residual", "validation_eq25_worst_slack"]
    tmp = csv_path.with_name(f".{csv_path.name}.tmp")
    with open(log_path) as src, open(tmp, "w", newline="") as dst:
        w = csv.writer(dst)
        w.writerow(cols)
        for line in src:
            r = json.loads(line)
            v = r.get("validation") or {}
            w.writerow([r["step"], r["epoch"], r["lr"], r["ce"], r["d_norm_sq"], r["gap"], r["batch_acc"],
                        r.get("test_acc", "")] + r["alpha"] + r["kd_losses"]
                       + [bool(v), v.get("ok", ""), v.get("worst_residual", ""), v.get("eq25_worst_slack", "")])
    os.replace(tmp, csv_path)
