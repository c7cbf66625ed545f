"""The batched torch solver agrees with the reference; float32/float64 gap targets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aekd_verify.solvers import solve_problem
from aekd_verify.strategies import problems
from aekd_verify.tolerances import AGREEMENT_TOL

torch = pytest.importorskip("torch")
from aekd_verify.solvers._torch import frank_wolfe_gap, project_capped_simplex, solve_gram_batch  # noqa: E402


@given(p=problems(max_teachers=8))
def test_torch_method_agrees_with_active_set_on_d_and_objective(p):
    ref = solve_problem(p, "active-set")
    sol = solve_problem(p, "torch")
    s = p.norm_scale
    assert abs(sol.objective - ref.objective) / s <= AGREEMENT_TOL
    bound = max(AGREEMENT_TOL, sol.certificate.d_error_bound + ref.certificate.d_error_bound)
    assert np.max(np.abs(sol.d - ref.d)) / np.sqrt(s) <= bound
    assert sol.stats["torch_gap"] <= 1e-12


@settings(max_examples=10)
@given(st.lists(problems(min_teachers=5, max_teachers=5, max_dim=4), min_size=2, max_size=12))
def test_one_batch_of_different_problems_and_caps(ps):
    K = torch.tensor(np.stack([p.K for p in ps]))
    caps = torch.tensor([p.cap for p in ps], dtype=torch.float64)
    alpha, gap = solve_gram_batch(K, caps)
    assert gap.max().item() <= 1e-12
    for p, a in zip(ps, alpha.numpy()):
        ref = solve_problem(p, "active-set")
        assert abs(0.5 * a @ p.K @ a + ref.objective) / p.norm_scale <= AGREEMENT_TOL


@pytest.mark.parametrize("dtype, target", [(torch.float64, 1e-12), (torch.float32, 1e-6)])
def test_gap_targets_on_a_large_batch_with_duplicates(dtype, target):
    rng = np.random.default_rng(0)
    G = rng.standard_normal((512, 1, 32)) + 0.5 * rng.standard_normal((512, 8, 32))
    G[:20, 1] = G[:20, 0]
    G[20:60, :, 3:] = 0
    K = torch.tensor(np.einsum("bmn,bkn->bmk", G, G), dtype=dtype)
    alpha, gap = solve_gram_batch(K, 0.25)
    assert gap.max().item() <= target
    assert torch.all(alpha >= 0) and torch.all(alpha <= 0.25 + 1e-6)
    assert torch.allclose(alpha.sum(1), torch.ones(512, dtype=dtype), atol=64 * torch.finfo(dtype).eps)
    # same objective as the float64 active-set solver, problem by problem (pinned: an infeasible
    # all-at-bounds answer once had a negative FW gap and slipped through)
    from aekd_verify.solvers._active_set import active_set_weights

    Kn = (K / torch.diagonal(K, dim1=1, dim2=2).amax(1)[:, None, None]).double().numpy()
    a = alpha.double().numpy()
    for b in range(512):
        ref, _ = active_set_weights(Kn[b], 0.25)
        assert abs(a[b] @ Kn[b] @ a[b] - ref @ Kn[b] @ ref) <= 10 * target


def test_projection_and_gap_helpers():
    y = torch.tensor([[3.0, -1.0, 0.5, 0.2]], dtype=torch.float64)
    a = project_capped_simplex(y, 0.4)
    assert torch.allclose(a.sum(), torch.tensor(1.0, dtype=torch.float64)) and a.max() <= 0.4 + 1e-15
    K = torch.eye(4, dtype=torch.float64)[None]
    assert frank_wolfe_gap(K, torch.full((1, 4), 0.25, dtype=torch.float64), 0.4).abs().item() < 1e-15
    assert frank_wolfe_gap(K, torch.tensor([[0.4, 0.4, 0.2, 0.0]], dtype=torch.float64), 0.4).item() > 0.01


def test_bad_shapes_are_rejected():
    from aekd_verify import InputError

    with pytest.raises(InputError, match=r"\(B, M, M\)"):
        solve_gram_batch(torch.zeros(3, 3), 0.5)
