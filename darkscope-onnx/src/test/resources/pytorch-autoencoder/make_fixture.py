#!/usr/bin/env python3
"""Makes the test fixture of a model trained outside darkscope: a small PyTorch autoencoder on
darkscope's event-level features, exported to ONNX, and the scores PyTorch gives.

Run with Debian's python3 and python3-torch (1.13), from this directory:
    /usr/bin/python3 make_fixture.py
It reads features.csv (the raw event-level features of the first 64 events of darkscope's
bundled background, as darkscope computes them), trains the autoencoder for 200 steps on them
(seeded: the weights do not matter, only that darkscope and PyTorch agree on them), and writes
  autoencoder.onnx        input "features" [events, 8] raw; output "reconstruction" [events, 8]
  autoencoder-score.onnx  the same network; output "score" [events], the mean squared error
  expected.csv            event_id, score: the mean squared reconstruction error PyTorch computes
The standardisation (mean and width of these 64 events) is part of the model, as darkscope's
onnx detector expects: its input is the encoding's raw features.
"""
import csv

import torch

torch.manual_seed(20210528)

with open("features.csv") as f:
    rows = list(csv.reader(f))
ids = [r[0] for r in rows[1:]]
x = torch.tensor([[float(v) for v in r[1:]] for r in rows[1:]], dtype=torch.float32)
mean = x.mean(dim=0)
width = x.std(dim=0).clamp(min=1e-3)


class Autoencoder(torch.nn.Module):
    """8 raw features -> standardised -> 8 -> 3 -> 8 -> back to raw units."""

    def __init__(self, score):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("width", width)
        self.net = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3), torch.nn.ReLU(),
                                       torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8))
        self.score = score

    def forward(self, features):
        reconstruction = self.net((features - self.mean) / self.width) * self.width + self.mean
        if self.score:
            return ((reconstruction - features) ** 2).mean(dim=1)
        return reconstruction


model = Autoencoder(score=False)
optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(200):
    optimiser.zero_grad()
    loss = (((model(x) - x) / width) ** 2).mean()
    loss.backward()
    optimiser.step()
model.eval()

scorer = Autoencoder(score=True)
scorer.load_state_dict(model.state_dict())
scorer.eval()

with torch.no_grad():
    for module, name, output in [(model, "autoencoder.onnx", "reconstruction"), (scorer, "autoencoder-score.onnx", "score")]:
        torch.onnx.export(module, x[:2], name, input_names=["features"], output_names=[output],
                          dynamic_axes={"features": {0: "events"}, output: {0: "events"}}, opset_version=13)
    scores = scorer(x)

with open("expected.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["event_id", "score"])
    for i, s in zip(ids, scores.tolist()):
        out.writerow([i, repr(s)])
print("torch", torch.__version__, "wrote autoencoder.onnx, autoencoder-score.onnx and expected.csv for", len(ids), "events")
