"""Validates PyTorch YOLOv5's and studyctl's trained yolov5n weights with both validators (dev only).

    $HOME/.venvs/anchor/bin/python bench/cross_validate.py DATA.yaml TORCH_best.pt STUDYCTL_best.safetensors [OUT]

Each weights file is validated four ways: yolov5 7.0.14's val.run exactly as train.py calls it every
epoch (EMA model in fp32, rect batches of 2x16 with pad 0.5, conf 0.001, IoU 0.6, ComputeLoss for the
val losses) and `studyctl val`, each on its own weights and on the other's, converted by name. When
both validators agree on the same weights, a gap between the two trainers' curves is in training, not
in evaluation. The converted files are written to OUT (default /tmp/cross-validate).
"""
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ["YOLOv5_AUTOINSTALL"] = "false"
os.environ["YOLO_OFFLINE"] = "1"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402

if not hasattr(np, "trapz"):  # NumPy >= 2.4 removed it; yolov5 utils/metrics.compute_ap calls it
    np.trapz = np.trapezoid

import torch  # noqa: E402
import yaml  # noqa: E402
from safetensors.numpy import load_file, save_file  # noqa: E402

import yolov5  # noqa: E402
import yolov5.utils.general as y_general  # noqa: E402

y_general.check_font = lambda *a, **k: None  # check_dataset would download Arial.ttf; nothing is plotted here
import yolov5.val as y_val  # noqa: E402
from yolov5.models.yolo import Model  # noqa: E402
from yolov5.utils.dataloaders import create_dataloader  # noqa: E402
from yolov5.utils.loss import ComputeLoss  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STUDYCTL = ROOT / ".build/release/studyctl"
IMGSZ, BATCH = 160, 16
VAL_DIR = Path("/tmp/cross-validate-val")  # val.run writes a results.html there

# studyctl's module names for yolov5n.yaml's layer indices (backbone 0-8, SPPF 9, PAN 10-23, Detect 24).
NECK = {"context": 9, "lateral5": 10, "topDown4": 13, "lateral4": 14, "topDown3": 17, "down3": 18, "bottomUp4": 20,
        "down4": 21, "bottomUp5": 23}


def yolov5_name(name):
    """studyctl's tensor name -> the name in yolov5's Model.state_dict()."""
    parts = name.split(".")
    if parts[0] == "backbone":
        head = f"model.{parts[2]}"
        rest = parts[3:]
    elif parts[0] == "neck":
        head = f"model.{NECK[parts[1]]}"
        rest = parts[2:]
    elif parts[0] == "detect" and parts[1] == "anchors":
        return "model.24.anchors"
    else:
        head = f"model.24.m.{parts[2]}"
        rest = parts[3:]
    rest = [{"runningMean": "running_mean", "runningVar": "running_var"}.get(p, p) for p in rest]
    return ".".join([head] + rest)


def new_model(nc, hyp):
    model = Model(str(Path(yolov5.__file__).parent / "models/yolov5n.yaml"), ch=3, nc=nc).float()
    model.hyp = hyp
    return model


def from_studyctl(path, nc, hyp):
    model = new_model(nc, hyp)
    state = model.state_dict()
    for name, value in load_file(path).items():
        key = yolov5_name(name)
        assert state[key].shape == value.shape, (name, key, state[key].shape, value.shape)
        state[key] = torch.from_numpy(value.copy())
    model.load_state_dict(state)
    return model


def from_torch(path, nc, hyp):
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    model = new_model(nc, hyp)
    model.load_state_dict((ckpt.get("ema") or ckpt["model"]).float().state_dict())
    return model


def torch_to_safetensors(model, reference, out, names):
    """Writes yolov5's weights under studyctl's names, in the metadata of a studyctl weights file."""
    state = model.state_dict()
    ref = load_file(reference)
    tensors = {name: state[yolov5_name(name)].numpy().astype(np.float32) for name in ref}
    meta = {"format": "studyctl-weights", "spec": "cspdarknet__pan-sppf", "classes": str(len(names)),
            "names": json.dumps(names), "epoch": "-1"}
    save_file(tensors, str(out), metadata=meta)


