#!/usr/bin/env python3
"""CPU reference for `brainseg bench`: times the same U-Net in PyTorch (Buda et al.'s brain-segmentation-pytorch).

Same network (4 levels, [conv3x3 no bias -> BN -> ReLU] x2, 2x2 max-pool, 2x2 transposed conv, skip concat, 1x1
sigmoid), same batch (4), same loss (soft Dice, smooth 1), same optimiser (Adam, lr 1e-4), same prediction batch
(8 slices). Prints one JSON object. Usage: torch_unet_bench.py [--threads N] [--steps N] [--preset fast|full]
"""
import argparse
import json
import time

import torch
from torch import nn

PRESETS = {"fast": (16, 128), "full": (32, 256)}


def block(in_channels, features):
    return nn.Sequential(
        nn.Conv2d(in_channels, features, 3, padding=1, bias=False), nn.BatchNorm2d(features), nn.ReLU(inplace=True),
        nn.Conv2d(features, features, 3, padding=1, bias=False), nn.BatchNorm2d(features), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, features):
        super().__init__()
        f = features
        self.enc = nn.ModuleList([block(3, f), block(f, 2 * f), block(2 * f, 4 * f), block(4 * f, 8 * f)])
        self.pool = nn.MaxPool2d(2, 2)
        self.bottleneck = block(8 * f, 16 * f)
        self.up = nn.ModuleList([nn.ConvTranspose2d(2 ** (i + 1) * f, 2 ** i * f, 2, stride=2) for i in range(4)])
        self.dec = nn.ModuleList([block(2 ** (i + 1) * f, 2 ** i * f) for i in range(4)])
        self.out = nn.Conv2d(f, 1, 1)

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for i in reversed(range(4)):
            x = self.dec[i](torch.cat([self.up[i](x), skips[i]], dim=1))
        return torch.sigmoid(self.out(x))


def dice_loss(p, y, smooth=1.0):
    intersection = (p * y).sum()
    return 1.0 - (2.0 * intersection + smooth) / (p.sum() + y.sum() + smooth)


def time_preset(name, steps):
    features, size = PRESETS[name]
    model = UNet(features)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.randn(4, 3, size, size)
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    y = (((xx - size / 2) ** 2 + (yy - size / 3) ** 2) < (size / 8) ** 2).float().expand(4, 1, size, size).contiguous()

    def step():
        optimizer.zero_grad()
        loss = dice_loss(model(x), y)
        loss.backward()
        optimizer.step()

    model.train()
    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    train = (time.perf_counter() - start) / steps

    model.eval()
    batch = torch.randn(8, 3, size, size)
    with torch.no_grad():
        model(batch)
        start = time.perf_counter()
        runs = 2
        for _ in range(runs):
            model(batch)
        predict_ms = (time.perf_counter() - start) * 1000 / (runs * 8)
    params = sum(p.numel() for p in model.parameters())
    return {"trainStepSeconds": train, "batchSize": 4, "predictMs": predict_ms, "parameters": params}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--preset", choices=sorted(PRESETS), action="append")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    presets = args.preset or ["fast", "full"]
    result = {"backend": "pytorch-cpu", "torch": torch.__version__, "threads": args.threads,
              "presets": {name: time_preset(name, args.steps) for name in presets}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
