"""Conformance kit: test any AE-KD / MGDA weighting solver against the oracle.

A *target* maps a Gram matrix ``K`` (``M x M`` NumPy array) and a cap ``C`` to
weights (``M`` numbers).  It may be a Python callable (``"pkg.module:function"``)
or an external program speaking the file contract of DESIGN §4: it is run as
``PROGRAM ... GRADS.npy --cap C`` and prints JSON weights (a list, or an object
with ``alpha`` -- ``aekd-verify solve`` itself conforms).

Every call runs in a worker process with a time limit, so a solver that loops
forever is reported as a ``timeout``, not waited on.  Every answer is judged by
the reference certificate (never by the target's own claims) and falls in one
category, checked in this order:

=================  =========================================================
``crash``          raised, exited non-zero, or printed no usable weights
``timeout``        no answer within the per-call limit
``infeasible``     wrong shape, non-finite, negative or not summing to 1
``cap_violated``   some weight above ``C``
``suboptimal``     relative Frank--Wolfe gap above ``tol``
``scale``          the answer for ``s G`` (s = 1e-6, 1e6) is suboptimal for it
``order``          the answer for permuted teachers differs (in ``d``/objective)
``pass``           none of the above
=================  =========================================================

For each failing category the smallest counterexample hypothesis can shrink to
is written out so it can be pasted into a bug report.
"""

from __future__ import annotations

import importlib
import json
import math
import multiprocessing as mp
import shlex
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, find, given, settings
from hypothesis.errors import NoSuchExample

from .capped import frank_wolfe_gap
from .errors import InputError
from .problem import Problem
from .solvers._common import gram_factor
from .strategies import FAMILIES, problems
from .tolerances import CONFORMANCE_TOL

__all__ = ["CATEGORIES", "ConformanceReport", "run_conformance", "assert_conforms", "load_target",
           "CommandTarget", "PROFILES"]

CATEGORIES = ("crash", "timeout", "infeasible", "cap_violated", "suboptimal", "scale", "order")

#: examples per family and the shrink budget
PROFILES = {"tiny": {"examples": 3, "search": 40}, "quick": {"examples": 15, "search": 150},
            "thorough": {"examples": 150, "search": 1000}}

Target = Callable[[np.ndarray, float], Any]


# -- targets -------------------------------------------------------------------------

def load_target(spec: str) -> Target:
    """``"package.module:function"`` -> the callable (the module is imported)."""
    if ":" not in spec:
        raise InputError(f"target {spec!r} must look like package.module:function")
    mod_name, fn_name = spec.split(":", 1)
    try:
        mod = importlib.import_module(mod_name)
    except ImportError as exc:
        raise InputError(f"cannot import {mod_name!r}: {exc}") from None
    fn = getattr(mod, fn_name, None)
    if not callable(fn):
        raise InputError(f"{mod_name!r} has no callable {fn_name!r}")
    return fn


@dataclass
class CommandTarget:
    """An external program: ``cmd GRADS.npy --cap C`` printing JSON weights on stdout.

    It receives gradients, so the kit passes a factor ``G`` with ``G G^T = K``.
    """

    cmd: str
    timeout: float = 10.0

    def __call__(self, K: np.ndarray, cap: float):
        G = gram_factor(K).T  # rows g_m with G G^T = K
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "grads.npy"
            np.save(path, G)
            proc = subprocess.run([*shlex.split(self.cmd), str(path), "--cap", repr(float(cap))],
                                  capture_output=True, text=True, timeout=self.timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"exit code {proc.returncode}: {proc.stderr.strip()[-300:]}")
        obj = json.loads(proc.stdout)
        return obj["alpha"] if isinstance(obj, dict) else obj


# -- the worker process (time limits) --------------------------------------------------

def _worker(conn, target):
    while True:
        msg = conn.recv()
        if msg is None:
            return
        K, cap = msg
        try:
            out = np.asarray(target(K, cap), dtype=np.float64).tolist()
            conn.send(("ok", out))
        except Exception as exc:  # noqa: BLE001 - reported as a crash
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Runner:
    """Calls the target in a forked worker; restarts it after a timeout."""

    def __init__(self, target: Target, timeout: float):
        self.target, self.timeout = target, timeout
        self.ctx = mp.get_context("fork")
        self.proc = None
        self._start()

    def _start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child, self.target), daemon=True)
        self.proc.start()

    def __call__(self, K: np.ndarray, cap: float) -> tuple[str, Any]:
        self.conn.send((K, cap))
        if self.conn.poll(self.timeout):
            try:
                return self.conn.recv()
            except EOFError:
                self._restart()
                return ("error", "the worker process died")
        self._restart()
        return ("timeout", f"no answer within {self.timeout:g} s")

    def _restart(self):
        self.proc.kill()
        self.proc.join()
        self._start()

    def close(self):
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(1)
        if self.proc.is_alive():
            self.proc.kill()


