#!/usr/bin/env python3
"""Makes the fixture of the talk's table layout: the first 12 events of darkscope's bundled
background as a tab-separated table (header obj1 E1 pt1 eta1 phi1 ..., absent objects' cells
empty, written out on even rows and left off on odd ones), and the same events in the challenge
format with what darkscope assumes for a table: event ID the row number, process the file's name
("events"), weight 1, MET and METphi from the negative vector sum of the objects' pT.
Run from this directory: python3 make_fixture.py
"""
import gzip
import math

with gzip.open("../../../../../data/sample/chan1/background_train.csv.gz", "rt") as f:
    lines = [next(f).rstrip("\n").rstrip(";") for _ in range(12)]
events = [[o.split(",") for o in line.split(";")[5:] if o] for line in lines]
n = max(len(objects) for objects in events)
header = [f"{name}{i}" for i in range(1, n + 1) for name in ("obj", "E", "pt", "eta", "phi")]
with open("events.tsv", "w") as table, open("events-as-challenge.csv", "w") as challenge:
    table.write("\t".join(header) + "\n")
    for row, objects in enumerate(events, 1):
        cells = [cell for o in objects for cell in o]
        if row % 2 == 0:
            cells += [""] * (5 * n - len(cells))
        table.write("\t".join(cells) + "\n")
        px = -sum(float(o[2]) * math.cos(float(o[4])) for o in objects)
        py = -sum(float(o[2]) * math.sin(float(o[4])) for o in objects)
        fields = [str(row), "events", "1", repr(math.hypot(px, py)), repr(math.atan2(py, px))]
        challenge.write(";".join(fields + [",".join(o) for o in objects]) + ";\n")
