"""The PyTorch peer of darkscope's training benchmark: the same networks (ae, vae, conv-vae and image-cvae as
darkscope builds them by default), batch size, Adam, gradient-norm clipping at 5 and thread count,
on random standard-normal inputs. Prints events/s over the training batches of an epoch, median of
the epochs after the first. Usage: python3 torch_train.py DETECTOR EVENTS EPOCHS BATCH"""
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)


class AE(nn.Module):
    """kinematic-56 input: 56-64-16-64-56, ReLU after every layer but the last."""

    def __init__(self, d=56):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 16), nn.ReLU(),
                                 nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, d))

    def loss(self, x):
        return ((self.net(x) - x) ** 2).mean()


class VAE(nn.Module):
    """Encoder 56-64-32, heads 8 and 8 (log-variance bounded by 8 tanh(./8)), decoder 8-32-64-56."""

    def __init__(self, encoder, latent, hidden, decoder, beta=1.0):
        super().__init__()
        self.encoder, self.decoder, self.beta = encoder, decoder, beta
        self.mu = nn.Linear(hidden, latent)
        self.log_var = nn.Linear(hidden, latent)

    def loss(self, x):
        h = self.encoder(x)
        mu = self.mu(h)
        log_var = 8 * torch.tanh(self.log_var(h) / 8)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        reconstruction = 0.5 * ((self.decoder(z) - x) ** 2).flatten(1).sum(1)
        kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).sum(1)
        return (reconstruction + self.beta * kl).mean()


class DropFirstColumn(nn.Module):
    def forward(self, x):
        return x[:, :, :, 1:]


def conv(cin, cout):
    """Keras 'same' for kernel (1,4): pad 2 both sides, drop the first output column (as darkscope)."""
    return nn.Sequential(nn.Conv2d(cin, cout, (1, 4), padding=(0, 2)), DropFirstColumn())


class Unflatten(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape((-1,) + self.shape)


class Reshape(nn.Module):
    def forward(self, x):
        return x.reshape(-1, 4, 1, 14)


def build(name):
    if name == "ae":
        return AE(), (56,)
    if name == "vae":
        encoder = nn.Sequential(nn.Linear(56, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        decoder = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 56))
        return VAE(encoder, 8, 32, decoder), (56,)
    if name == "conv-vae":
        encoder = nn.Sequential(conv(4, 32), nn.ReLU(), nn.MaxPool2d((1, 2)), conv(32, 32), nn.ReLU(), nn.Flatten(),
                                nn.Linear(224, 50), nn.ReLU(), nn.Linear(50, 16), nn.ReLU())
        decoder = nn.Sequential(nn.Linear(4, 56), nn.ReLU(), Reshape(), conv(4, 32), nn.ReLU(), conv(32, 20), nn.ReLU(),
                                conv(20, 4))
        return VAE(encoder, 4, 16, decoder), (4, 1, 14)
    if name == "image-cvae":
        # the talk's CVAE on 75x75x3 images: conv 128 3x3 stride 3, LeakyReLU 0.05, latent 256; the decoder its mirror
        encoder = nn.Sequential(nn.Conv2d(3, 128, 3, stride=3), nn.LeakyReLU(0.05), nn.Flatten())
        decoder = nn.Sequential(nn.Linear(256, 128 * 25 * 25), nn.LeakyReLU(0.05), Unflatten(128, 25, 25),
                                nn.ConvTranspose2d(128, 3, 3, stride=3))
        return VAE(encoder, 256, 128 * 25 * 25, decoder), (3, 75, 75)
    raise SystemExit("unknown detector " + name)


def main():
    name, events, epochs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    model, shape = build(name)
    parameters = sum(p.numel() for p in model.parameters())
    data = torch.randn((events,) + shape)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rates = []
    for _ in range(epochs):
        order = torch.randperm(events)
        shuffled = data[order]
        start = time.perf_counter()
        for i in range(0, events, batch):
            x = shuffled[i:i + batch]
            optimizer.zero_grad()
            loss = model.loss(x)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
        rates.append(events / (time.perf_counter() - start))
    median = statistics.median(rates[1:])
    print(f"pytorch train {name}: {parameters} parameters, {events} events x {epochs} epochs, batch {batch}: "
          f"{median:.0f} events/s (median epoch), torch {torch.__version__}")
    print(f"RESULT torch_train_{name}_events_per_s {median:.0f}")


if __name__ == "__main__":
    main()
