#!/usr/bin/env python3
"""Peer of darkscope's knn: SciPy's cKDTree on the same standardised features (written by
DetectorBenchmark), distance to the k-th nearest training event. Usage: knn_peer.py FEATURES K."""
import struct
import sys
import time

import numpy as np
from scipy.spatial import cKDTree


def read(f):
    rows, cols = struct.unpack("<ii", f.read(8))
    return np.frombuffer(f.read(4 * rows * cols), dtype="<f4").reshape(rows, cols)


with open(sys.argv[1], "rb") as f:
    train, score = read(f), read(f)
k = int(sys.argv[2])
start = time.perf_counter()
tree = cKDTree(train)
built = time.perf_counter() - start
start = time.perf_counter()
tree.query(score, k=k, workers=-1)
seconds = time.perf_counter() - start
print(f"scipy cKDTree: built on {len(train)} events in {built:.2f} s, scored {len(score)} events in {seconds:.2f} s "
      f"({len(score) / seconds:.0f} events/s, all cores)")
print(f"RESULT scipy_knn_events_per_s {len(score) / seconds:.0f}")
