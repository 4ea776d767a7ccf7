#!/usr/bin/env python3
"""Peer of darkscope's kde: SciPy's gaussian_kde on the same standardised features (written by
DetectorBenchmark), Scott's bandwidth (SciPy's default, darkscope's), log-density of the scoring
events. SciPy evaluates on one core. Usage: kde_peer.py FEATURES."""
import struct
import sys
import time

import numpy as np
from scipy.stats import gaussian_kde


def read(f):
    rows, cols = struct.unpack("<ii", f.read(8))
    return np.frombuffer(f.read(4 * rows * cols), dtype="<f4").reshape(rows, cols)


with open(sys.argv[1], "rb") as f:
    train, score = read(f), read(f)
start = time.perf_counter()
kde = gaussian_kde(train.T.astype(np.float64))
built = time.perf_counter() - start
start = time.perf_counter()
kde.logpdf(score.T.astype(np.float64))
seconds = time.perf_counter() - start
print(f"scipy gaussian_kde: built on {len(train)} events in {built:.2f} s, scored {len(score)} events in {seconds:.2f} s "
      f"({len(score) / seconds:.0f} events/s, one core)")
print(f"RESULT scipy_kde_events_per_s {len(score) / seconds:.0f}")
