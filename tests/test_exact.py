"""The exact rational solver: exact KKT, rejection of answers off by one ulp."""

import math
from fractions import Fraction

import numpy as np
import pytest

from aekd_verify import InfeasibleCapError, InputError, solve
from aekd_verify.solvers._exact import certify_exact, solve_exact


def test_exact_answer_of_the_agree_to_disagree_example():
    sol = solve_exact([[1], [-2]], Fraction(3, 5))
    assert sol.alpha == (Fraction(3, 5), Fraction(2, 5))
    assert sol.d == (Fraction(1, 5),)
    dn2 = sum(x * x for x in sol.d)
    # Eq. (24) as an equality of Fractions
    assert -dn2 - sol.v - Fraction(3, 5) * sum(sol.xi) == 0
    assert sol.objective == -dn2 / 2  # strong duality, exactly
    assert all(isinstance(x, Fraction) for x in sol.alpha + sol.xi + (sol.v,))


def test_exact_rejects_a_float_answer_one_ulp_off():
    # alpha* = (3/4, 1/4) is a dyadic rational: the float answer can be exactly right
    G = [[1], [-3]]
    assert all(certify_exact(G, 1, [0.75, 0.25]).values())
    off = [math.nextafter(0.75, 1.0), 0.25]
    checks = certify_exact(G, 1, off)
    assert not checks["sum_to_one_20"] and not checks["duality_gap"]
    # ... while the float certificate cannot see the difference
    from aekd_verify import certify

    assert certify(np.array(G, dtype=float), 1.0, alpha=off).optimal


def test_exact_rejects_the_float_rounding_of_a_non_dyadic_optimum():
    G = [[1], [-2]]  # alpha* = (2/3, 1/3)
    float_alpha = solve(np.array(G, dtype=float), 1.0).alpha
    assert not all(certify_exact(G, 1, float_alpha).values())
    assert all(certify_exact(G, 1, [Fraction(2, 3), Fraction(1, 3)]).values())


@pytest.mark.parametrize("cap", [Fraction(1, 3), 1 / 3, 0.5, 1, 2])
def test_exact_special_caps(cap):
    G = [[2, 0], [0, 1], [1, 1]]
    sol = solve_exact(G, cap)
    assert sol.optimal
    if Fraction(cap).limit_denominator(100) == Fraction(1, 3):
        assert sol.alpha == (Fraction(1, 3),) * 3


def test_exact_handles_duplicates_zero_rows_and_rank_deficiency():
    for G in ([[1, 0], [1, 0], [0, 1]], [[0, 0], [1, 2], [-1, -2]], [[1, 2], [2, 4], [3, 6], [-1, 0]],
              [[0, 0], [0, 0]]):
        for cap in (Fraction(1, len(G)), Fraction(1, 2), 1):
            assert solve_exact(G, cap).optimal


def test_exact_float_view_is_certified():
    sol = solve(np.array([[1.0, 2.0], [-3.0, 1.0], [0.5, -1.0]]), 0.5, "exact")
    assert sol.method == "exact" and sol.certificate.is_optimal(1e-14) and sol.stats["exact_optimal"]


def test_exact_bad_input_uses_the_core_errors():
    with pytest.raises(InputError, match="non-finite"):
        solve_exact([[1.0, float("nan")]], 1)
    with pytest.raises(InfeasibleCapError, match="1/M"):
        solve_exact([[1], [2], [3]], Fraction(1, 4))
    with pytest.raises(InputError):
        solve_exact([[1j, 2]], 1)
    with pytest.raises(InputError, match="entries"):
        certify_exact([[1], [2]], 1, [1])
