"""``aekd-verify report``: the main job."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_support import guard


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Report folder (default: reports/<date>-<commit>).")
@click.option("--profile", type=click.Choice(["tiny", "quick", "thorough"]), default="quick", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--cache-dir", default=".aekd-cache", show_default=True, help="Where trained teachers are cached.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@guard
def report(out: Path | None, profile: str, seed: int, cache_dir: str, quiet: bool) -> None:
    """Run proofs, battery, cross-check, benchmark and a validated training run; write the report.

    Exit 1 if any claim that should hold failed, any negative control passed, any
    proof step failed or a trainer validation failed (the report is still written).
    """
    from ..progress import console, progress_bar
    from .build import build_report

    with progress_bar("report", enabled=not quiet) as update:
        folder, results = build_report(out, profile=profile, seed=seed, progress=update, cache_dir=cache_dir)
    meta = results["meta"]
    console.print(f"report written to {folder}/ (report.md, index.html, results.json) in {meta['seconds']:.1f} s")
    if meta["ok"]:
        console.print("[green]verification PASSED[/green]")
    else:
        for f in meta["failures"]:
            console.print(f"[red]FAIL[/red] {f}")
    sys.exit(0 if meta["ok"] else 1)