def torch_val(model, data, nc, hyp):
    """val.run as train.py calls it after every epoch."""
    h = dict(hyp)
    nl = 3  # train.py scales the gains by layers, classes and image size
    h["box"] *= 3 / nl
    h["cls"] *= nc / 80 * 3 / nl
    h["obj"] *= (IMGSZ / 640) ** 2 * 3 / nl
    model.hyp = h
    model.nc = nc
    VAL_DIR.mkdir(parents=True, exist_ok=True)
    loader = create_dataloader(data["val"], IMGSZ, BATCH * 2, 32, False, hyp=h, cache=None, rect=True, rank=-1,
                               workers=0, pad=0.5, prefix="val: ")[0]
    results = y_val.run(data, batch_size=BATCH * 2, imgsz=IMGSZ, half=False, model=model.eval(), single_cls=False,
                              dataloader=loader, save_dir=VAL_DIR, plots=False,
                              compute_loss=ComputeLoss(model))
    return [float(x) for x in results[0]]  # P, R, mAP50, mAP50-95, val box, obj, cls


def studyctl_val(weights, data_path):
    out = subprocess.run([str(STUDYCTL), "val", "--weights", str(weights), "--data", data_path, "--imgsz", str(IMGSZ),
                          "--batch", str(BATCH * 2)], capture_output=True, text=True, check=True).stdout
    row = next(line for line in out.splitlines() if line.strip().startswith("all"))
    return [float(x) for x in row.split()[-4:]]  # P, R, mAP50, mAP50-95


def compare(torch_label, t, studyctl_label, s):
    """Prints val.py's and studyctl val's P, R, mAP50, mAP50-95 and returns the exit code: 1 when
    any differs by more than 1e-3."""
    width = max(len(torch_label), len(studyctl_label), 9)
    print(f"\n{'validator':{width}} {'P':>7} {'R':>7} {'mAP50':>7} {'mAP50-95':>9}")
    for label, r in [(torch_label, t), (studyctl_label, s)]:
        print(f"{label:{width}} {r[0]:7.4f} {r[1]:7.4f} {r[2]:7.4f} {r[3]:9.4f}")
    worst = max(abs(a - b) for a, b in zip(t[:4], s))
    print(f"largest difference {worst:.4f}")
    return 0 if worst <= 1e-3 else 1


def main():
    data_path, torch_weights, studyctl_weights = sys.argv[1:4]
    out = Path(sys.argv[4] if len(sys.argv) > 4 else "/tmp/cross-validate")
    out.mkdir(parents=True, exist_ok=True)
    data = y_general.check_dataset(data_path)
    nc = int(data["nc"])
    hyp = yaml.safe_load((Path(yolov5.__file__).parent / "data/hyps/hyp.scratch-low.yaml").read_text())
    converted = out / "torch_as_studyctl.safetensors"
    torch_model = from_torch(torch_weights, nc, hyp)
    torch_to_safetensors(torch_model, studyctl_weights, converted, list(data["names"].values()))
    rows = [
        ("PyTorch weights", torch_val(from_torch(torch_weights, nc, hyp), data, nc, hyp), studyctl_val(converted, data_path)),
        ("studyctl weights", torch_val(from_studyctl(studyctl_weights, nc, hyp), data, nc, hyp),
         studyctl_val(studyctl_weights, data_path)),
    ]
    print(f"\n{'':18} {'validator':10} {'P':>7} {'R':>7} {'mAP50':>7} {'mAP50-95':>9}")
    for name, t, s in rows:
        print(f"{name:18} {'val.py':10} {t[0]:7.4f} {t[1]:7.4f} {t[2]:7.4f} {t[3]:9.4f}   val losses {t[4]:.5f} {t[5]:.5f} {t[6]:.5f}")
        print(f"{'':18} {'studyctl':10} {s[0]:7.4f} {s[1]:7.4f} {s[2]:7.4f} {s[3]:9.4f}")
    json.dump({name: {"val.py": t, "studyctl": s} for name, t, s in rows}, open(out / "cross_validate.json", "w"), indent=1)


if __name__ == "__main__":
    main()
