"""The plain Python reader physicists use for the Dark Machines CSV: split each line on ';' and
',' and build a numpy array (header numbers, then E, pt, eta, phi of up to 20 objects, zero-padded).
Prints events/s and MB/s of the compressed file. Usage: python3 python_reader.py FILE [REPEATS]"""
import gzip
import os
import sys
import time

import numpy as np

MAX_OBJECTS = 20


def read(path):
    rows = []
    with gzip.open(path, "rt") as f:
        for line in f:
            fields = line.strip().rstrip(";").split(";")
            if len(fields) < 5:
                continue
            row = [float(fields[2]), float(fields[3]), float(fields[4])]
            for obj in fields[5:5 + MAX_OBJECTS]:
                parts = obj.split(",")
                row.extend(float(x) for x in parts[1:5])
            row.extend([0.0] * (3 + 4 * MAX_OBJECTS - len(row)))
            rows.append(row)
    return np.array(rows, dtype=np.float32)


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    megabytes = os.path.getsize(path) / 1e6
    best = float("inf")
    events = 0
    for _ in range(repeats):
        start = time.perf_counter()
        events = len(read(path))
        best = min(best, time.perf_counter() - start)
    print(f"python reader 1 core: {events} events in {best:.3f} s = {events / best:.0f} events/s, "
          f"{megabytes / best:.1f} MB/s (gzip)")
    print(f"RESULT python_ingest_events_per_s {events / best:.0f}")


if __name__ == "__main__":
    main()
