"""The two cvxpy references and the active-set solver on hand-derived cases."""

import numpy as np
import pytest

from aekd_verify import Problem, certify, solve
from aekd_verify.tolerances import AGREEMENT_TOL

from .cases import CASES

SOLVERS = ["cvxpy-primal", "cvxpy-dual", "active-set"]


def rel(a, b, scale):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) / scale


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("method", SOLVERS)
def test_hand_derived_cases(name, method):
    G, cap, alpha, d = CASES[name]
    sol = solve(G, cap, method)
    p = Problem.from_gradients(G, cap)
    s = p.norm_scale
    assert sol.certificate.is_optimal(1e-7), sol.certificate.failed(1e-7)
    assert rel(sol.d, d, np.sqrt(s)) <= AGREEMENT_TOL
    assert abs(sol.objective - (-0.5 * d @ d)) / s <= AGREEMENT_TOL
    if alpha is not None:
        assert rel(sol.alpha, alpha, 1.0) <= 1e-7
    assert sol.method == method


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_references_agree(name):
    G, cap, _, _ = CASES[name]
    a, b = solve(G, cap, "cvxpy-primal"), solve(G, cap, "cvxpy-dual")
    s = Problem.from_gradients(G, cap).norm_scale
    assert rel(a.d, b.d, np.sqrt(s)) <= AGREEMENT_TOL
    assert abs(a.objective - b.objective) / s <= AGREEMENT_TOL


@pytest.mark.parametrize("method", SOLVERS)
@pytest.mark.parametrize("factor", [1e-8, 1e8])
def test_scale_invariance(method, factor):
    rng = np.random.default_rng(7)
    G = rng.standard_normal((5, 3))
    base = solve(G, 0.3, method)
    scaled = solve(G * factor, 0.3, method)
    assert rel(scaled.alpha, base.alpha, 1.0) <= 1e-7  # unique here: K is nonsingular on the face
    assert rel(scaled.d / factor, base.d, np.sqrt(Problem.from_gradients(G, 0.3).scale)) <= AGREEMENT_TOL
    assert scaled.certificate.is_optimal(1e-7)


def test_large_n_primal_uses_the_row_space_and_agrees():
    rng = np.random.default_rng(3)
    G = rng.standard_normal((4, 5000))
    a, b = solve(G, 0.4, "cvxpy-primal"), solve(G, 0.4, "active-set")
    assert rel(a.d, b.d, np.sqrt(Problem.from_gradients(G, 0.4).scale)) <= AGREEMENT_TOL


def test_gram_only_problem_gives_no_direction_but_the_same_objective():
    rng = np.random.default_rng(1)
    G = rng.standard_normal((4, 6))
    for method in SOLVERS:
        sol = solve(G @ G.T, 0.5, method, gram=True)
        assert sol.d is None
        assert abs(sol.objective - solve(G, 0.5).objective) / np.max(np.sum(G**2, 1)) <= AGREEMENT_TOL


def test_reference_solution_passes_the_doctest_example():
    sol = solve(np.array([[1.0], [-2.0]]), 0.6, "cvxpy-dual")
    assert np.allclose(sol.alpha, [0.6, 0.4], atol=1e-9)


# -- negative controls: certify must reject wrong answers and name the failure --

def _instance():
    G = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    return G, 0.5


def test_certify_accepts_the_optimum():
    G, cap = _instance()
    assert certify(G, cap, alpha=solve(G, cap).alpha).optimal


def test_certify_rejects_a_perturbed_alpha():
    G, cap = _instance()
    alpha = solve(G, cap).alpha + np.array([1e-3, -1e-3, 0.0])
    cert = certify(G, cap, alpha=alpha)
    assert not cert.optimal and "frank_wolfe_gap" in cert.failed()


def test_certify_rejects_uniform_weights_when_not_optimal():
    G, cap = _instance()
    cert = certify(G, cap, alpha=np.full(3, 1 / 3))
    assert not cert.optimal and "duality_gap" in cert.failed()


def test_certify_rejects_a_cap_violation():
    G, cap = _instance()
    cert = certify(G, cap, alpha=[0.0, 0.9, 0.1])
    assert not cert.optimal and "box_21" in cert.failed()


def test_certify_rejects_weights_not_summing_to_one():
    G, cap = _instance()
    cert = certify(G, cap, alpha=solve(G, cap).alpha * 0.9)
    assert not cert.optimal and "sum_to_one_20" in cert.failed()


def test_certify_rejects_a_flipped_direction():
    G, cap = _instance()
    sol = solve(G, cap)
    from aekd_verify.certificate import certificate_for

    cert = certificate_for(Problem.from_gradients(G, cap), sol.alpha, -sol.d, sol.v, sol.xi)
    assert "stationarity_19" in cert.failed()


def test_certify_rejects_malformed_alpha():
    from aekd_verify import InputError

    G, cap = _instance()
    with pytest.raises(InputError, match="shape"):
        certify(G, cap, alpha=[0.5, 0.5])
    with pytest.raises(InputError, match="non-finite"):
        certify(G, cap, alpha=[np.nan, 0.5, 0.5])
