"""Every numerical tolerance of the project, in one place.

All tolerances are *relative*: residuals are divided by the problem's scale
``s = max_m ||g_m||^2`` (``Problem.scale``) before they are compared, so a
problem and the same problem multiplied by ``1e-8`` or ``1e8`` are judged alike.
Absolute tolerances are the documented failure of the public implementations
(DESIGN §2); none appears anywhere else in the package.
"""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)

#: default tolerance of ``Certificate.optimal`` and of ``aekd-verify certify``.
CERTIFY_TOL = 1e-9

#: a Gram matrix may be asymmetric by this much relative to its scale.
GRAM_SYMMETRY_TOL = 1e-10
#: ... and have eigenvalues down to ``-GRAM_PSD_TOL * scale``.
GRAM_PSD_TOL = 1e-10

#: ``M * C`` below ``1 - CAP_ROUNDING`` is infeasible; within it counts as ``C = 1/M``.
CAP_ROUNDING = 8 * EPS

#: the fast solver's multiplier test on the normalised problem (scale 1).
ACTIVE_SET_MULTIPLIER_TOL = 64 * EPS

#: the cvxpy references must reach this relative gap (Clarabel is asked for 1e-12).
REFERENCE_GAP_TOL = 1e-9

#: a polished reference answer is preferred when its relative FW gap is below this.
POLISH_ACCEPT_GAP = 1e-14

#: relative agreement of ``d`` and objectives between two certified solvers.
AGREEMENT_TOL = 1e-8

#: claims (battery) are judged at this relative slack.
CLAIM_TOL = 1e-7

#: torch solver target gaps, by dtype.
TORCH_GAP_TOL = {"float64": 1e-12, "float32": 1e-6}

#: the trainer's per-step validation against the oracle (``--validate-tol``).
VALIDATE_TOL = 1e-8

#: the conformance kit's default relative certified gap (``--tol``).
CONFORMANCE_TOL = 1e-8

#: weights within this of a bound start in the working set when the active-set method is
#: warm-started from approximate weights (the references' polish of Clarabel's answer).
WARM_START_BOUND = 1e-7

#: the exact solver reads its guessed working set off float weights at this distance from a bound.
EXACT_GUESS_BOUND = 1e-9

#: the trainer's applied update (a float32 network) vs its float64 recomputation.
FLOAT32_UPDATE_TOL = 1e-4
