"""``aekd-verify conformance``: run the conformance kit against a target solver."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from .cli_support import guard
from .errors import InputError
from .tolerances import CONFORMANCE_TOL


def _parse_range(text: str) -> tuple[float, float]:
    try:
        lo, hi = text.split(":")
        return float(lo or 0.0), (math.inf if hi in ("", "inf") else float(hi))
    except ValueError:
        raise InputError(f"--cap-range must look like LO:HI (e.g. 1:inf), got {text!r}") from None


@click.command()
@click.argument("target", required=False)
@click.option("--cmd", default=None, help='An external program: run as CMD GRADS.npy --cap C, prints JSON weights.')
@click.option("--profile", type=click.Choice(["tiny", "quick", "thorough"]), default="quick", show_default=True)
@click.option("--tol", type=float, default=CONFORMANCE_TOL, show_default=True, help="Relative certified (Frank-Wolfe) gap.")
@click.option("--cap-range", default="0:inf", show_default=True, help="Caps the target claims to handle, LO:HI.")
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Seconds per call.")
@click.option("--families", default=None, help="Comma-separated problem families (default: all).")
@click.option("--examples", type=click.IntRange(1), default=None, help="Examples per family (overrides the profile).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@guard
def conformance(target: str | None, cmd: str | None, profile: str, tol: float, cap_range: str, timeout: float,
                families: str | None, examples: int | None, json_file: Path | None, quiet: bool) -> None:
    """Test TARGET (package.module:function taking K and C) or --cmd against the oracle.

    Exit 0 only if every answer conforms; 1 otherwise; 2 on bad input.
    """
    from .conformance import CommandTarget, load_target, run_conformance
    from .strategies import FAMILIES
    from .io import write_json_atomic
    from .progress import progress_bar

    if (target is None) == (cmd is None):
        raise InputError("give exactly one of TARGET (package.module:function) or --cmd 'PROGRAM ...'")
    if cmd is not None:
        fn, name = CommandTarget(cmd, timeout=timeout), cmd
    else:
        sys.path.insert(0, str(Path.cwd()))
        fn, name = load_target(target), target
    fams = FAMILIES if families is None else tuple(f.strip() for f in families.split(","))
    unknown = set(fams) - set(FAMILIES)
    if unknown:
        raise InputError(f"unknown families {sorted(unknown)}; known: {', '.join(FAMILIES)}")
    with progress_bar("conformance", enabled=not quiet) as update:
        report = run_conformance(fn, name=name, profile=profile, tol=tol, cap_range=_parse_range(cap_range),
                                 timeout=timeout + (5.0 if cmd else 0.0), families=fams, examples=examples,
                                 progress=update)
    click.echo(report.summary(), err=True)  # plain text: counterexamples stay on one line for pasting
    if json_file is not None:
        write_json_atomic(json_file, report.to_dict())
    sys.exit(0 if report.ok else 1)
