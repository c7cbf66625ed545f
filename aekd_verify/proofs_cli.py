"""``aekd-verify proofs``: run the sympy proof steps in ``proofs/`` and tabulate them.

Each ``proofs/step*.py`` exposes ``STEP``, ``SEED`` and ``checks()``; a step passes
when every claim PASSES and every negative control FAILS.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import click

from .cli_support import guard as _guard
from .errors import InputError

__all__ = ["run_proofs", "proofs", "default_proofs_dir"]


def default_proofs_dir() -> Path:
    """``proofs/`` beside the package (a source checkout or an editable install)."""
    return Path(__file__).resolve().parent.parent / "proofs"


def run_proofs(directory: Path | None = None, progress=None) -> dict[str, Any]:
    """Run every step; return ``{"steps": [...], "ok": bool, "seconds": float}``."""
    directory = Path(directory) if directory is not None else default_proofs_dir()
    files = sorted(directory.glob("step*.py"))
    if not files:
        raise InputError(f"no proof steps (step*.py) found in {directory}; pass --dir to the proofs/ folder "
                         "of a source checkout")
    sys.path.insert(0, str(directory))
    steps = []
    t0 = time.perf_counter()
    try:
        for i, path in enumerate(files):
            if progress:
                progress(path.stem, i, len(files))
            spec = importlib.util.spec_from_file_location(f"aekd_proofs_{path.stem}", path)
            mod = importlib.util.module_from_spec(spec)
            assert spec.loader is not None
            t1 = time.perf_counter()
            spec.loader.exec_module(mod)
            checks = mod.checks()
            steps.append({
                "file": path.name, "step": mod.STEP, "seed": mod.SEED,
                "seconds": time.perf_counter() - t1,
                "ok": all(c.ok for c in checks),
                "checks": [{"name": c.name, "control": c.control, "passed": c.passed, "ok": c.ok,
                            "detail": c.detail} for c in checks],
            })
        if progress:
            progress("done", len(files), len(files))
    finally:
        sys.path.remove(str(directory))
    return {"steps": steps, "ok": all(s["ok"] for s in steps), "seconds": time.perf_counter() - t0}


@click.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The proofs/ folder (default: beside the package).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the results here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@_guard
def proofs(directory: Path | None, json_file: Path | None, quiet: bool) -> None:
    """Machine-check each step of the proof of Theorem 1 (exit 1 on any failure)."""
    from rich.table import Table

    from .io import write_json_atomic
    from .progress import console, progress_bar

    with progress_bar("proofs", enabled=not quiet) as update:
        res = run_proofs(directory, update)
    table = Table(title="Proof of Theorem 1, machine-checked with sympy")
    for col in ("step", "seed eqs", "claims", "controls rejected", "verdict"):
        table.add_column(col)
    for s in res["steps"]:
        claims = [c for c in s["checks"] if not c["control"]]
        controls = [c for c in s["checks"] if c["control"]]
        table.add_row(s["step"], s["seed"], f"{sum(c['passed'] for c in claims)}/{len(claims)} PASS",
                      f"{sum(not c['passed'] for c in controls)}/{len(controls)} FAIL as intended",
                      "[green]PASS[/green]" if s["ok"] else "[red]FAIL[/red]")
    console.print(table)
    for s in res["steps"]:
        for c in s["checks"]:
            if not c["ok"]:
                console.print(f"[red]unexpected[/red] {s['file']}: {c['name']} ({c['detail']})")
    if json_file is not None:
        write_json_atomic(json_file, res)
    sys.exit(0 if res["ok"] else 1)
