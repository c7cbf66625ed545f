"""Exception hierarchy of aekd-verify.

Every error the package raises on purpose derives from :class:`AekdError`, so a
caller can catch one type.  The CLI maps each class to a documented exit code
(DESIGN §4): bad input -> 2, infeasible cap -> 3.
"""

from __future__ import annotations

__all__ = [
    "AekdError",
    "InputError",
    "InfeasibleCapError",
    "SolverError",
    "MissingExtraError",
]


class AekdError(Exception):
    """Base class of every error raised by aekd-verify on purpose."""

    exit_code = 2


class InputError(AekdError, ValueError):
    """The input (array, cap, file, option) is malformed; the message names it."""

    exit_code = 2


class InfeasibleCapError(AekdError, ValueError):
    """``C < 1/M``: the dual (22) is empty and the primal (17) is unbounded below."""

    exit_code = 3


class SolverError(AekdError, RuntimeError):
    """A solver did not reach a certified optimum; never returned as an answer."""

    exit_code = 4


class MissingExtraError(AekdError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    exit_code = 2


def require(module: str, extra: str):
    """Import ``module`` or raise :class:`MissingExtraError` naming ``extra``."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"this feature needs the optional dependency '{module}'; "
            f"install it with: pip install 'aekd-verify[{extra}]'"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - e.g. a torchvision built for another torch
        raise MissingExtraError(
            f"the optional dependency '{module}' is installed but failed to import "
            f"({type(exc).__name__}: {exc}); reinstall it with: pip install 'aekd-verify[{extra}]'"
        ) from exc
