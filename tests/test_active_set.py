"""The fast exact float64 solver on its special cases and extreme scales."""

import numpy as np
import pytest

from aekd_verify import Problem, solve
from aekd_verify.solvers._active_set import active_set_weights


@pytest.mark.parametrize("scale", [1e-12, 1e-6, 1.0, 1e6, 1e12])
def test_scales_from_1e_minus_12_to_1e12(scale):
    rng = np.random.default_rng(11)
    G = rng.standard_normal((8, 5))
    ref = solve(G, 0.3)
    sol = solve(G * scale, 0.3)
    assert sol.certificate.is_optimal(1e-13)
    assert np.max(np.abs(sol.alpha - ref.alpha)) <= 1e-10
    assert np.max(np.abs(sol.d / scale - ref.d)) / np.sqrt(Problem.from_gradients(G, 0.3).scale) <= 1e-10


def test_cap_one_over_m_is_uniform():
    sol = solve(np.random.default_rng(0).standard_normal((5, 3)), 1 / 5)
    assert np.array_equal(sol.alpha, np.full(5, 0.2))


def test_all_zero_gradients():
    sol = solve(np.zeros((4, 3)), 0.5)
    assert np.all(sol.d == 0) and sol.certificate.optimal and sol.objective == 0


def test_duplicated_teachers_and_null_steps():
    G = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    sol = solve(G, 1.0)
    assert sol.certificate.is_optimal(1e-14)
    assert np.allclose(sol.d, [-0.5, -0.5])


def test_mgda_regime_ignores_the_upper_bound():
    G = np.array([[1.0, 0.0], [0.0, 10.0]])
    a = solve(G, 1.0).alpha
    b = solve(G, 50.0).alpha
    assert np.array_equal(a, b)


def test_cold_start_terminates_with_a_bounded_number_of_iterations():
    rng = np.random.default_rng(5)
    for M in (4, 16, 48):
        G = rng.standard_normal((M, 3))  # rank 3 << M: singular K
        K = G @ G.T
        K /= np.max(np.diag(K))
        alpha, stats = active_set_weights(K, 2.0 / M, start=np.full(M, 1.0 / M), delta=0.0)
        assert stats["iterations"] <= 50 * M + 100
        ref = solve(K, 2.0 / M, "cvxpy-dual", gram=True)
        assert stats.get("warm_start") and stats["iterations"] >= 1  # the primal method ran
        assert abs(-0.5 * alpha @ K @ alpha - ref.objective) <= 1e-9  # strong duality, Eq. (22)
