"""Produce ``sdid_prop99_peer.json``: the peer values of :mod:`ewp_stats.engines.sdid`.

Run (needs ``synthdid-py==0.1.0``, a port of the R package synthdid of Arkhangelsky et al.)::

    python tests/engines/reference/make_sdid_peer.py

The panel is ``california_prop99.csv`` beside this script (Abadie, Diamond and Hainmueller 2010's
cigarette sales per capita, 39 states, 1970-2000, as shipped with R synthdid and synthdid-py, BSD-3).
Stored: the synthetic DiD, synthetic control and DiD estimates with synthdid-py's unit and time
weights (and the synthetic control's unit weights), and the synthetic DiD estimate of every leave-one-control-out placebo (each control in
turn treated, California dropped), from which the placebo standard error follows exactly.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import synthdid as sd

HERE = Path(__file__).parent
long = pd.read_csv(HERE / "california_prop99.csv", sep=";")
panel = sd.panel_matrices(long, unit="State", time="Year", outcome="PacksPerCapita", treatment="treated")
Y, N0, T0 = np.asarray(panel.Y, dtype=float), panel.N0, panel.T0
tau = sd.synthdid_estimate(Y, N0, T0)
w = tau.weights
placebo = []
for i in range(N0):
    order = [j for j in range(N0) if j != i] + [i]
    placebo.append(float(sd.synthdid_estimate(Y[order], N0 - 1, T0)))
out = {
    "package": f"synthdid-py {sd.__version__}",
    "units": [str(u) for u in panel.units],
    "N0": int(N0), "T0": int(T0),
    "sdid": float(tau), "sc": float(sd.sc_estimate(Y, N0, T0)), "did": float(sd.did_estimate(Y, N0, T0)),
    "omega": [float(v) for v in np.ravel(w.omega)], "lambda": [float(v) for v in np.ravel(w.lambda_)],
    "omega_sc": [float(v) for v in np.ravel(sd.sc_estimate(Y, N0, T0).weights.omega)],
    "placebo_sdid": placebo,
}
(HERE / "sdid_prop99_peer.json").write_text(json.dumps(out, indent=1) + "\n")
