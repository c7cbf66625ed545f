"""Problem: the only gate for input."""

from fractions import Fraction

import numpy as np
import pytest

from aekd_verify import InfeasibleCapError, InputError, Problem


def test_gradients_are_float64_and_carry_the_scale():
    p = Problem.from_gradients([[3, 4], [1, 0]], 1.0)
    assert p.G.dtype == np.float64 and p.K.dtype == np.float64
    assert p.scale == 25.0 and p.M == 2 and p.n == 2
    assert p.rational_G == ((Fraction(3), Fraction(4)), (Fraction(1), Fraction(0)))


def test_all_zero_gradients_are_valid():
    p = Problem.from_gradients(np.zeros((3, 4)), 0.5)
    assert p.scale == 0.0 and p.norm_scale == 1.0


@pytest.mark.parametrize(
    "G, message",
    [
        ([[np.nan, 1.0]], "non-finite"),
        ([[np.inf, 1.0], [0.0, 1.0]], "non-finite"),
        ([1.0, 2.0], "2-D"),
        (np.zeros((2, 2, 2)), "2-D"),
        (np.zeros((0, 3)), "M = 0"),
        (np.zeros((3, 0)), "n >= 1"),
        ([["a", "b"]], "numeric"),
    ],
)
def test_bad_gradients_are_rejected_with_a_named_reason(G, message):
    with pytest.raises(InputError, match=message):
        Problem.from_gradients(G, 1.0)


@pytest.mark.parametrize("cap", [0.0, -1.0, float("nan"), float("inf"), "x", True])
def test_bad_caps_are_rejected(cap):
    with pytest.raises(InputError, match="cap C"):
        Problem.from_gradients(np.eye(2), cap)


def test_infeasible_cap_has_its_own_type_and_names_one_over_m():
    with pytest.raises(InfeasibleCapError, match=r"1/M = 1/4"):
        Problem.from_gradients(np.eye(4), 0.2)
    with pytest.raises(InfeasibleCapError):
        Problem.from_gradients(np.eye(3), Fraction(1, 4))


def test_cap_exactly_one_over_m_is_feasible_in_floats_and_fractions():
    assert Problem.from_gradients(np.eye(3), 1 / 3).cap == 1 / 3
    assert Problem.from_gradients(np.eye(3), Fraction(1, 3)).rational_cap == Fraction(1, 3)


def test_gram_matrix_is_checked_symmetric_and_psd():
    K = np.array([[1.0, 0.5], [0.5, 1.0]])
    assert Problem.from_gram(K, 1.0).G is None
    with pytest.raises(InputError, match="not symmetric"):
        Problem.from_gram([[1.0, 0.5], [0.4, 1.0]], 1.0)
    with pytest.raises(InputError, match="not positive semidefinite"):
        Problem.from_gram([[1.0, 2.0], [2.0, 1.0]], 1.0)
    with pytest.raises(InputError, match="square"):
        Problem.from_gram(np.ones((2, 3)), 1.0)
    with pytest.raises(InputError, match="negative diagonal"):
        Problem.from_gram([[-1.0, 0.0], [0.0, 1.0]], 1.0)


def test_gram_tolerances_are_relative_to_scale():
    rng = np.random.default_rng(0)
    G = rng.standard_normal((4, 2)) * 1e-6
    K = G @ G.T  # rank 2: tiny negative eigenvalues from rounding are accepted
    assert Problem.from_gram(K, 1.0).M == 4


def test_normalised_problem_has_unit_scale():
    p = Problem.from_gradients(np.array([[1e4, 0.0], [0.0, 1.0]]), 1.0).normalised()
    assert p.scale == pytest.approx(1.0)
    assert np.max(np.diag(p.K)) == pytest.approx(1.0)


def test_require_names_the_extra(monkeypatch):
    import importlib

    from aekd_verify.errors import MissingExtraError, require

    with pytest.raises(MissingExtraError, match=r"pip install 'aekd-verify\[train\]'"):
        require("no_such_module_xyz", "train")

    def broken(name):
        raise RuntimeError("operator torchvision::nms does not exist")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(MissingExtraError, match="installed but failed to import"):
        require("torchvision", "cifar")
