"""Every studyctl zoo cell <backbone>__<neck> built in PyTorch, checked by parameter count against
`studyctl models`, and timed doing what YOLOv5 v7.0 train.py does per batch on the CPU (dev only).

    $HOME/.venvs/anchor/bin/python bench/torch_cells.py [--cells NAME ...] [--nc 8] [--iterations 20]
        [--warmup 4] [--boxes 4] [--threads 2] [--studyctl PATH] [--shufflenetv1 DIR] [--check-only] [--out FILE]

Cells default to the grid of studies/seed-replication.toml (9 backbones x pan-sppf, pan-aspp).
Prints JSON (also to --out): per cell params (at --nc and at nc=80) next to studyctl's, seconds per
batch, images/s, and an eval-mode forward time used to scale validation. Exits 1 if a count differs.

The cells, as docs/zoo.md defines them (same modules, so the same parameter count):
  trunk      the reference trunk tools/zoo_reference.py uses (torchvision, timm; yolov5n.yaml rows
             0-8 for cspdarknet; ShuffleNetV1 g=3 1.0x transcribed below from megvii's official
             ShuffleNetV1/{network,blocks}.py, or that code itself with --shufflenetv1 DIR); its
             P3/P4/P5 are the outputs of the last child at strides 8/16/32, P5 the trunk's output
  adapters   yolov5 Conv (1x1 conv + BN + SiLU) to 64/128/256 wherever a tap's width differs
  context    on P5: yolov5n's own SPPF (row 9), or ASPP (rates 1,2,3; branches yolov5 Conv of width
             128; image-pooling branch 1x1 conv with bias + SiLU, no BN; 1x1 Conv projection to 256)
  head       rows 10-24 (PAN + Detect) of a yolov5 Model(yolov5n.yaml, nc): its modules, its
             stride, anchors and _initialize_biases, routed by each row's `f` as the Model does
cspdarknet__pan-sppf is yolov5's Model(yolov5n.yaml) itself. Trunk convs get PyTorch's default
init (as studyctl; speed does not depend on it) and the whole cell yolov5's initialize_weights.

What is timed per batch, at --threads (default 2), batch 16 x 3 x 160 x 160, train mode: uint8 -> float
/255, forward, ComputeLoss (hyp.scratch-low scaled as train.py: box*3/nl, cls*nc/80*3/nl,
obj*(imgsz/640)^2*3/nl, weight_decay*batch*accumulate/64), backward; every 4th batch (accumulate
64/16, train.py after its warm-up) clip_grad_norm_(10), SGD step (nesterov, smart_optimizer's three
groups), zero_grad, ModelEMA update. Random images; targets --boxes per image (random class, centre,
w/h 5-40 % of the side). s_per_batch = median over 4-batch accumulation cycles of cycle time / 4, so
the optimizer/EMA work is spread over its 4 batches; --iterations batches are timed (rounded up to
whole cycles) after --warmup untimed ones. No data loading, no augmentation, no logging: that is what
bench/compare_grid.py adds back from yolov5n's measured train.py epochs.

eval_fwd_s: the EMA model (BatchNorm statistics calibrated on a few random batches, so no denormals)
in eval mode under no_grad, one forward of --val-batch x 3 x --val-imgsz^2 (train.py validates at
batch 2 x 16; a 160 px square image gets a 192 px rect shape), median of 5 after 2.
"""
import argparse
import copy
import json
import math
import os
import statistics
import subprocess
import sys
import time
import tomllib
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRATCH = Path(os.environ.get("TMPDIR", "/tmp")) / "torch-cells"
for key, value in {"YOLO_OFFLINE": "1", "YOLOv5_AUTOINSTALL": "false", "HF_HUB_OFFLINE": "1",
                   "YOLOV5_CONFIG_DIR": str(SCRATCH / "cfg"), "YOLO_CONFIG_DIR": str(SCRATCH / "cfg"),
                   "MPLCONFIGDIR": str(SCRATCH / "mpl")}.items():
    os.environ.setdefault(key, value)
(SCRATCH / "cfg").mkdir(parents=True, exist_ok=True)
warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated.*")

