"""``aekd-verify verify``: run the property battery, print the table, write JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_support import guard as _guard


def render_table(result) -> None:
    """Claim x family table on stderr: held/applicable, worst slack, counterexamples."""
    from rich.table import Table

    from .claims import CLAIMS
    from .progress import console

    families = sorted({c.family for c in result.cells}, key=[c.family for c in result.cells].index)
    table = Table(title=f"Theorem 1 battery ({result.profile}, {result.examples} examples/family, "
                        f"solver {result.solver})", show_lines=False)
    table.add_column("claim", style="bold", no_wrap=True)
    table.add_column("holds for")
    for f in families:
        table.add_column(f, justify="right")
    table.add_column("worst slack", justify="right")
    by = {(c.claim, c.family): c for c in result.cells}
    for claim in CLAIMS:
        row = [claim.name, claim.holds_for]
        worst = min((by[(claim.name, f)].worst_slack for f in families), default=float("inf"))
        for f in families:
            c = by[(claim.name, f)]
            text = f"{c.held}/{c.applicable}"
            if c.violated_in_range:
                text = f"[red]{text} ✗{c.violated_in_range}[/red]"
            elif c.violated_out_of_range:
                text = f"[yellow]{text} ◆{c.violated_out_of_range}[/yellow]"
            row.append(text)
        row.append("-" if worst == float("inf") else f"{worst:.1e}")
        table.add_row(*row)
    console.print(table)
    console.print("held/applicable per family; [red]✗ violated inside the claimed range[/red]; "
                  "[yellow]◆ violated outside it (a demonstrated limit)[/yellow]")
    for f in result.findings:
        ex = f.example
        if f.found:
            console.print(f"[yellow]limit[/yellow] {f.claim} fails for C < 1: G = {ex['G']}, C = {ex['cap']:.6g}, "
                          f"alpha* = {[round(a, 6) for a in ex['alpha']]} -- {ex['detail']}")
        else:
            console.print(f"[red]expected limit of {f.claim} not found[/red]")
    rejected = sum(c.rejected for c in result.controls)
    console.print(f"negative controls rejected: {rejected}/{len(result.controls)}")
    for c in result.controls:
        if not c.rejected:
            console.print(f"[red]control NOT rejected[/red]: {c.claim} ({c.mistake})")
    for msg in result.failures():
        console.print(f"[red]FAIL[/red] {msg}")
    console.print("[green]battery passed[/green]" if result.ok else "[red]battery FAILED[/red]")


@click.command()
@click.option("--profile", type=click.Choice(["tiny", "quick", "thorough"]), default="quick", show_default=True)
@click.option("--examples", type=click.IntRange(1), default=None, help="Examples per family (overrides the profile).")
@click.option("--seed", type=int, default=None, help="Random seed (default: derandomised).")
@click.option("--solver", default="active-set", show_default=True,
              help="Solver under test: a method name of `solve`.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write machine-readable results here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@_guard
def verify(profile: str, examples: int | None, seed: int | None, solver: str, json_file: Path | None,
           quiet: bool) -> None:
    """Check every claim of Theorem 1 over every problem family (exit 1 on any failure)."""
    from .battery import run_battery
    from .errors import InputError
    from .io import write_json_atomic
    from .progress import progress_bar
    from .solvers import METHODS

    if solver not in METHODS:
        raise InputError(f"unknown solver {solver!r}; choose one of {', '.join(METHODS)}")
    with progress_bar("battery", enabled=not quiet) as update:
        result = run_battery(solver=solver, profile=profile, examples=examples, seed=seed, progress=update)
    render_table(result)
    if json_file is not None:
        write_json_atomic(json_file, result.to_dict())
    sys.exit(0 if result.ok else 1)
