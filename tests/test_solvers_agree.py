"""All solvers agree on what is unique -- ``d*`` and the objective -- across the families.

Raw ``alpha`` is not compared: it is not unique when ``K`` is singular.
"""

import math

import numpy as np
import pytest
from hypothesis import currently_in_test_context, example, given, note
from hypothesis import strategies as st

from aekd_verify import Problem
from aekd_verify.solvers import solve_problem
from aekd_verify.strategies import FAMILIES, problems
from aekd_verify.tolerances import AGREEMENT_TOL


def assert_agree(p: Problem, a, b):
    """Objectives agree to AGREEMENT_TOL; ``d`` to AGREEMENT_TOL or, when larger, to what
    the two certified gaps guarantee (``Certificate.d_error_bound``)."""
    s = p.norm_scale
    if currently_in_test_context():
        note(f"{a.method}: alpha={a.alpha}, objective={a.objective}")
        note(f"{b.method}: alpha={b.alpha}, objective={b.objective}")
    assert abs(a.objective - b.objective) / s <= AGREEMENT_TOL
    if a.d is not None and b.d is not None:
        bound = max(AGREEMENT_TOL, a.certificate.d_error_bound + b.certificate.d_error_bound)
        assert float(np.max(np.abs(a.d - b.d))) / math.sqrt(s) <= bound


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_active_set_agrees_with_both_references(family, data):
    p = data.draw(problems(family=family, max_teachers=6))
    fast = solve_problem(p, "active-set")
    assert fast.certificate.is_optimal(1e-12), fast.certificate.failed(1e-12)
    for method in ("cvxpy-dual", "cvxpy-primal"):
        assert_agree(p, fast, solve_problem(p, method))


@given(problems(family="integer", max_teachers=6, max_dim=4))
@example(Problem.from_gradients(np.array([[1, 0], [1, 0], [0, 1]]), 1.0))
@example(Problem.from_gradients(np.array([[1], [-2]]), 0.6))
def test_exact_proves_optimality_on_integer_data_and_agrees(p):
    from aekd_verify.solvers._exact import solve_exact

    exact = solve_exact(p)
    assert exact.optimal, exact.checks
    assert_agree(p, exact.to_float(), solve_problem(p, "active-set"))


@given(problems(max_teachers=12, max_dim=3))
def test_active_set_certificate_is_at_rounding_level(p):
    sol = solve_problem(p, "active-set")
    assert sol.certificate.is_optimal(1e-12), sol.certificate.failed(1e-12)
    assert sol.stats["iterations"] <= 50 * p.M + 100


def test_heterogeneous_parallel_rows_agree_within_the_certified_bound():
    """Pinned from the thorough profile: rows 1e6..1e-2 times (1, 1); relative to the
    scale the optimum is flat at 1e-14, so ``d`` is pinned only to sqrt(2 gap)."""
    G = -np.array([[1.0, 1.0], [1e6, 1e6], [0.1, 0.1], [0.01, 0.01]])
    p = Problem.from_gradients(G, 1.5)
    fast = solve_problem(p, "active-set")
    for method in ("cvxpy-dual", "cvxpy-primal"):
        assert_agree(p, fast, solve_problem(p, method))


def test_degenerate_duplicates_with_cap_just_below_one():
    """Pinned from the thorough profile: Clarabel's tight run stalls (user_limit) here."""
    p = Problem.from_gradients(np.array([[-6.0], [-6.0], [-6.0], [-3.0]]), 0.999999999)
    fast = solve_problem(p, "active-set")
    for method in ("cvxpy-dual", "cvxpy-primal"):
        assert_agree(p, fast, solve_problem(p, method))