import logging  # noqa: E402

import numpy as np  # noqa: E402

if not hasattr(np, "trapz"):  # NumPy >= 2.4; yolov5.utils.metrics uses it (imported, not called here)
    np.trapz = np.trapezoid
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from yolov5.models.common import Conv  # noqa: E402
from yolov5.models.yolo import Model  # noqa: E402
from yolov5.utils.loss import ComputeLoss  # noqa: E402
from yolov5.utils.torch_utils import ModelEMA, initialize_weights, smart_optimizer  # noqa: E402

logging.getLogger("yolov5").setLevel(logging.WARNING)  # after yolov5's own set_logging
Model.info = lambda self, *a, **k: None  # the summary Model() logs (a thop profile: seconds per build)

YOLOV5N = Path(sys.modules["yolov5"].__file__).parent / "models" / "yolov5n.yaml"
HYP = Path(sys.modules["yolov5"].__file__).parent / "data" / "hyps" / "hyp.scratch-low.yaml"
WIDTHS = (64, 128, 256)  # yolov5n's P3, P4, P5 and the PAN's inputs
NBS = 64


# ---- ShuffleNetV1 g=3 1.0x: megvii-model/ShuffleNet-Series ShuffleNetV1/blocks.py, network.py (MIT) ----
class ShuffleV1Block(nn.Module):
    def __init__(self, inp, oup, *, group, first_group, mid_channels, ksize, stride):
        super().__init__()
        self.stride, self.group = stride, group
        outputs = oup - inp if stride == 2 else oup
        self.branch_main_1 = nn.Sequential(
            nn.Conv2d(inp, mid_channels, 1, 1, 0, groups=1 if first_group else group, bias=False),
            nn.BatchNorm2d(mid_channels), nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, mid_channels, ksize, stride, ksize // 2, groups=mid_channels, bias=False),
            nn.BatchNorm2d(mid_channels))
        self.branch_main_2 = nn.Sequential(nn.Conv2d(mid_channels, outputs, 1, 1, 0, groups=group, bias=False),
                                           nn.BatchNorm2d(outputs))
        if stride == 2:
            self.branch_proj = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)

    def forward(self, old_x):
        x = self.branch_main_1(old_x)
        if self.group > 1:  # official channel_shuffle: view [N, C/g, g, H, W], swap, flatten
            n, c, h, w = x.shape
            x = x.reshape(n, c // self.group, self.group, h, w).permute(0, 2, 1, 3, 4).reshape(n, c, h, w)
        x = self.branch_main_2(x)
        if self.stride == 1:
            return F.relu(x + old_x)
        return torch.cat((self.branch_proj(old_x), F.relu(x)), 1)


def shufflenetv1_trunk(official_dir=None):
    if official_dir:  # the official code itself, as tools/zoo_reference.py --shufflenetv1 DIR
        import contextlib
        import io
        sys.path.insert(0, official_dir)
        from network import ShuffleNetV1
        with contextlib.redirect_stdout(io.StringIO()):
            m = ShuffleNetV1(model_size="1.0x", group=3)
        return nn.Sequential(m.first_conv, m.maxpool, *m.features)
    channels, layers, inp = [24, 240, 480, 960], [], 24
    for stage, repeats in enumerate([4, 8, 4]):
        for i in range(repeats):
            layers.append(ShuffleV1Block(inp, channels[stage + 1], group=3, first_group=stage == 0 and i == 0,
                                         mid_channels=channels[stage + 1] // 4, ksize=3, stride=2 if i == 0 else 1))
            inp = channels[stage + 1]
    first = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))
    return nn.Sequential(first, nn.MaxPool2d(kernel_size=3, stride=2, padding=1), *layers)


# ---- the reference trunks of tools/zoo_reference.py ----------------------------------------------
def reference_trunk(name, shufflenetv1_dir=None):
    import timm
    import torchvision.models as tv
    from timm.models.efficientnet import _gen_mobilenet_v1
    base, _, width = name.partition("@")
    width = float(width) if width else 1.0
    if base == "mobilenetv2":
        return tv.mobilenet_v2(width_mult=width).features
    if base == "mobilenetv3-small":
        return tv.mobilenet_v3_small().features
    if base == "mobilenetv3-large":
        return tv.mobilenet_v3_large().features
    if base == "mnasnet":
        return {1.0: tv.mnasnet1_0, 0.5: tv.mnasnet0_5}[width]().layers
    if base == "shufflenetv2":
        m = {1.0: tv.shufflenet_v2_x1_0, 0.5: tv.shufflenet_v2_x0_5}[width]()
        return nn.Sequential(m.conv1, m.maxpool, m.stage2, m.stage3, m.stage4, m.conv5)
    if base == "mobilenetv1":
        m = _gen_mobilenet_v1(f"mobilenetv1_{int(width * 100)}", width)
        return nn.Sequential(m.conv_stem, m.bn1, *m.blocks)
    if base == "ghostnet":
        m = timm.create_model("ghostnet_100")
        return nn.Sequential(m.conv_stem, m.bn1, m.act1, *m.blocks)
    if base == "shufflenetv1":
        return shufflenetv1_trunk(shufflenetv1_dir)
    raise SystemExit(f"unknown backbone {name}")


class ASPP(nn.Module):
    """docs/zoo.md pan-aspp: 1x1 branch, a dilated 3x3 branch per rate, image pooling, 1x1 projection."""

    def __init__(self, c1, c2, rates=(1, 2, 3)):
        super().__init__()
        c_ = c1 // 2
        self.conv1x1 = Conv(c1, c_, 1)
        self.atrous = nn.ModuleList(Conv(c1, c_, 3, d=r) for r in rates)
        self.pool = nn.Conv2d(c1, c_, 1)  # bias, no BatchNorm
        self.project = Conv(c_ * (len(rates) + 2), c2, 1)

    def forward(self, x):
        image = F.silu(self.pool(F.adaptive_avg_pool2d(x, 1))).expand(-1, -1, *x.shape[2:])
        return self.project(torch.cat([self.conv1x1(x), *(a(x) for a in self.atrous), image], 1))


def yolov5n(nc):
    return Model(str(YOLOV5N), ch=3, nc=nc)


class Cell(nn.Module):
    """trunk -> adapters -> SPPF/ASPP on P5 -> yolov5n rows 10-24. `model[-1]` is the Detect (ComputeLoss)."""

    def __init__(self, backbone, neck, nc, shufflenetv1_dir=None):
        super().__init__()
        base = yolov5n(nc)
        if backbone == "cspdarknet":
            self.trunk = nn.Sequential(*base.model[:9])
        else:
            self.trunk = reference_trunk(backbone, shufflenetv1_dir)
            for m in self.trunk.modules():  # PyTorch's defaults, as studyctl initialises
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    m.reset_parameters()
                elif isinstance(m, nn.modules.batchnorm._BatchNorm):
                    nn.init.ones_(m.weight), nn.init.zeros_(m.bias)
        self.taps, channels = self._taps()
        self.adapt = nn.ModuleList(nn.Identity() if c == w else Conv(c, w, 1) for c, w in zip(channels, WIDTHS))
        rates = [int(r) for r in neck.partition("@")[2].split(",")] if "@" in neck else [1, 2, 3]
        self.context = base.model[9] if neck.startswith("pan-sppf") else ASPP(256, 256, rates)
        self.model = base.model[10:]  # rows 10..24 (Detect last), modules keep their .f / .i
        self.stride = base.stride
        initialize_weights(self)
        for m in self.modules():  # initialize_weights matches nn.BatchNorm2d by type only (timm subclasses it)
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.eps, m.momentum = 1e-3, 0.03

    @torch.no_grad()
    def _taps(self, size=160):
        x, last = torch.zeros(1, 3, size, size), {}
        for i, m in enumerate(self.trunk.eval()):
            x = m(x)
            last[size // x.shape[-1]] = (i, x.shape[1])
        self.trunk.train()
        assert last[32][0] == len(self.trunk) - 1, "P5 must be the trunk's output"
        return [last[s][0] for s in (8, 16, 32)], [last[s][1] for s in (8, 16, 32)]

    def forward(self, x):
        feats = []
        for i, m in enumerate(self.trunk):
            x = m(x)
            if i in self.taps:
                feats.append(x)
        p3, p4, p5 = (a(f) for a, f in zip(self.adapt, feats))
        y = {4: p3, 6: p4, 9: self.context(p5)}
        x = y[9]
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y[m.i] = x
        return x


def build(name, nc, shufflenetv1_dir=None):
    backbone, neck = name.split("__")
    torch.manual_seed(0)
    if name == "cspdarknet__pan-sppf":
        return yolov5n(nc)
    return Cell(backbone, neck, nc, shufflenetv1_dir)


def n_params(m):
    return sum(p.numel() for p in m.parameters())


# ---- the train.py step ---------------------------------------------------------------------------
def train_hyp(nc, imgsz, batch, nl=3):
    import yaml
    hyp = yaml.safe_load(HYP.read_text())
    hyp["box"] *= 3 / nl
    hyp["cls"] *= nc / 80 * 3 / nl
    hyp["obj"] *= (imgsz / 640) ** 2 * 3 / nl
    hyp["label_smoothing"] = 0.0
    hyp["weight_decay"] *= batch * max(round(NBS / batch), 1) / NBS
    return hyp


def random_targets(batch, nc, per_image, gen):
    """yolov5 target rows [image, class, cx, cy, w, h], normalised, boxes inside the image (torch_bench.py)."""
    n = batch * per_image
    img = torch.arange(batch).repeat_interleave(per_image).float()
    cls = torch.randint(0, nc, (n,), generator=gen).float()
    wh = 0.05 + 0.35 * torch.rand(n, 2, generator=gen)
    c = wh / 2 + (1 - wh) * torch.rand(n, 2, generator=gen)
    return torch.cat([img[:, None], cls[:, None], c, wh], 1)


def time_cell(model, a):
    hyp = train_hyp(a.nc, a.imgsz, a.batch)
    model.nc, model.hyp = a.nc, hyp
    model.train()
    compute_loss = ComputeLoss(model)
    opt = smart_optimizer(model, "SGD", hyp["lr0"], hyp["momentum"], hyp["weight_decay"])
    ema = ModelEMA(model)
    gen = torch.Generator().manual_seed(0)
    imgs = torch.randint(0, 256, (a.batch, 3, a.imgsz, a.imgsz), dtype=torch.uint8, generator=gen)
    targets = random_targets(a.batch, a.nc, a.boxes, gen)
    accumulate = max(round(NBS / a.batch), 1)
    state = {"last": -1}

    def batch(ni):
        pred = model(imgs.float() / 255)
        loss, _ = compute_loss(pred, targets)
        loss.backward()
        if ni - state["last"] >= accumulate:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0)
            opt.step()
            opt.zero_grad()
            ema.update(model)
            state["last"] = ni
        return float(loss)

    warm = math.ceil(a.warmup / accumulate) * accumulate
    cycles = max(1, math.ceil(a.iterations / accumulate))
    times, losses = [], []
    for ni in range(warm + cycles * accumulate):
        t0 = time.perf_counter()
        losses.append(batch(ni))
        times.append(time.perf_counter() - t0)
    timed = times[warm:]
    per_cycle = [sum(timed[i:i + accumulate]) / accumulate for i in range(0, len(timed), accumulate)]
    s = statistics.median(per_cycle)
    return {"s_per_batch": s, "images_per_s": a.batch / s, "cycle_means_s": per_cycle,
            "s_per_batch_min": min(timed), "s_per_batch_max": max(timed), "timed_batches": len(timed),
            "loss_first": losses[0], "loss_last": losses[-1], "eval_fwd_s": time_eval(ema.ema, model, a)}


@torch.no_grad()
def time_eval(ema_model, model, a):
    m = copy.deepcopy(ema_model)
    bns = [b for b in m.modules() if isinstance(b, nn.modules.batchnorm._BatchNorm)]
    for b in bns:
        b.reset_running_stats()
        b.momentum = None  # cumulative average over the calibration batches
    gen = torch.Generator().manual_seed(1)
    m.train()
    for _ in range(3):
        m(torch.rand(a.batch, 3, a.imgsz, a.imgsz, generator=gen))
    m.eval()
    x = torch.rand(a.val_batch, 3, a.val_imgsz, a.val_imgsz, generator=gen)
    ts = []
    for i in range(7):
        t0 = time.perf_counter()
        m(x)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts[2:])


