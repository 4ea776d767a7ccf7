#!/usr/bin/env python3
"""Summarises darkscope's signal-agnostic protocol: reads the results.json of benchmark runs made
with --distortions (one run per training seed, same data), and prints per detector the mean AUC
over the distortions (averaged over the runs), its standard error, the mean eps_S at eps_B = 1e-2,
and which detectors are equivalent to the best.

Standard error: the spread over the training seeds (sd / sqrt(runs)) combined in quadrature with
the evaluation sample's statistical error of a mean of the distortions' AUCs (J. A. Hanley,
B. J. McNeil, Radiology 143 (1982) 29, taken as independent across distortions). Equivalent: a
mean within one standard error of the best's (the one-standard-error rule, L. Breiman et al.,
Classification and Regression Trees, 1984). Usage: protocol_summary.py RESULTS.json..."""
import json
import math
import statistics
import sys


def hanley_mcneil(auc, n_signal, n_background):
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_signal - 1) * (q1 - auc * auc) + (n_background - 1) * (q2 - auc * auc))
    return math.sqrt(var / (n_signal * n_background))


runs = {}
for path in sys.argv[1:]:
    for result in json.load(open(path))["results"]:
        if "distortions" in result:
            runs.setdefault(result["detector"], []).append(result)

rows = []
for detector, results in runs.items():
    aucs = [r["distortions"]["mean_auc"] for r in results]
    eps = [r["distortions"]["mean_eps_s"]["1e-2"] for r in results]
    distorted = [s for s in results[0]["signals"] if s["name"].startswith("distorted-")]
    # the reference half holds as many events as the distorted half, or one more
    evaluation = math.sqrt(sum(hanley_mcneil(s["auc"], s["events"], s["events"]) ** 2 for s in distorted)) / len(distorted)
    seeds = statistics.stdev(aucs) / math.sqrt(len(aucs)) if len(aucs) > 1 else 0.0
    per = {s["name"][len("distorted-"):]: statistics.mean(
        next(t for t in r["signals"] if t["name"] == s["name"])["auc"] for r in results) for s in distorted}
    rows.append((detector, statistics.mean(aucs), math.hypot(seeds, evaluation), statistics.mean(eps),
                 statistics.mean(r["training_seconds"] for r in results), None, per, len(results)))

rows.sort(key=lambda r: -r[1])
threshold = rows[0][1] - rows[0][2]
names = list(rows[0][6])
print(f"{'detector':40s} {'runs':>4s} {'mean AUC':>8s} {'s.e.':>6s} {'eps_S@1e-2':>10s} {'train s':>7s}  "
      + " ".join(f"{n:>12s}" for n in names) + "  equivalent to the best")
for detector, auc, se, eps, seconds, _, per, n in rows:
    print(f"{detector:40s} {n:4d} {auc:8.3f} {se:6.3f} {eps:10.3f} {seconds:7.1f}  "
          + " ".join(f"{per[k]:12.3f}" for k in names) + ("  yes" if auc >= threshold else ""))
print(f"best {rows[0][0]}: {rows[0][1]:.4f} +- {rows[0][2]:.4f}; equivalent: mean AUC >= {threshold:.4f}")
