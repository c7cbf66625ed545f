"""Data sets for the trainer: scikit-learn's bundled digits (no download), CIFAR on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, require

__all__ = ["Dataset", "load_dataset"]


@dataclass(frozen=True)
class Dataset:
    """Tensors ``x_train`` ``(N, *shape)``, ``y_train`` ``(N,)``, the same for test; ``classes``."""

    name: str
    x_train: object
    y_train: object
    x_test: object
    y_test: object
    classes: int

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])


def _digits(seed: int = 0) -> Dataset:
    torch = require("torch", "train")
    datasets = require("sklearn.datasets", "train")
    d = datasets.load_digits()  # 1797 8x8 images, shipped inside scikit-learn
    x = (d.images.astype(np.float32) / 16.0)[:, None, :, :]  # (N, 1, 8, 8) in [0, 1]
    y = d.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = 360
    te, tr = order[:n_test], order[n_test:]
    t = torch.from_numpy
    return Dataset("digits", t(x[tr]), t(y[tr]), t(x[te]), t(y[te]), 10)


def _cifar(name: str, root: Path) -> Dataset:
    torch = require("torch", "train")
    tv = require("torchvision", "cifar")
    cls = {"cifar10": tv.datasets.CIFAR10, "cifar100": tv.datasets.CIFAR100}[name]
    try:
        train = cls(root=str(root), train=True, download=False)
        test = cls(root=str(root), train=False, download=False)
    except RuntimeError as exc:
        raise InputError(f"{name} not found under {root} ({exc}); download it there first") from None

    def conv(ds):
        x = torch.from_numpy(np.asarray(ds.data, dtype=np.float32) / 255.0).permute(0, 3, 1, 2).contiguous()
        return x, torch.tensor(ds.targets, dtype=torch.int64)

    xtr, ytr = conv(train)
    xte, yte = conv(test)
    return Dataset(name, xtr, ytr, xte, yte, 10 if name == "cifar10" else 100)


def load_dataset(name: str = "digits", data_root: str | Path | None = None) -> Dataset:
    """``digits`` (bundled, default), or ``cifar10``/``cifar100`` from ``data_root`` (torchvision)."""
    if name == "digits":
        return _digits()
    if name in ("cifar10", "cifar100"):
        if data_root is None:
            raise InputError(f"--dataset {name} needs --data-root DIR with the extracted data set")
        return _cifar(name, Path(data_root))
    raise InputError(f"unknown dataset {name!r}; choose digits, cifar10 or cifar100")