def studyctl_params(path, nc):
    if not path or not Path(path).exists():
        return {}
    out = subprocess.run([path, "models", "--nc", str(nc), "--json"], capture_output=True, text=True, check=True).stdout
    return {r["name"]: r["parameters"] for r in json.loads(out)}


def study_cells(toml_path):
    grid = tomllib.loads(Path(toml_path).read_text())["grid"]
    return [f"{b}__{n}" for b in grid["backbone"] for n in grid["neck"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cells", nargs="*", help="cells backbone__neck (default: the study's grid)")
    ap.add_argument("--study", default=str(HERE.parent / "studies" / "seed-replication.toml"))
    ap.add_argument("--nc", type=int, default=8, help="classes of the timed models (the synth set has 8)")
    ap.add_argument("--imgsz", type=int, default=160)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--iterations", type=int, default=20, help="timed batches (rounded up to whole 4-batch cycles)")
    ap.add_argument("--warmup", type=int, default=4, help="untimed batches first (rounded up to whole cycles)")
    ap.add_argument("--boxes", type=int, default=4, help="targets per image")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val-batch", type=int, default=32)
    ap.add_argument("--val-imgsz", type=int, default=192)
    ap.add_argument("--studyctl", default=os.environ.get("STUDYCTL", str(HERE.parent / ".build" / "release" / "studyctl")))
    ap.add_argument("--shufflenetv1", help="folder with megvii's official ShuffleNetV1/{network,blocks}.py")
    ap.add_argument("--check-only", action="store_true", help="parameter counts only, no timing")
    ap.add_argument("--out", help="also write the JSON here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cells = a.cells or study_cells(a.study)
    ref = {nc: studyctl_params(a.studyctl, nc) for nc in sorted({80, a.nc})}
    res = {"meta": {"torch": torch.__version__, "threads": torch.get_num_threads(), "nc": a.nc, "imgsz": a.imgsz,
                    "batch": a.batch, "boxes_per_image": a.boxes, "val_batch": a.val_batch, "val_imgsz": a.val_imgsz,
                    "studyctl": a.studyctl if ref[80] else None, "shufflenetv1": a.shufflenetv1 or "transcribed"},
           "cells": {}}
    mismatches = []
    for name in cells:
        t0 = time.perf_counter()
        r = {"params_nc80": n_params(build(name, 80, a.shufflenetv1))}
        model = build(name, a.nc, a.shufflenetv1)
        r["params"] = n_params(model)
        for nc, key in ((80, "nc80"), (a.nc, "")):
            theirs = ref[nc].get(name)
            ours = r["params_nc80"] if nc == 80 else r["params"]
            r["studyctl_params" + ("_" + key if key else "")] = theirs
            if theirs is not None and theirs != ours:
                mismatches.append(f"{name} nc={nc}: torch {ours:,} != studyctl {theirs:,}")
        if not a.check_only:
            r.update(time_cell(model, a))
        r["wall_s"] = time.perf_counter() - t0
        res["cells"][name] = r
        ips = f"  {r['s_per_batch']:.3f} s/batch  {r['images_per_s']:.1f} img/s  eval fwd {r['eval_fwd_s']:.3f} s" \
            if "s_per_batch" in r else ""
        match = "" if r["studyctl_params"] is None else (" = studyctl" if r["studyctl_params"] == r["params"] else " != studyctl")
        print(f"[torch_cells] {name:32s} {r['params']:>9,d} params{match}{ips}", file=sys.stderr, flush=True)
    res["param_mismatches"] = mismatches
    text = json.dumps(res, indent=1)
    if a.out:
        Path(a.out).write_text(text)
    print(text)
    if mismatches:
        print("parameter counts differ:\n  " + "\n  ".join(mismatches), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
