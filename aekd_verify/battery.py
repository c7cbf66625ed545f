"""The property battery: every claim over every problem family, with shrunk counterexamples.

Phases, all deterministic for a given ``seed`` (derandomised when ``seed`` is None):

1. *Sweep*: for each family, hypothesis draws ``examples`` problems; the solver
   under test solves each once and every claim is evaluated on it.  Statistics
   per (claim, family): run, applicable, held, worst slack, violations inside
   the claim's cap range (failures) and outside it (findings).
2. *Shrink*: for each (claim, family) with an in-range violation, hypothesis
   searches again for a violation and shrinks it to a small counterexample.
3. *Limits*: each claim the theorem restricts to ``C >= 1`` is searched for a
   counterexample with ``C < 1``; finding one is expected (a demonstrated limit),
   not finding one is a failure of the battery.
4. *Controls*: every claim must reject its negative control (``controls.py``).

``BatteryResult.ok`` is True exactly when every in-range claim held, the solver
never crashed, every expected limit was demonstrated and every control was
rejected.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, find, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import NoSuchExample

from .claims import CLAIMS, Claim, SolveFn
from .controls import ControlOutcome, run_controls
from .problem import Problem
from .solution import Solution
from .solvers import solve_problem
from .strategies import FAMILIES, problems

__all__ = ["PROFILES", "Cell", "Finding", "BatteryResult", "run_battery", "problem_record"]

#: examples per family, teachers, dimension, and the search budget for shrinking.
PROFILES: dict[str, dict[str, int]] = {
    "tiny": {"examples": 4, "max_teachers": 4, "max_dim": 3, "search": 60},
    "quick": {"examples": 40, "max_teachers": 6, "max_dim": 4, "search": 300},
    "thorough": {"examples": 400, "max_teachers": 10, "max_dim": 6, "search": 2000},
}

ProgressFn = Callable[[str, int, int], None]


@dataclass
class Cell:
    """Statistics of one claim over one family."""

    claim: str
    family: str
    run: int = 0
    applicable: int = 0
    held: int = 0
    violated_in_range: int = 0
    violated_out_of_range: int = 0
    worst_slack: float = math.inf
    counterexample: dict[str, Any] | None = None


@dataclass
class Finding:
    """A demonstrated limit of the theorem: a claim failing outside its cap range."""

    claim: str
    holds_for: str
    found: bool
    example: dict[str, Any] | None = None


@dataclass
class BatteryResult:
    """Everything the battery measured."""

    profile: str
    examples: int
    seed: int | None
    solver: str
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    controls: list[ControlOutcome] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def failures(self) -> list[str]:
        """Human-readable reasons the battery failed (empty when ``ok``)."""
        out = [f"{c.claim} violated on {c.violated_in_range}/{c.run} {c.family} problems inside its range"
               for c in self.cells if c.violated_in_range]
        out += [f"solver error on a {e['family']} problem: {e['error']}" for e in self.errors[:5]]
        out += [f"expected limit of {f.claim} (C < 1) was not found" for f in self.findings if not f.found]
        out += [f"negative control of {c.claim} ({c.mistake}) was NOT rejected" for c in self.controls
                if not c.rejected]
        return out

    @property
    def ok(self) -> bool:
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        def clean(x):
            if isinstance(x, float) and not math.isfinite(x):
                return None
            if isinstance(x, dict):
                return {k: clean(v) for k, v in x.items()}
            if isinstance(x, list):
                return [clean(v) for v in x]
            if isinstance(x, (np.floating, np.integer)):
                return x.item()
            if isinstance(x, np.bool_):
                return bool(x)
            return x

        claims = [{"name": c.name, "equation": c.equation, "statement": c.statement, "holds_for": c.holds_for}
                  for c in CLAIMS]
        return clean({
            "profile": self.profile, "examples_per_family": self.examples, "seed": self.seed,
            "solver": self.solver, "seconds": self.seconds, "ok": self.ok, "failures": self.failures(),
            "claims": claims,
            "cells": [asdict(c) for c in self.cells],
            "findings": [asdict(f) for f in self.findings],
            "controls": [asdict(c) for c in self.controls],
            "errors": self.errors,
        })


def problem_record(p: Problem, sol: Solution | None = None, detail: str = "") -> dict[str, Any]:
    """A small problem (and its solution) written out so it can be pasted into a bug report."""
    rec: dict[str, Any] = {
        "G": None if p.G is None else p.G.tolist(),
        "K": p.K.tolist() if p.G is None else None,
        "cap": p.cap,
        "M": p.M,
    }
    if sol is not None:
        rec["alpha"] = sol.alpha.tolist()
        rec["d"] = None if sol.d is None else sol.d.tolist()
        rec["objective"] = sol.objective
    if detail:
        rec["detail"] = detail
    return rec


def _settings(n: int, seed: int | None) -> settings:
    return settings(max_examples=n, database=None, deadline=None, derandomize=seed is None,
                    phases=[Phase.generate, Phase.shrink], verbosity=Verbosity.quiet,
                    suppress_health_check=list(HealthCheck))


def _solver_fn(solver: str | SolveFn) -> tuple[SolveFn, str]:
    if callable(solver):
        return solver, getattr(solver, "__name__", "custom")
    return (lambda p: solve_problem(p, solver)), solver


def _violates(claim: Claim, solve: SolveFn, in_range: bool) -> Callable[[Problem], bool]:
    def cond(p: Problem) -> bool:
        if claim.in_range(p.cap) != in_range:
            return False
        try:
            sol = solve(p)
            return not claim(p, sol, solve).holds
        except Exception:  # noqa: BLE001 - a crash is not this claim's counterexample
            return False
    return cond


def _search(strategy, cond, budget: int, seed: int | None):
    try:
        cfg = _settings(budget, seed)
        if seed is not None:
            import random

            return find(strategy, cond, settings=cfg, random=random.Random(seed))
        return find(strategy, cond, settings=cfg)
    except NoSuchExample:
        return None


def run_battery(*, solver: str | SolveFn = "active-set", profile: str = "quick", examples: int | None = None,
                seed: int | None = None, families: tuple[str, ...] = FAMILIES,
                claims: tuple[Claim, ...] = CLAIMS, controls: bool = True,
                progress: ProgressFn | None = None) -> BatteryResult:
    """Run the battery; see the module docstring for the phases."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    cfg = dict(PROFILES[profile])
    n = examples or cfg["examples"]
    solve, solver_name = _solver_fn(solver)
    t0 = time.perf_counter()
    result = BatteryResult(profile=profile, examples=n, seed=seed, solver=solver_name)
    cells = {(c.name, f): Cell(c.name, f) for c in claims for f in families}
    strat = {f: problems(family=f, max_teachers=cfg["max_teachers"], max_dim=cfg["max_dim"]) for f in families}
    total = len(families) * n + len(claims)
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(label, done, total)

    # 1. sweep
    def sweeper(fam: str) -> Callable[[Problem], None]:
        def evaluate(p: Problem) -> None:
            tick(f"sweep {fam}")
            try:
                sol = solve(p)
            except Exception as exc:  # noqa: BLE001 - reported as a solver error
                result.errors.append({"family": fam, "error": f"{type(exc).__name__}: {exc}",
                                      "problem": problem_record(p)})
                return
            for c in claims:
                cell = cells[(c.name, fam)]
                cell.run += 1
                try:
                    r = c(p, sol, solve)
                except Exception as exc:  # noqa: BLE001
                    result.errors.append({"family": fam, "error": f"{c.name}: {type(exc).__name__}: {exc}",
                                          "problem": problem_record(p, sol)})
                    continue
                if not r.applicable:
                    continue
                cell.applicable += 1
                cell.worst_slack = min(cell.worst_slack, r.slack)
                if r.holds:
                    cell.held += 1
                elif c.in_range(p.cap):
                    cell.violated_in_range += 1
                else:
                    cell.violated_out_of_range += 1
        return evaluate

    for fam in families:
        # nothing raises inside, so hypothesis only generates (no shrinking here)
        run = _settings(n, seed)(given(strat[fam])(sweeper(fam)))
        if seed is not None:
            run = hypothesis_seed(seed)(run)
        done_before = done
        run()
        done = done_before + n  # hypothesis may stop early on small spaces
    # 2. shrink in-range failures
    for (name, fam), cell in cells.items():
        if cell.violated_in_range:
            claim = next(c for c in claims if c.name == name)
            ex = _search(strat[fam], _violates(claim, solve, True), cfg["search"], seed)
            if ex is not None:
                sol = solve(ex)
                cell.counterexample = problem_record(ex, sol, claim(ex, sol, solve).detail)
    # 3. limits
    below_one = problems(max_teachers=cfg["max_teachers"], max_dim=cfg["max_dim"],
                         cap_kinds=("just_above", "interior", "just_below_one"))
    for claim in claims:
        tick(f"limits {claim.name}")
        if claim.holds_for == "all":
            continue
        ex = _search(below_one, _violates(claim, solve, False), cfg["search"], seed)
        if ex is None:
            result.findings.append(Finding(claim.name, claim.holds_for, False))
        else:
            sol = solve(ex)
            result.findings.append(Finding(claim.name, claim.holds_for, True,
                                           problem_record(ex, sol, claim(ex, sol, solve).detail)))
    # 4. controls
    if controls:
        result.controls = run_controls(claims)
    result.cells = list(cells.values())
    result.seconds = time.perf_counter() - t0
    return result
