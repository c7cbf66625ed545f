"""The ``aekd-verify`` command line (thin: parses, calls the library, prints JSON).

Exit codes (DESIGN §4): 0 success / optimal; 1 certified NOT optimal (or a check
failed); 2 bad input; 3 infeasible cap ``C < 1/M``; 4 solver failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_support import EXIT_NOT_OPTIMAL, EXIT_OK
from .solvers import METHODS
from .tolerances import CERTIFY_TOL
from .cli_support import guard as _guard


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aekd-verify")
def main() -> None:
    """Reference oracle and verification suite for AE-KD (Theorem 1)."""


@main.command()
@click.argument("grads", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cap", "cap", type=float, required=True, help="The cap C (>= 1/M).")
@click.option("--method", type=click.Choice(METHODS), default="auto", show_default=True)
@click.option("--gram", is_flag=True, help="GRADS holds the Gram matrix K = G G^T (then d is null).")
@_guard
def solve(grads: Path, cap: float, method: str, gram: bool) -> None:
    """Solve the primal (17) and dual (22) for GRADS; print one JSON object."""
    from .io import dumps, load_gradients
    from .solvers import solve as _solve

    sol = _solve(load_gradients(grads), cap, method, gram=gram)
    click.echo(dumps(sol.to_dict()))


@main.command()
@click.argument("grads", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cap", "cap", type=float, required=True, help="The cap C (>= 1/M).")
@click.option("--alpha", "alpha_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Weights to certify: .json list, {'alpha': [...]} (e.g. solve's output) or .npy.")
@click.option("--tol", type=float, default=CERTIFY_TOL, show_default=True, help="Relative tolerance.")
@click.option("--gram", is_flag=True, help="GRADS holds the Gram matrix K = G G^T.")
@_guard
def certify(grads: Path, cap: float, alpha_file: Path, tol: float, gram: bool) -> None:
    """Certify weights ALPHA for GRADS; exit 1 when not optimal."""
    from .certificate import certify as _certify
    from .io import dumps, load_alpha, load_gradients

    cert = _certify(load_gradients(grads), cap, alpha=load_alpha(alpha_file), tol=tol, gram=gram)
    click.echo(dumps(cert.to_dict()))
    sys.exit(EXIT_OK if cert.optimal else EXIT_NOT_OPTIMAL)


def _register_subcommands() -> None:
    """Attach the subcommands that live in their own modules (each imports heavy deps lazily)."""
    from .battery_cli import verify
    from .conformance_cli import conformance
    from .proofs_cli import proofs
    from .report.cli import report
    from .train.cli import train

    for cmd in (verify, proofs, train, conformance, report):
        main.add_command(cmd)


_register_subcommands()

if __name__ == "__main__":  # pragma: no cover
    main()
