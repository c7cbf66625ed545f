"""The PyTorch AE-KD trainer (needs the ``train`` extra: ``pip install 'aekd-verify[train]'``).

Names are imported lazily so that ``aekd_verify.train.cli`` loads without torch and
a missing extra becomes a clear message only when training is asked for.
"""

from __future__ import annotations

__all__ = ["METHODS", "TrainConfig", "TrainingStopped", "ValidationFailed", "train", "train_teachers"]


def __getattr__(name: str):
    if name in __all__:
        from . import trainer

        return getattr(trainer, name)
    raise AttributeError(name)
