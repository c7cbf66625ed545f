"""Shared helpers of the proof scripts: symbolic data, checks, printing.

Each step script defines ``STEP`` (title), ``SEED`` (the seed's equation
numbers), ``checks()`` returning a list of :class:`Check`, and ends with
``if __name__ == "__main__": run(__name__)``.  A check is either a *claim* (must
PASS) or a *control* (a deliberately wrong variant that must FAIL).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable

import sympy as sp

#: sizes on which every step is checked with fully symbolic data
SIZES = [(M, n) for M in range(1, 5) for n in range(1, 4)]


@dataclass(frozen=True)
class Check:
    """One symbolic check.  ``control=True``: a wrong variant expected to FAIL."""

    name: str
    passed: bool
    detail: str = ""
    control: bool = False

    def __post_init__(self) -> None:  # sympy may hand back its own True/False
        object.__setattr__(self, "passed", bool(self.passed))

    @property
    def ok(self) -> bool:
        """A claim must pass; a control must fail."""
        return self.passed != self.control


def symbols(M: int, n: int):
    """Fully symbolic data: gradients ``G`` (M x n), ``d``, ``v``, ``xi``, ``alpha``, ``beta``, ``C``."""
    G = sp.Matrix(M, n, lambda i, j: sp.Symbol(f"g_{i + 1}_{j + 1}", real=True))
    d = sp.Matrix(n, 1, lambda j, _: sp.Symbol(f"d_{j + 1}", real=True))
    xi = sp.Matrix(M, 1, lambda i, _: sp.Symbol(f"xi_{i + 1}", real=True))
    alpha = sp.Matrix(M, 1, lambda i, _: sp.Symbol(f"alpha_{i + 1}", real=True))
    beta = sp.Matrix(M, 1, lambda i, _: sp.Symbol(f"beta_{i + 1}", real=True))
    v = sp.Symbol("v", real=True)
    C = sp.Symbol("C", positive=True)
    return G, d, v, xi, alpha, beta, C


def is_zero(expr) -> bool:
    """True when ``expr`` simplifies to 0 (expanded polynomial identity, then simplify)."""
    e = sp.expand(expr)
    if e == 0:
        return True
    return sp.simplify(e) == 0


def all_sizes(name: str, fn: Callable[[int, int], bool], *, control: bool = False,
              sizes=SIZES) -> Check:
    """``fn(M, n)`` for every size; passes when it holds for all of them."""
    failed = [(M, n) for M, n in sizes if not fn(M, n)]
    sizes_txt = f"M in 1..{max(s[0] for s in sizes)}, n in 1..{max(s[1] for s in sizes)}"
    detail = f"{sizes_txt}: " + ("holds for all" if not failed else f"fails for (M, n) = {failed[:3]}")
    return Check(name, not failed, detail, control)


def run(module_name: str) -> int:
    """Print the step's checks with PASS/FAIL; return the exit status (0 = all as expected)."""
    mod = sys.modules[module_name]
    print(f"== {mod.STEP}  [seed {mod.SEED}]")
    bad = 0
    for c in mod.checks():
        verdict = ("PASS" if c.passed else "FAIL")
        kind = "control" if c.control else "claim  "
        mark = "ok" if c.ok else "UNEXPECTED"
        print(f"  {kind} {verdict:4}  {mark:10}  {c.name}  ({c.detail})")
        bad += not c.ok
    print(f"   -> {'all as expected' if not bad else f'{bad} unexpected result(s)'}")
    return 1 if bad else 0
