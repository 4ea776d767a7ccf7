"""The Python peer of `darkscope score`: the plain Python reader (split on ';' and ','), the
kinematic-56 encoding in numpy, a standardisation, the autoencoder in PyTorch (one thread, no
gradients, batches of 8192) and a CSV of event_id,process,weight,score. Weights are random: this
measures throughput, not physics. Usage: python3 python_score.py FILE OUT"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
OBJECTS = 13


def read(path):
    ids, processes, rows = [], [], []
    with gzip.open(path, "rt") as f:
        for line in f:
            fields = line.strip().rstrip(";").split(";")
            ids.append(fields[0])
            processes.append(fields[1])
            row = [float(fields[2]), float(fields[3]), float(fields[4])]
            for obj in fields[5:5 + OBJECTS]:
                row.extend(float(x) for x in obj.split(",")[1:5])
            row.extend([0.0] * (3 + 4 * OBJECTS - len(row)))
            rows.append(row)
    return ids, processes, np.array(rows, dtype=np.float32)


def encode(table):
    n = len(table)
    x = np.zeros((n, 4, 14), dtype=np.float32)  # channel (E, pT, eta, phi) x row (MET, 13 objects)
    log_met = np.log1p(table[:, 1] / 1000)
    x[:, 0, 0] = log_met
    x[:, 1, 0] = log_met
    x[:, 3, 0] = table[:, 2]
    objects = table[:, 3:].reshape(n, OBJECTS, 4)
    x[:, 0, 1:] = np.log1p(objects[:, :, 0] / 1000)
    x[:, 1, 1:] = np.log1p(objects[:, :, 1] / 1000)
    x[:, 2, 1:] = objects[:, :, 2]
    x[:, 3, 1:] = objects[:, :, 3]
    x = x.reshape(n, 56)
    return (x - x.mean(0)) / (x.std(0) + 1e-6)


def main():
    path, out = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    ids, processes, table = read(path)
    features = torch.from_numpy(encode(table))
    model = nn.Sequential(nn.Linear(56, 64), nn.ReLU(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 64), nn.ReLU(),
                          nn.Linear(64, 56))
    scores = []
    with torch.no_grad():
        for i in range(0, len(features), 8192):
            x = features[i:i + 8192]
            scores.append(((model(x) - x) ** 2).mean(1))
    scores = torch.cat(scores).numpy()
    with open(out, "w") as f:
        f.write("event_id,process,weight,score\n")
        for i in range(len(ids)):
            f.write(f"{ids[i]},{processes[i]},{table[i, 0]},{scores[i]}\n")
    seconds = time.perf_counter() - start
    print(f"python score pipeline: {len(ids)} events in {seconds:.2f} s = {len(ids) / seconds:.0f} events/s")
    print(f"RESULT python_score_events_per_s {len(ids) / seconds:.0f}")


if __name__ == "__main__":
    main()
