"""Small teacher and student networks (different architectures, so teachers disagree)."""

from __future__ import annotations

from ..errors import require

__all__ = ["make_model", "TEACHER_SPECS", "STUDENT_SPEC"]

torch = require("torch", "train")
nn = torch.nn

#: (architecture, seed) of the default teachers
TEACHER_SPECS = (("mlp-wide", 1), ("mlp-deep", 2), ("cnn", 3))
STUDENT_SPEC = ("mlp-small", 0)


def make_model(arch: str, input_shape: tuple[int, ...], classes: int, seed: int) -> "nn.Module":
    """A freshly initialised model; ``seed`` fixes its initial weights."""
    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        flat = 1
        for s in input_shape:
            flat *= s
        if arch == "mlp-wide":
            m = nn.Sequential(nn.Flatten(), nn.Linear(flat, 256), nn.ReLU(), nn.Linear(256, classes))
        elif arch == "mlp-deep":
            m = nn.Sequential(nn.Flatten(), nn.Linear(flat, 96), nn.Tanh(), nn.Linear(96, 96), nn.Tanh(),
                              nn.Linear(96, classes))
        elif arch == "cnn":
            c = input_shape[0]
            side = input_shape[1] // 2 // 2
            m = nn.Sequential(nn.Conv2d(c, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(32 * side * side, classes))
        elif arch == "mlp-small":
            m = nn.Sequential(nn.Flatten(), nn.Linear(flat, 32), nn.ReLU(), nn.Linear(32, classes))
        else:
            raise ValueError(f"unknown architecture {arch!r}")
    finally:
        torch.random.set_rng_state(gen_state)
    return m
