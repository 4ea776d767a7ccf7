"""The Python peer of `darkscope score`: the plain Python reader (split on ';' and ','), the
kinematic-56 encoding in numpy, a standardisation, the autoencoder in PyTorch (one thread, no
gradients, batches of 4096) and a CSV of event_id,process,weight,score. As the benchmark defines
the peer, the reader reads the whole file, then the model scores it; with --chunk N the file is
streamed N events at a time instead (memory stays bounded; the standardisation is fitted on the
first chunk), a faster variant reported beside it. Weights are random: this measures throughput,
not physics. Usage: python3 python_score.py FILE OUT [--chunk N]"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
OBJECTS = 13


def parse(line):
    fields = line.strip().rstrip(";").split(";")
    row = [float(fields[2]), float(fields[3]), float(fields[4])]
    for obj in fields[5:5 + OBJECTS]:
        row.extend(float(x) for x in obj.split(",")[1:5])
    row.extend([0.0] * (3 + 4 * OBJECTS - len(row)))
    return fields[0], fields[1], row


def chunks(path, size):
    """The file as (ids, processes, table) batches of `size` events; size 0: the whole file at once."""
    ids, processes, rows = [], [], []
    with gzip.open(path, "rt") as f:
        for line in f:
            event_id, process, row = parse(line)
            ids.append(event_id)
            processes.append(process)
            rows.append(row)
            if len(rows) == size:
                yield ids, processes, np.array(rows, dtype=np.float32)
                ids, processes, rows = [], [], []
    if rows:
        yield ids, processes, np.array(rows, dtype=np.float32)


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
    return x.reshape(n, 56)


def main():
    path, out = sys.argv[1], sys.argv[2]
    size = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--chunk" else 0  # 0: the whole file
    start = time.perf_counter()
    model = nn.Sequential(nn.Linear(56, 64), nn.ReLU(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 64), nn.ReLU(),
                          nn.Linear(64, 56))
    mean = scale = None
    events = 0
    with open(out, "w") as f, torch.no_grad():
        f.write("event_id,process,weight,score\n")
        for ids, processes, table in chunks(path, size):
            x = encode(table)
            if mean is None:
                mean, scale = x.mean(0), x.std(0) + 1e-6
            features = torch.from_numpy((x - mean) / scale)
            scores = torch.cat([((model(b) - b) ** 2).mean(1) for b in torch.split(features, 4096)]).numpy()
            for i in range(len(ids)):
                f.write(f"{ids[i]},{processes[i]},{table[i, 0]},{scores[i]}\n")
            events += len(ids)
    seconds = time.perf_counter() - start
    print(f"python score pipeline: {events} events in {seconds:.2f} s = {events / seconds:.0f} events/s "
          "(after the interpreter's start and imports)")


if __name__ == "__main__":
    main()
