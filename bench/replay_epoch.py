"""Replays studyctl's first training epoch with yolov5 v7.0's own train.py loop (dev-only experiment).

studyctl, patched with bench/replay_dump.patch (`git apply`; never committed to the sources), writes
its initial weights, every batch of epoch 0 (images after augmentation, targets), its per-batch
losses, gradient norms, accumulate, lr and momentum, and the weights and EMA after the epoch:

    git apply bench/replay_dump.patch && swift build -c release --product studyctl
    STUDYCTL_DUMP=/tmp/dump .build/release/studyctl train --data DATA.yaml --backbone cspdarknet \
        --neck pan-sppf --epochs 30 --batch 16 --imgsz 160 --seed 0 --output /tmp/dumprun   # stop after epoch 0
    git checkout Sources/Training/Trainer.swift
    $HOME/.venvs/anchor/bin/python bench/replay_epoch.py /tmp/dump          # PERTURB=1e-6 for the chaos check

This script feeds the same batches, from the same initial weights, through yolov5's Model,
ComputeLoss, smart_optimizer, warm-up, clip_grad_norm_ and ModelEMA, prints both sides' losses and
gradient norms per batch, and the tensors that differ most after the epoch. PERTURB=ε multiplies
every initial weight by (1 + ε·N(0,1)) to show how far PyTorch drifts from itself.
"""
import sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import torch
import cross_validate as xv
from yolov5.utils.loss import ComputeLoss
from yolov5.utils.torch_utils import ModelEMA, smart_optimizer
from safetensors.numpy import load_file
import yaml, yolov5

torch.set_num_threads(2)
D = Path(sys.argv[1])
epoch = int(sys.argv[2]) if len(sys.argv) > 2 else 0
# the recipe of the dumped run: 872 images (55 batches), 30 epochs
hyp = yaml.safe_load((Path(yolov5.__file__).parent / "data/hyps/hyp.scratch-low.yaml").read_text())
nc, imgsz, bs, nb, epochs = 1, 160, 16, 55, 30
model = xv.from_studyctl(str(D / "start.safetensors"), nc, hyp)
import os
if os.environ.get("PERTURB"):
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(1 + float(os.environ["PERTURB"]) * torch.randn(p.shape, generator=g))
nl = 3
hyp["box"] *= 3 / nl; hyp["cls"] *= nc / 80 * 3 / nl; hyp["obj"] *= (imgsz / 640) ** 2 * 3 / nl
hyp["label_smoothing"] = 0.0
model.nc = nc; model.hyp = hyp
nbs = 64
accumulate = max(round(nbs / bs), 1)
hyp["weight_decay"] *= bs * accumulate / nbs
optimizer = smart_optimizer(model, "SGD", hyp["lr0"], hyp["momentum"], hyp["weight_decay"])
lf = lambda x: (1 - x / epochs) * (1.0 - hyp["lrf"]) + hyp["lrf"]
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lf)
ema = ModelEMA(model)
scheduler.last_epoch = -1
for _ in range(epoch):  # the scheduler.step() of every finished epoch
    scheduler.step()
nw = max(round(hyp["warmup_epochs"] * nb), 100)
last_opt_step = -1
if epoch > 0:  # the optimiser and EMA state studyctl had when the epoch started
    for x in optimizer.param_groups:
        x["momentum"] = np.interp(min(nb * epoch, nw), [0, nw], [hyp["warmup_momentum"], hyp["momentum"]])
    names = open(D / "names.txt").read().split("\n")
    momentum = load_file(str(D / "momentum.safetensors"))
    params = dict(model.named_parameters())
    for k, name in enumerate(names):
        p = params[xv.yolov5_name(name)]
        optimizer.state[p]["momentum_buffer"] = torch.from_numpy(momentum[f"state.{k}.momentum_buffer"].copy())
    ema.ema.load_state_dict(xv.from_studyctl(str(D / "start_ema.safetensors"), nc, hyp).state_dict())
    ema.updates, last_opt_step, accumulate = map(int, open(D / "counters.txt").read().split())
compute_loss = ComputeLoss(model)
model.train()
log = [l.split() for l in open(D / "log.txt")]
optimizer.zero_grad()
for i in range(nb):
    ni = i + nb * epoch
    raw = np.fromfile(D / f"batch{i}.f32", dtype=np.float32)
    n = raw.size // (3 * imgsz * imgsz)
    imgs = torch.from_numpy(raw.reshape(n, 3, imgsz, imgsz))
    t = [list(map(float, l.split())) for l in open(D / f"targets{i}.txt").read().splitlines() if l.strip()]
    targets = torch.tensor(t, dtype=torch.float32).reshape(-1, 6)
    if ni <= nw:
        xi = [0, nw]
        accumulate = max(1, np.interp(ni, xi, [1, nbs / bs]).round())
        for j, x in enumerate(optimizer.param_groups):
            x["lr"] = np.interp(ni, xi, [hyp["warmup_bias_lr"] if j == 0 else 0.0, x["initial_lr"] * lf(epoch)])
            if "momentum" in x:
                x["momentum"] = np.interp(ni, xi, [hyp["warmup_momentum"], hyp["momentum"]])
    pred = model(imgs)
    loss, items = compute_loss(pred, targets)
    loss.backward()
    gn = -1.0
    if ni - last_opt_step >= accumulate:
        gn = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0))
        optimizer.step()
        optimizer.zero_grad()
        ema.update(model)
        last_opt_step = ni
    s = log[i]
    print(f"{i:2d} box {items[0]:.6f} vs {float(s[5]):.6f}  obj {items[1]:.6f} vs {float(s[6]):.6f}  gnorm {gn:9.4f} vs {float(s[8]):9.4f} acc {accumulate} vs {s[9]}")

after = load_file(str(D / "after.safetensors"))
emas = load_file(str(D / "ema.safetensors"))
state = model.state_dict(); es = ema.ema.state_dict()
rows = []
for name, v in after.items():
    k = xv.yolov5_name(name)
    a = state[k].detach().numpy(); b = v
    e = es[k].detach().numpy(); eb = emas[name]
    rel = np.abs(a - b).max() / (np.abs(a).max() + 1e-12)
    erel = np.abs(e - eb).max() / (np.abs(e).max() + 1e-12)
    rows.append((rel, erel, name, k))
rows.sort(reverse=True)
for r in rows[:25]:
    print(f"{r[0]:.2e} ema {r[1]:.2e} {r[2]} {r[3]}")
print("median rel", np.median([r[0] for r in rows]), "median ema rel", np.median([r[1] for r in rows]))
