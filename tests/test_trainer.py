"""The AE-KD trainer on CPU: validated steps in every space, exact resume, NaN stop, CE excluded."""

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")

from click.testing import CliRunner  # noqa: E402

from aekd_verify.cli import main  # noqa: E402
from aekd_verify.train import TrainConfig, TrainingStopped, train, train_teachers  # noqa: E402
from aekd_verify.train.data import load_dataset  # noqa: E402
from aekd_verify.train.weighting import step_gradients  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def teachers(data, tmp_path_factory):
    return train_teachers(data, epochs=3, cache_dir=tmp_path_factory.mktemp("cache"), device="cpu")


def cfg(tmp_path, **kw):
    base = dict(out_dir=str(tmp_path / "run"), validate_every=1, max_steps=30, device="cpu", cvxpy_every=5)
    base.update(kw)
    return TrainConfig(**base)


@pytest.mark.parametrize("space", ["params", "logits", "logits-mean"])
def test_thirty_steps_validate_every_step(tmp_path, data, teachers, space):
    res = train(cfg(tmp_path, space=space), data=data, teachers=teachers)
    assert res.steps == 30 and res.validations == 30 and res.validation_failures == 0
    assert res.worst_residual <= 1e-8 and res.worst_eq25_slack >= -1e-8
    lines = [json.loads(x) for x in open(res.log_file)]
    assert len(lines) == 30 and all("validation" in ln for ln in lines)
    csv_rows = open(tmp_path / "run" / "log.csv").read().splitlines()
    assert len(csv_rows) == 31 and csv_rows[0].startswith("step,epoch") and "alpha_3" in csv_rows[0]
    assert any(ln["validation"]["cvxpy_objective_diff"] is not None for ln in lines)


def test_resume_reproduces_an_uninterrupted_run_exactly(tmp_path, data, teachers):
    full = cfg(tmp_path / "a", max_steps=40, checkpoint_every=10, validate_every=7)
    train(full, data=data, teachers=teachers)
    part = cfg(tmp_path / "b", max_steps=40, checkpoint_every=10, validate_every=7)
    part_first = cfg(tmp_path / "b", max_steps=40, checkpoint_every=10, validate_every=7)

    # interrupt after 23 steps (checkpoint at 20), then resume to 40
    class Stop(Exception):
        pass

    def stopper(label, done, total):
        if done == 23:
            raise Stop

    with pytest.raises(Stop):
        train(part_first, data=data, teachers=teachers, progress=stopper)
    part.resume = True
    train(part, data=data, teachers=teachers)
    a = [json.loads(x) for x in open(tmp_path / "a" / "run" / "log.jsonl")]
    b = [json.loads(x) for x in open(tmp_path / "b" / "run" / "log.jsonl")]
    assert [x["step"] for x in b] == list(range(40))
    assert [x["alpha"] for x in a] == [x["alpha"] for x in b]
    sa = torch.load(tmp_path / "a" / "run" / "checkpoint.pt", weights_only=True)["student"]
    sb = torch.load(tmp_path / "b" / "run" / "checkpoint.pt", weights_only=True)["student"]
    assert all(torch.equal(sa[k], sb[k]) for k in sa)


def test_nan_loss_stops_cleanly(tmp_path, data, teachers):
    class NaNTeacher(torch.nn.Module):
        def forward(self, x):
            return torch.full((x.shape[0], 10), float("nan"))

    bad = teachers[:2] + [("nan", NaNTeacher())]
    with pytest.raises(TrainingStopped, match="non-finite distillation loss at step 0"):
        train(cfg(tmp_path), data=data, teachers=bad)


def test_cross_entropy_is_not_part_of_the_gram_matrix(data, teachers):
    from aekd_verify.train.models import make_model

    student = make_model("mlp-small", data.input_shape, 10, 0)
    x = data.x_train[:32]
    tl = torch.stack([t(x) for _, t in teachers])
    for space in ("params", "logits"):
        a = step_gradients(student, x, tl, 4.0, space)
        b = step_gradients(student, x, tl, 4.0, space, keep_graph=True)
        assert torch.equal(a.K, b.K)
    # and the K of the trainer's step is the Gram matrix of the KD gradients only
    g = step_gradients(student, x, tl, 4.0, "params")
    assert torch.allclose(g.K, g.G.double() @ g.G.double().T)


