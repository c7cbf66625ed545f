"""The report: files, sections, and every number in report.md taken from results.json."""

import json
import re

import pytest

from aekd_verify.report.build import build_report, num

SECTIONS = ["Theorem 1: verdict per claim", "The proof, machine-checked", "Property battery",
            "Demonstrated limits", "Negative controls", "Solvers: agreement", "Benchmark", "Geometry and the cap",
            "Trainer validation", "Environment"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    cache = tmp_path_factory.mktemp("cache")
    return build_report(folder, profile="tiny", cache_dir=str(cache))


def test_files_and_sections(report):
    folder, results = report
    for name in ("report.md", "index.html", "results.json", "geometry.png", "cap_sweep.png", "gaps.png"):
        assert (folder / name).stat().st_size > 0, name
    md = (folder / "report.md").read_text()
    html = (folder / "index.html").read_text()
    for s in SECTIONS:
        assert s in md, s
    assert md.index("Verdict") < md.index(SECTIONS[0])  # the verdict is at the top
    assert html.count("data:image/png;base64,") >= 3 and "http://" not in html and "https://" not in html
    assert results["meta"]["ok"] is True


def _numbers(obj, floats, strings):
    if isinstance(obj, dict):
        for v in obj.values():
            _numbers(v, floats, strings)
    elif isinstance(obj, list):
        for v in obj:
            _numbers(v, floats, strings)
    elif isinstance(obj, str):
        strings.append(obj)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        floats.add(num(obj))


def test_every_number_in_the_markdown_comes_from_results_json(report):
    folder, _ = report
    results = json.loads((folder / "results.json").read_text())
    allowed, strings = set(), []
    _numbers(results, allowed, strings)
    text = (folder / "report.md").read_text()
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # image links
    text = re.sub(r"\((\d+)\)", "", text)  # equation numbers like (24)
    blob = "\n".join(strings)
    unexplained = []
    for tok in re.findall(r"(?<![A-Za-z_\d.])-?\d+(?:\.\d+)?(?:e[-+]\d+)?", text):  # not inside names
        if tok in allowed or tok.lstrip("-") in allowed or tok in blob:
            continue
        unexplained.append(tok)
    # the fixed prose (tolerance 1e-7, the 2/3 example, C = 0.6, n = 1000, ...) is part of the template
    template = {"1", "2", "3", "0.6", "0.4", "0.2", "1000", "-1e-7", "1e-7", "-2", "-1", "-20", "0", "25", "24",
                "1e-20"}
    assert set(unexplained) <= template, sorted(set(unexplained) - template)[:20]


def test_a_failing_part_is_reported_at_the_top_and_in_the_exit_code(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import aekd_verify.report.build as build
    from aekd_verify.cli import main

    real = build.run_battery

    def broken(**kw):
        r = real(**kw)
        r.controls[0] = type(r.controls[0])(r.controls[0].claim, "forced", False, 0.0, "forced by the test")
        return r

    monkeypatch.setattr(build, "run_battery", broken)
    monkeypatch.setattr(build, "_trainer", lambda *a, **k: {"skipped": "not in this test"})
    res = CliRunner().invoke(main, ["report", "--profile", "tiny", "--out", str(tmp_path / "r"), "--quiet"])
    assert res.exit_code == 1
    md = (tmp_path / "r" / "report.md").read_text()
    assert "**FAILED**" in md.split("\n## ")[0] and "was NOT rejected" in md
