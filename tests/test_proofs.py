"""The symbolic proof steps: all claims PASS, all controls FAIL, standalone and via the CLI."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from aekd_verify.cli import main
from aekd_verify.proofs_cli import default_proofs_dir, run_proofs

STEPS = sorted(default_proofs_dir().glob("step*.py"))


def test_there_is_a_step_for_each_part_of_the_proof():
    assert len(STEPS) == 7


@pytest.mark.parametrize("path", STEPS, ids=lambda p: p.stem)
def test_each_step_runs_on_its_own(path):
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS" in proc.stdout and "control FAIL" in proc.stdout and "UNEXPECTED" not in proc.stdout


def test_every_step_has_claims_and_controls_with_the_intended_outcome():
    res = run_proofs()
    assert res["ok"]
    for step in res["steps"]:
        claims = [c for c in step["checks"] if not c["control"]]
        controls = [c for c in step["checks"] if c["control"]]
        assert claims and all(c["passed"] for c in claims), step["step"]
        assert controls and not any(c["passed"] for c in controls), step["step"]


def test_proofs_cli_writes_json_and_fails_on_a_broken_step(tmp_path):
    out = tmp_path / "proofs.json"
    r = CliRunner().invoke(main, ["proofs", "--quiet", "--json", str(out)])
    assert r.exit_code == 0 and json.loads(out.read_text())["ok"] is True
    broken = tmp_path / "proofs"
    broken.mkdir()
    (broken / "_kit.py").write_text((default_proofs_dir() / "_kit.py").read_text())
    (broken / "step1_bad.py").write_text(
        "from _kit import Check\nSTEP = 'bad'\nSEED = '-'\n"
        "def checks():\n    return [Check('a wrong claim', False), Check('a control that passes', True, control=True)]\n")
    r = CliRunner().invoke(main, ["proofs", "--quiet", "--dir", str(broken)])
    assert r.exit_code == 1 and "unexpected" in r.stderr
    r = CliRunner().invoke(main, ["proofs", "--quiet", "--dir", str(tmp_path / "empty")])
    assert r.exit_code == 2 and "no proof steps" in r.stderr
