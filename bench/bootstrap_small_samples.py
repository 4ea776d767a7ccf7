#!/usr/bin/env python3
"""How well the bootstrap's error of an AUC knows the true spread when the signal has few events.

Gaussian scores (background N(0,1), 2,000 events; signal N(1.5,1), n events), 300 samples of each
size: the true spread of the AUC over the samples against the bootstrap's error of each sample (100
replicates, both samples resampled, as darkscope's). Prints, per n, the two, their ratio, and the
fraction of samples whose bootstrap error is below half the true spread. It is why evaluate and
results.md call errors from fewer than 10 signal events rough (docs/reference.md, figures of merit).
Debian's python3 with NumPy; seeded, so it prints the same every run.
"""
import numpy as np

rng = np.random.default_rng(1)


def auc(background, signal):
    ordered = np.sort(background)
    return np.mean(np.searchsorted(ordered, signal) / len(background))


for n in (3, 10, 30):
    aucs, errors = [], []
    for _ in range(300):
        b = rng.normal(0, 1, 2000)
        s = rng.normal(1.5, 1, n)
        aucs.append(auc(b, s))
        replicates = [auc(rng.choice(b, len(b)), rng.choice(s, n)) for _ in range(100)]
        errors.append(np.std(replicates))
    truth = np.std(aucs)
    print(f"{n:3d} signal events: true spread {truth:.4f}, bootstrap error {np.mean(errors):.4f} on average "
          f"(ratio {np.mean(errors) / truth:.2f}), below half the truth in {np.mean(np.array(errors) < 0.5 * truth):.2f} of samples")
