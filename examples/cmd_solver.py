"""An external solver speaking the file contract: ``cmd_solver.py GRADS.npy --cap C`` -> JSON weights.

It computes the Gram matrix and solves with the reference oracle, so it conforms;
replace the body with a call to your own implementation.
"""

import argparse
import json

import numpy as np

from aekd_verify import solve

ap = argparse.ArgumentParser()
ap.add_argument("grads")
ap.add_argument("--cap", type=float, required=True)
args = ap.parse_args()
G = np.load(args.grads, allow_pickle=False)
print(json.dumps({"alpha": solve(G, args.cap).alpha.tolist()}))
