"""Trains reference backbones as image classifiers on Fashion-MNIST and saves their state dicts
with torch.save, for issue 18's "what pretraining buys" (dev only; docs/pretrained.md).

The published ImageNet weights cannot be downloaded here (no internet besides PyPI and Debian),
so the mechanics are shown with weights trained on this machine: the reference models themselves
(torchvision's, with their own module names), trained on an image set that a Debian package ships
(`apt-get install dataset-fashion-mnist`: 60,000 training and 10,000 test images of clothing,
28 x 28 grey, MIT licence), and saved as torch.save writes a published checkpoint.

    $HOME/.venvs/anchor/bin/python bench/pretrain_fashion_mnist.py --out /tmp/fm-weights
        [--models mobilenet_v2,shufflenet_v2_x1_0,mobilenet_v3_small] [--epochs 3] [--imgsz 64]
        [--threads 1] [--data /usr/share/datasets/fashion-mnist]

Inputs are scaled to [0, 1] without ImageNet's mean and std, as YOLOv5 (and studyctl) feed the
detector, replicated to three channels and resized to --imgsz. Recipe: SGD (momentum 0.9,
Nesterov), lr 0.05 with a cosine decay, weight decay 4e-5, batch 128, random horizontal flips.
Writes <out>/<model>.pth (the state dict, classifier head included: studyctl ignores and counts
it) and <out>/summary.json (test accuracy per epoch, seconds, and each file's SHA-256).
"""
import argparse
import gzip
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torchvision


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def batches(images: torch.Tensor, labels: torch.Tensor, size: int, imgsz: int, generator, train: bool):
    order = torch.randperm(len(images), generator=generator) if train else torch.arange(len(images))
    for start in range(0, len(images), size):
        index = order[start:start + size]
        x = images[index].float().div(255).unsqueeze(1)
        x = F.interpolate(x, size=(imgsz, imgsz), mode="bilinear", align_corners=False).expand(-1, 3, -1, -1)
        if train:
            flip = torch.rand(len(index), generator=generator) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
        yield x.contiguous(), labels[index]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--models", default="mobilenet_v2,shufflenet_v2_x1_0,mobilenet_v3_small")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--imgsz", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    data = Path(args.data)
    train_x = torch.from_numpy(read_idx(data / "train-images-idx3-ubyte.gz").copy())
    train_y = torch.from_numpy(read_idx(data / "train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x = torch.from_numpy(read_idx(data / "t10k-images-idx3-ubyte.gz").copy())
    test_y = torch.from_numpy(read_idx(data / "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    for name in args.models.split(","):
        torch.manual_seed(0)
        generator = torch.Generator().manual_seed(0)
        model = getattr(torchvision.models, name)(num_classes=10)
        steps = args.epochs * ((len(train_x) + 127) // 128)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=4e-5)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
        record = {"epochs": [], "imgsz": args.imgsz, "threads": args.threads}
        began = time.time()
        for epoch in range(args.epochs):
            model.train()
            for x, y in batches(train_x, train_y, 128, args.imgsz, generator, True):
                loss = F.cross_entropy(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
            model.eval()
            correct = 0
            with torch.no_grad():
                for x, y in batches(test_x, test_y, 500, args.imgsz, generator, False):
                    correct += (model(x).argmax(1) == y).sum().item()
            accuracy = correct / len(test_x)
            record["epochs"].append({"epoch": epoch + 1, "test_accuracy": accuracy, "seconds": time.time() - began})
            print(f"{name} epoch {epoch + 1}/{args.epochs}: test accuracy {accuracy:.4f} ({time.time() - began:.0f} s)", flush=True)
        path = out / f"{name}-fashion-mnist.pth"
        temporary = path.with_suffix(".tmp")
        torch.save(model.state_dict(), temporary)
        temporary.rename(path)
        record["file"] = path.name
        record["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        summary[name] = record
        summary_path.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
