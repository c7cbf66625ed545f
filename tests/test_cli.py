"""The oracle CLI contract (DESIGN §4): formats, JSON fields, exit codes, no tracebacks."""

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from aekd_verify.cli import main

G = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -2.0]])


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def grads(tmp_path):
    path = tmp_path / "G.npy"
    np.save(path, G)
    return path


def test_solve_prints_the_contract_fields(grads):
    code, out, _ = run("solve", grads, "--cap", 0.5)
    assert code == 0
    obj = json.loads(out)
    assert {"alpha", "d", "v", "xi", "objective", "method", "certificate"} <= set(obj)
    assert obj["certificate"]["optimal"] is True and obj["method"] == "active-set"


@pytest.mark.parametrize("fmt", ["npz", "json", "pt", "npz-single"])
def test_every_input_format_gives_the_same_answer(tmp_path, grads, fmt):
    if fmt == "npz":
        path = tmp_path / "G.npz"
        np.savez(path, G=G, other=np.zeros(2))
    elif fmt == "npz-single":
        path = tmp_path / "single.npz"
        np.savez(path, G)
    elif fmt == "json":
        path = tmp_path / "G.json"
        path.write_text(json.dumps(G.tolist()))
    else:
        torch = pytest.importorskip("torch")
        path = tmp_path / "G.pt"
        torch.save(torch.tensor(G), path)
    _, ref, _ = run("solve", grads, "--cap", 0.5)
    code, out, _ = run("solve", path, "--cap", 0.5)
    assert code == 0 and json.loads(out)["d"] == pytest.approx(json.loads(ref)["d"], abs=1e-12)


def test_certify_accepts_solve_output_and_rejects_a_wrong_alpha(tmp_path, grads):
    _, out, _ = run("solve", grads, "--cap", 0.5)
    sol = tmp_path / "sol.json"
    sol.write_text(out)
    code, cert, _ = run("certify", grads, "--cap", 0.5, "--alpha", sol)
    assert code == 0 and json.loads(cert)["optimal"] is True
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([1 / 3, 1 / 3, 1 / 3]))
    code, cert, _ = run("certify", grads, "--cap", 0.5, "--alpha", bad)
    assert code == 1 and json.loads(cert)["optimal"] is False and json.loads(cert)["failed"]


def test_infeasible_cap_exits_3_and_names_the_bound(grads):
    code, out, err = run("solve", grads, "--cap", 0.2)
    assert code == 3 and "1/M = 1/3" in err and "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        (b"not json", ".json", "not valid JSON"),
        (b"[[1, 2], [3]]", ".json", "rectangular"),
        (b"[[1, NaN]]", ".json", "non-finite"),
        (b"garbage", ".npy", "could not be read"),
        (b"x", ".csv", "unknown format"),
    ],
)
def test_bad_files_exit_2_with_a_reason(tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    code, out, err = run("solve", path, "--cap", 1.0)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_pickled_npy_is_refused(tmp_path):
    path = tmp_path / "obj.npy"
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    code, _, err = run("solve", path, "--cap", 1.0)
    assert code == 2 and "could not be read" in err


def test_pt_file_is_loaded_with_weights_only(tmp_path):
    torch = pytest.importorskip("torch")

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "evil.pt"
    torch.save({"G": Evil()}, path)
    code, out, err = run("solve", path, "--cap", 1.0)
    assert code == 2 and "pwned" not in out


def test_missing_file_and_bad_alpha_shape(tmp_path, grads):
    code, _, err = run("solve", tmp_path / "nope.npy", "--cap", 1.0)
    assert code == 2 and "no such file" in err
    alpha = tmp_path / "a.json"
    alpha.write_text("[0.5, 0.5]")
    code, _, err = run("certify", grads, "--cap", 1.0, "--alpha", alpha)
    assert code == 2 and "shape (3,)" in err


def test_console_script_runs_without_traceback(tmp_path, grads):
    proc = subprocess.run([sys.executable, "-m", "aekd_verify.cli", "solve", str(grads), "--cap", "0.1"],
                          capture_output=True, text=True)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr


def test_gram_flag_accepts_a_gram_matrix(tmp_path, grads):
    K = tmp_path / "K.npy"
    np.save(K, G @ G.T)
    code, out, _ = run("solve", K, "--cap", 0.5, "--gram")
    ref = json.loads(run("solve", grads, "--cap", 0.5)[1])
    obj = json.loads(out)
    assert code == 0 and obj["d"] is None and obj["objective"] == pytest.approx(ref["objective"], abs=1e-12)
    sol = tmp_path / "sol.json"
    sol.write_text(out)
    assert run("certify", K, "--cap", 0.5, "--alpha", sol, "--gram")[0] == 0
    bad = tmp_path / "bad.npy"
    np.save(bad, np.array([[1.0, 2.0], [2.0, 1.0]]))  # not PSD
    code, _, err = run("solve", bad, "--cap", 1.0, "--gram")
    assert code == 2 and "not positive semidefinite" in err


def test_exact_method_prints_the_exact_rationals(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("[[1], [-2]]")
    code, out, _ = run("solve", path, "--cap", 0.6, "--method", "exact")
    obj = json.loads(out)
    assert code == 0 and obj["method"] == "exact"
    assert obj["exact"]["alpha"] == ["3/5", "2/5"] and obj["exact"]["d"] == ["1/5"] and obj["exact"]["cap"] == "3/5"
    assert obj["exact"]["optimal"] is True and all(obj["exact"]["kkt"].values())
    assert "exact" not in json.loads(run("solve", path, "--cap", 0.6)[1])