def test_baselines_use_their_caps(tmp_path, data, teachers):
    avg = train(cfg(tmp_path / "avg", method="average", max_steps=3), data=data, teachers=teachers)
    alphas = [json.loads(x)["alpha"] for x in open(avg.log_file)]
    assert all(abs(a - 1 / 3) < 1e-12 for row in alphas for a in row)
    assert TrainConfig(method="mgda").effective_cap(3) == 1.0


def test_train_cli_runs_and_reports(tmp_path):
    r = CliRunner().invoke(main, ["train", "--max-steps", "5", "--teacher-epochs", "2", "--quiet",
                                  "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o"),
                                  "--validate-every", "2", "--device", "cpu"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["validation_failures"] == 0
    r = CliRunner().invoke(main, ["train", "--epochs", "0", "--quiet"])
    assert r.exit_code == 2 and "--epochs must be >= 1" in r.stderr


def test_closed_form_logit_gradients_match_autograd():
    from aekd_verify.train.weighting import kd_logit_gradients, kd_losses

    torch.manual_seed(0)
    z = torch.randn(5, 10, dtype=torch.float64, requires_grad=True)
    t = torch.randn(3, 5, 10, dtype=torch.float64)
    (auto,) = torch.autograd.grad(kd_losses(z, t, 2.5), z, grad_outputs=torch.eye(3, dtype=torch.float64),
                                  is_grads_batched=True)
    assert torch.allclose(kd_logit_gradients(z.detach(), t, 2.5), auto, atol=1e-14)
    # negative control: the gradient without the temperature factor is not the gradient
    assert not torch.allclose(kd_logit_gradients(z.detach(), t, 2.5) / 2.5, auto, atol=1e-6)


def test_the_batched_torch_solver_path_validates_too(tmp_path, data, teachers):
    """The CUDA code path (torch solver on the step's device), exercised on the CPU."""
    res = train(cfg(tmp_path, space="params", solver="torch", max_steps=15), data=data, teachers=teachers)
    assert res.validations == 15 and res.validation_failures == 0 and res.worst_residual <= 1e-8


def test_dataset_and_device_errors_are_clear(tmp_path):
    from aekd_verify import InputError, MissingExtraError

    with pytest.raises(InputError, match="needs --data-root"):
        load_dataset("cifar10")
    with pytest.raises(InputError, match="unknown dataset"):
        load_dataset("mnist")
    try:
        import torchvision  # noqa: F401
    except Exception:  # not installed here (or broken): the cifar extra is named
        with pytest.raises(MissingExtraError, match=r"aekd-verify\[cifar\]"):
            load_dataset("cifar10", tmp_path)
    if not torch.cuda.is_available():
        r = CliRunner().invoke(main, ["train", "--device", "cuda", "--quiet", "--max-steps", "1"])
        assert r.exit_code == 2 and "CUDA is not available" in r.stderr


def test_validation_rejects_a_wrong_alpha_and_a_wrong_update(data, teachers):
    """Negative controls of the trainer's oracle checks."""
    from aekd_verify.solvers._torch import solve_gram_batch
    from aekd_verify.train.models import make_model
    from aekd_verify.train.validate import validate_step

    student = make_model("mlp-small", data.input_shape, 10, 0)
    x = data.x_train[:32]
    tl = torch.stack([t(x) for _, t in teachers]).detach()
    sg = step_gradients(student, x, tl, 4.0, "params")
    alpha = solve_gram_batch(sg.K[None], 0.6)[0][0]
    right = -(alpha.to(sg.G.dtype) @ sg.G)

    def check(a, update):
        return validate_step(0, G=sg.G, alpha=a, cap=0.6, applied_kd_update=update, student=student, x=x,
                             teacher_logits=tl, T=4.0, tol=1e-8, with_cvxpy=False)

    assert check(alpha, right).ok
    wrong_alpha = torch.tensor([0.6, 0.4, 0.0], dtype=torch.float64)
    v = check(wrong_alpha, -(wrong_alpha.to(sg.G.dtype) @ sg.G))
    assert not v.ok and "objective_vs_active_set" in v.failed
    v = check(alpha, -right)  # sign of the applied update flipped
    assert not v.ok and v.failed == ("applied_update",)
