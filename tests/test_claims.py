"""Every claim of Theorem 1 as a hypothesis property, its negative control, and the battery."""

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import example, given, note

from aekd_verify import Problem
from aekd_verify.battery import run_battery
from aekd_verify.claims import CLAIMS, claim_by_name
from aekd_verify.cli import main
from aekd_verify.controls import CONTROLS, run_controls
from aekd_verify.solvers import solve_problem
from aekd_verify.strategies import problems


def active_set(p):
    return solve_problem(p, "active-set")


FAST_CLAIMS = [c for c in CLAIMS if c.name != "primal_dual_agreement"]


@pytest.mark.parametrize("claim", FAST_CLAIMS, ids=lambda c: c.name)
@given(p=problems(max_teachers=7))
@example(p=Problem.from_gradients(np.array([[1.0], [-2.0]]), 0.6))
@example(p=Problem.from_gradients(-np.array([[1.0, 1.0], [1e6, 1e6], [0.1, 0.1], [0.01, 0.01]]), 1.5))
@example(p=Problem.from_gradients(np.zeros((3, 2)), 1 / 3))
def test_claim_holds_in_its_range(claim, p):
    sol = active_set(p)
    r = claim(p, sol, active_set)
    note(f"{r}")
    assert math.isfinite(r.slack) and r.name == claim.name
    if claim.in_range(p.cap):
        assert r.holds, r.detail
    else:  # outside its range the claim may fail (a finding, see the limit tests); held must match slack
        assert r.holds == (r.slack >= -1e-7 or not r.applicable)


@given(p=problems(max_teachers=4, max_dim=3))
def test_primal_and_dual_routes_agree(p):
    claim = claim_by_name("primal_dual_agreement")
    r = claim(p, active_set(p), active_set)
    assert r.holds, r.detail


def test_the_agree_to_disagree_example_is_a_limit_not_a_failure():
    p = Problem.from_gradients(np.array([[1.0], [-2.0]]), 0.6)
    sol = active_set(p)
    assert np.allclose(sol.d, [0.2])
    for name in ("pareto_implies_d_zero", "no_teacher_worse", "common_descent"):
        claim = claim_by_name(name)
        assert not claim.in_range(p.cap) and not claim(p, sol, active_set).holds
    p1 = p.with_cap(1.0)  # ... and the same claims hold for C >= 1
    for name in ("pareto_implies_d_zero", "no_teacher_worse", "common_descent"):
        assert claim_by_name(name)(p1, active_set(p1), active_set).holds


def test_every_claim_has_a_negative_control_and_each_is_rejected():
    assert {c.name for c in CLAIMS} <= {c.claim for c in CONTROLS}
    outcomes = run_controls()
    assert len(outcomes) == len(CONTROLS)
    for o in outcomes:
        assert o.rejected, f"{o.claim}: control '{o.mistake}' was not rejected ({o.detail})"


def test_battery_passes_for_the_reference_solver_and_finds_the_limits():
    r = run_battery(profile="tiny")
    assert r.ok, r.failures()
    found = {f.claim: f for f in r.findings}
    assert found["pareto_implies_d_zero"].found and found["no_teacher_worse"].found
    ex = found["no_teacher_worse"].example
    assert ex["M"] <= 3 and ex["cap"] < 1  # shrunk to a tiny readable case


def test_mutation_a_solver_ignoring_the_cap_fails_the_battery_with_a_shrunk_counterexample():
    def cap_ignoring(p):
        sol = active_set(p.with_cap(1.0))
        from aekd_verify.controls import _from_alpha

        return _from_alpha(p, sol.alpha, "cap-ignoring")

    r = run_battery(solver=cap_ignoring, profile="tiny", controls=False)
    assert not r.ok
    bad = [c for c in r.cells if c.claim == "box_21" and c.violated_in_range]
    assert bad, r.failures()
    ex = next(c.counterexample for c in bad if c.counterexample)
    assert ex["M"] <= 3 and max(ex["alpha"]) > ex["cap"]


def test_verify_cli_writes_json_naming_every_claim(tmp_path):
    out = tmp_path / "battery.json"
    result = CliRunner().invoke(main, ["verify", "--profile", "tiny", "--quiet", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {c["name"] for c in data["claims"]} == {c.name for c in CLAIMS}
    assert all(c["run"] > 0 for c in data["cells"]) and data["ok"] is True


def test_verify_cli_rejects_an_unknown_solver():
    result = CliRunner().invoke(main, ["verify", "--solver", "nope", "--quiet"])
    assert result.exit_code == 2 and "unknown solver" in result.stderr
