"""The conformance kit: the project's solvers conform, each example fails as documented."""

import json
import math
import sys
import time

import pytest
from click.testing import CliRunner

from aekd_verify.cli import main
from aekd_verify.conformance import assert_conforms, run_conformance
from aekd_verify.conformance_targets import active_set, cvxpy_dual
from examples import absolute_tolerance, fw_defaults, two_point_clamp

FAMS = ("iid", "rank_deficient", "tiny", "conflicting")


@pytest.mark.parametrize("target", [active_set, cvxpy_dual])
def test_the_projects_own_solvers_conform(target):
    assert_conforms(target, profile="tiny")


def test_torch_solver_conforms():
    pytest.importorskip("torch")
    from aekd_verify.conformance_targets import torch_batched

    assert_conforms(torch_batched, profile="tiny", families=FAMS)


def _check(report, category):
    assert not report.ok
    assert category in report.failures, report.summary()
    ex = report.counterexamples[category]
    assert len(ex["K"]) <= 4, ex  # shrunk to a small case
    return ex


def test_frank_wolfe_with_common_defaults_is_suboptimal():
    ex = _check(run_conformance(fw_defaults.solve, profile="quick", families=("iid",)), "suboptimal")
    assert "Frank-Wolfe gap" in ex["detail"]


def test_absolute_tolerance_solver_depends_on_scale():
    _check(run_conformance(absolute_tolerance.solve, profile="tiny", families=("integer",)), "scale")


def test_absolute_tolerance_solver_is_suboptimal_at_tiny_scale():
    _check(run_conformance(absolute_tolerance.solve, profile="tiny", families=("tiny",)), "suboptimal")


def test_two_point_clamp_is_inexact_even_for_two_teachers():
    r = run_conformance(two_point_clamp.solve, profile="quick", cap_range=(1.0, math.inf), families=("iid",))
    ex = _check(r, "suboptimal")
    assert 0.999 in [round(w, 6) for w in ex["weights"]] or 0.001 in [round(w, 6) for w in ex["weights"]]


def test_two_point_clamp_ignores_the_cap():
    r = run_conformance(two_point_clamp.solve, profile="tiny", families=("iid",))
    assert "cap_violated" in r.failures


def never_returns(K, C):
    while True:
        time.sleep(0.05)


def test_a_solver_that_never_returns_is_a_timeout():
    t0 = time.perf_counter()
    r = run_conformance(never_returns, profile="tiny", families=("iid",), examples=1, timeout=0.5)
    assert r.failures == {"timeout": 1} and time.perf_counter() - t0 < 10


def raises(K, C):
    raise ValueError("boom")


def test_a_crash_is_reported():
    r = run_conformance(raises, profile="tiny", families=("iid",), examples=2)
    assert r.failures == {"crash": 2} and "boom" in r.counterexamples["crash"]["detail"]


def test_cmd_end_to_end_with_a_tiny_external_script(tmp_path):
    out = tmp_path / "c.json"
    res = CliRunner().invoke(main, ["conformance", "--cmd", f"{sys.executable} examples/cmd_solver.py",
                                    "--families", "iid,rank_deficient", "--examples", "2", "--quiet",
                                    "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["ok"] is True


def test_cli_target_fails_with_exit_1_and_bad_input_with_2():
    r = CliRunner().invoke(main, ["conformance", "examples.fw_defaults:solve", "--profile", "tiny", "--quiet"])
    assert r.exit_code == 1 and "suboptimal" in r.stderr
    r = CliRunner().invoke(main, ["conformance", "no.such.module:f", "--quiet"])
    assert r.exit_code == 2 and "cannot import" in r.stderr
    r = CliRunner().invoke(main, ["conformance", "--quiet"])
    assert r.exit_code == 2 and "exactly one" in r.stderr


def test_the_official_one_class_svm_weighting_fails_as_design_notes_say():
    pytest.importorskip("sklearn")
    from examples import one_class_svm

    r = run_conformance(one_class_svm.solve, profile="tiny", families=("tiny", "iid"), examples=4)
    assert {"crash", "scale"} & set(r.failures), r.summary()
    assert not r.ok
    tiny = next(f for f in r.families if f.family == "tiny")
    assert tiny.passed < tiny.run  # at the scale of logit distillation it stops early