# -- judging one problem -----------------------------------------------------------------

def _fw_gap(K: np.ndarray, a: np.ndarray, cap: float) -> float:
    """The relative FW gap (``capped.frank_wolfe_gap`` over ``max diag K``)."""
    return frank_wolfe_gap(K, a, cap) / max(float(np.max(np.diag(K))), 1e-300)


@dataclass
class Verdict:
    """The category of one answer and the numbers behind it."""

    category: str
    gap: float | None
    detail: str


def _basic(outcome: tuple[str, Any], K: np.ndarray, cap: float, tol: float) -> tuple[Verdict, np.ndarray | None]:
    kind, value = outcome
    if kind == "timeout":
        return Verdict("timeout", None, value), None
    if kind == "error":
        return Verdict("crash", None, value), None
    a = np.asarray(value, dtype=np.float64)
    M = K.shape[0]
    if a.shape != (M,) or not np.isfinite(a).all():
        return Verdict("infeasible", None, f"weights of shape {a.shape} (need ({M},)) or non-finite"), None
    if a.min() < -tol or abs(a.sum() - 1.0) > tol:
        return Verdict("infeasible", None, f"min weight {a.min():.3g}, sum {a.sum():.12g}"), a
    if a.max() > cap + tol:
        return Verdict("cap_violated", None, f"max weight {a.max():.6g} > C = {cap:.6g}"), a
    gap = _fw_gap(K, a, cap)
    if gap > tol:
        return Verdict("suboptimal", gap, f"relative Frank-Wolfe gap {gap:.3g} > tol {tol:g}"), a
    return Verdict("pass", gap, ""), a


def judge(run: Callable, p: Problem, tol: float) -> Verdict:
    """The category of the target's answer on ``p`` (see the module docstring)."""
    K, cap = p.K, p.cap
    v, a = _basic(run(K, cap), K, cap, tol)
    if v.category != "pass":
        return v
    s = p.norm_scale
    for factor in (1e-6, 1e6):
        vs, _ = _basic(run(K * factor, cap), K * factor, cap, tol)
        if vs.category != "pass":
            return Verdict("scale", v.gap, f"with G scaled by {factor:g}: {vs.category} ({vs.detail})")
    perm = np.arange(p.M)[::-1].copy()
    vp, ap = _basic(run(K[np.ix_(perm, perm)], cap), K[np.ix_(perm, perm)], cap, tol)
    if vp.category != "pass":
        return Verdict("order", v.gap, f"teachers reversed: {vp.category} ({vp.detail})")
    back = np.empty_like(ap)
    back[perm] = ap
    diff = math.sqrt(max(float((a - back) @ K @ (a - back)), 0.0) / s)  # ||d - d_perm|| / sqrt(s)
    bound = math.sqrt(2 * max(v.gap, 0)) + math.sqrt(2 * max(vp.gap, 0)) + math.sqrt(tol)
    if diff > bound:
        return Verdict("order", v.gap, f"teachers reversed: d changes by {diff:.3g} x sqrt(s)")
    return v


# -- the run -------------------------------------------------------------------------------

@dataclass
class FamilyStats:
    family: str
    run: int = 0
    passed: int = 0
    worst_gap: float = 0.0
    categories: dict[str, int] = field(default_factory=dict)


