"""Safe reading of gradient and weight files, atomic writing of results.

Formats (DESIGN §4): ``.npy`` (read without pickle), ``.npz`` (key ``G``, or a
single array; without pickle), ``.pt`` (a tensor, ``torch.load(weights_only=True)``),
``.json`` (a list of rows, or an object with key ``G``).  Weight files: ``.json``
(a list, or an object with key ``alpha`` -- so ``aekd-verify solve`` output can be
fed to ``certify`` unchanged) or ``.npy``.  Any failure is an :class:`InputError`
naming the file and the reason.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, MissingExtraError, require

__all__ = ["load_array", "load_gradients", "load_alpha", "write_json_atomic", "dumps"]


def _json_load(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None


def load_array(path: str | os.PathLike, *, key: str = "G") -> np.ndarray:
    """Load one numeric array from ``path`` (format by suffix), safely."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".npy":
            arr = np.load(p, allow_pickle=False)
        elif suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                names = list(z.keys())
                if key in names:
                    arr = z[key]
                elif len(names) == 1:
                    arr = z[names[0]]
                else:
                    raise InputError(f"{p}: .npz holds {names}; expected key '{key}' or a single array")
        elif suffix == ".pt":
            torch = require("torch", "train")
            obj = torch.load(p, map_location="cpu", weights_only=True)
            if isinstance(obj, dict) and key in obj:
                obj = obj[key]
            if not isinstance(obj, torch.Tensor):
                raise InputError(f"{p}: expected a tensor in the .pt file, found {type(obj).__name__}")
            arr = obj.detach().cpu().double().numpy()
        elif suffix == ".json":
            obj = _json_load(p)
            if isinstance(obj, dict):
                if key not in obj:
                    raise InputError(f"{p}: JSON object has no key '{key}' (keys: {sorted(obj)})")
                obj = obj[key]
            try:
                arr = np.array(obj, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise InputError(f"{p}: key '{key}' is not a rectangular numeric array ({exc})") from None
        else:
            raise InputError(f"{p}: unknown format '{suffix}'; use .npy, .npz, .pt or .json")
    except (InputError, MissingExtraError):
        raise
    except Exception as exc:  # noqa: BLE001 - any loader failure becomes a clear input error
        raise InputError(f"{p}: could not be read as {suffix} ({type(exc).__name__}: {exc})") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise InputError(f"{p}: expected a numeric array, got dtype {arr.dtype}")
    return arr


def load_gradients(path: str | os.PathLike) -> np.ndarray:
    """The gradient matrix ``G`` from ``path``."""
    return load_array(path, key="G")


def load_alpha(path: str | os.PathLike) -> np.ndarray:
    """A weight vector from ``path`` (``.json`` list or ``{"alpha": [...]}``, ``.npy``, ...)."""
    arr = load_array(path, key="alpha")
    if arr.ndim != 1:
        raise InputError(f"{path}: weights must be a 1-D vector, got shape {arr.shape}")
    return arr.astype(np.float64)


def dumps(obj: Any) -> str:
    """JSON text; non-finite floats are an error, never emitted as NaN."""
    return json.dumps(obj, indent=2, allow_nan=False)


def write_json_atomic(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` as JSON to ``path`` via a temporary file and an atomic rename."""
    write_text_atomic(path, dumps(obj) + "\n")


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (no half-written file on failure)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