@dataclass
class ConformanceReport:
    """What the kit found: per family, per category, with shrunk counterexamples."""

    target: str
    profile: str
    tol: float
    cap_range: tuple[float, float]
    families: list[FamilyStats] = field(default_factory=list)
    counterexamples: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failures(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.families:
            for k, n in f.categories.items():
                if k != "pass":
                    out[k] = out.get(k, 0) + n
        return out

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"], d["failures"] = self.ok, self.failures
        d["cap_range"] = [c if math.isfinite(c) else None for c in self.cap_range]
        return d

    def summary(self) -> str:
        lines = [f"conformance of {self.target} ({self.profile}, tol {self.tol:g}): "
                 + ("CONFORMS" if self.ok else "DOES NOT CONFORM")]
        for f in self.families:
            bad = {k: v for k, v in f.categories.items() if k != "pass"}
            lines.append(f"  {f.family:16} {f.passed}/{f.run} pass, worst gap {f.worst_gap:.2e}"
                         + (f"  {bad}" if bad else ""))
        for cat, ex in self.counterexamples.items():
            lines.append(f"  [{cat}] smallest counterexample: G = {ex['G']}, C = {ex['cap']!r}")
            lines.append(f"      weights = {ex.get('weights')}  -- {ex['detail']}")
        return "\n".join(lines)


def _cfg(n: int) -> settings:
    return settings(max_examples=n, database=None, deadline=None, derandomize=True,
                    phases=[Phase.generate, Phase.shrink], verbosity=Verbosity.quiet,
                    suppress_health_check=list(HealthCheck))


def _in_range(p: Problem, lo: float, hi: float) -> Problem:
    c = min(max(p.cap, lo, 1.0 / p.M), hi)
    return p if c == p.cap else p.with_cap(c)


def run_conformance(target: Target, *, name: str | None = None, profile: str = "quick", tol: float = CONFORMANCE_TOL,
                    cap_range: tuple[float, float] = (0.0, math.inf), timeout: float = 5.0,
                    families: tuple[str, ...] = FAMILIES, examples: int | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> ConformanceReport:
    """Run the kit against ``target``; see the module docstring."""
    if profile not in PROFILES:
        raise InputError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    n = examples or PROFILES[profile]["examples"]
    lo, hi = cap_range
    if not (lo <= hi):
        raise InputError(f"--cap-range {lo}:{hi} is empty")
    report = ConformanceReport(target=name or getattr(target, "__name__", str(target)), profile=profile, tol=tol,
                               cap_range=(lo, hi))
    runner = _Runner(target, timeout)
    t0 = time.perf_counter()
    first: dict[str, tuple[str, Problem]] = {}
    done, total = 0, len(families) * n
    try:
        for fam in families:
            st = FamilyStats(fam)
            strat = problems(family=fam, max_teachers=6, max_dim=4).map(lambda p: _in_range(p, lo, hi))

            def make(st: FamilyStats, fam: str) -> Callable[[Problem], None]:
                def evaluate(p: Problem) -> None:
                    _evaluate(p, st, fam)
                return evaluate

            def _evaluate(p: Problem, st: FamilyStats, fam: str) -> None:
                nonlocal done
                v = judge(runner, p, tol)
                st.run += 1
                st.categories[v.category] = st.categories.get(v.category, 0) + 1
                if v.category == "pass":
                    st.passed += 1
                if v.gap is not None:
                    st.worst_gap = max(st.worst_gap, v.gap)
                if v.category != "pass" and v.category not in first:
                    first[v.category] = (fam, p)
                done += 1
                if progress:
                    progress(f"{fam}", done, total)

            _cfg(n)(given(strat)(make(st, fam)))()
            report.families.append(st)
        for cat, (fam, p0) in first.items():  # shrink each failure category
            strat = problems(family=fam, max_teachers=6, max_dim=4).map(lambda p: _in_range(p, lo, hi))
            budget = 0 if cat == "timeout" else PROFILES[profile]["search"]
            ex = p0
            if budget:
                try:
                    ex = find(strat, lambda p, cat=cat: judge(runner, p, tol).category == cat, settings=_cfg(budget))
                except NoSuchExample:
                    ex = p0
            v = judge(runner, ex, tol)
            kind, value = runner(ex.K, ex.cap)
            report.counterexamples[cat] = {
                "family": fam, "G": None if ex.G is None else ex.G.tolist(), "K": ex.K.tolist(), "cap": ex.cap,
                "weights": value if kind == "ok" else None, "detail": v.detail or cat}
    finally:
        runner.close()
    report.seconds = time.perf_counter() - t0
    return report


def assert_conforms(target: Target, **options) -> ConformanceReport:
    """Pytest helper: run the kit and raise ``AssertionError`` with the summary unless it conforms.

    >>> from aekd_verify import solve
    >>> def mine(K, C):
    ...     return solve(K, C, gram=True).alpha
    >>> assert_conforms(mine, profile="tiny", families=("iid",)).ok
    True
    """
    report = run_conformance(target, **options)
    if not report.ok:
        raise AssertionError(report.summary())
    return report
