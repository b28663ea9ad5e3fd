"""Fixtures for Tests/TorchCheckpointTests (dev-only; never a runtime dependency of the package).

Writes into Tests/TorchCheckpointTests/Fixtures/:
  - tiny checkpoints saved by torch itself: a conv+BN+linear state dict in the zip and the legacy
    format, float16 / bfloat16 / other dtypes, non-contiguous views, a dict-wrapped state dict, and a
    tiny YOLOv5 v7.0 checkpoint saved as its train.py saves one (module tree, half precision);
  - expected.json: what torch itself reads from each (name, shape, dtype, first values, checksums);
  - hostile files built by hand and never loaded here (os.system via REDUCE, builtins.eval, a
    storage offset past the end, a zip entry climbing out, truncated copies, a tar, TorchScript);
  - Tests/ZooTests/Fixtures/reference-state-dicts.json: name and shape of every state-dict tensor of the full reference
    models the name maps of issue 18 need, with the package versions and the published file names.

    $HOME/.venvs/anchor/bin/python bench/torch_fixtures.py [--shufflenetv1 DIR]
    $HOME/.venvs/anchor/bin/python bench/torch_fixtures.py --full /tmp/full [--shufflenetv1 DIR]
        # full-size checkpoints of every reference model (~110 MB, not committed), for
        # TORCH_CHECKPOINT_FULL=/tmp/full swift test --filter TorchCheckpointTests

DIR holds megvii-model/ShuffleNet-Series ShuffleNetV1/{network,blocks}.py (without it, ShuffleNetV1
is left out of reference-state-dicts.json and the script says so).
"""
import argparse, collections, copy, io, json, os, pickle, pickletools, shutil, sys, tarfile, zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

OUT = Path(__file__).resolve().parent.parent / "Tests" / "TorchCheckpointTests" / "Fixtures"
PWNED = "/tmp/studyctl-torch-checkpoint-pwned"  # what the hostile pickles would create if run


class TinyNet(nn.Module):
    """conv + BN + linear: weights, biases, BN buffers (int64 num_batches_tracked)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).mean((2, 3)))


def tiny_state_dict():
    torch.manual_seed(0)
    m = TinyNet()
    m.train()
    m(torch.randn(2, 3, 5, 5))  # BN running stats and num_batches_tracked move off their defaults
    return m.state_dict()


def checksums(t):
    """First values and two sums over the row-major float32 values (the weighted one sees order)."""
    v = t.detach().to(torch.float32).contiguous().flatten().double()
    w = (torch.arange(v.numel(), dtype=torch.float64) % 7) + 1
    return {
        "first": [float(x) for x in v[:6].tolist()],
        "sum": float(v.sum()),
        "wsum": float((v * w).sum()),
    }


def describe(named):
    return [
        {"name": k, "shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), **checksums(t)}
        for k, t in named
    ]


def pickle_globals(path):
    """The GLOBAL names in a checkpoint's object pickle (read with pickletools; nothing is loaded)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            data = z.read(next(n for n in z.namelist() if n.endswith("/data.pkl")))
    else:
        data = Path(path).read_bytes()
    names, stream = set(), io.BytesIO(data)
    while stream.tell() < len(data):
        try:
            for op, arg, _ in pickletools.genops(stream):
                if op.name == "GLOBAL":
                    names.add(arg.replace(" ", "."))
        except Exception:
            break  # the raw storage bytes after the legacy pickles
    return sorted(names)


def save_both(obj, stem, expected, layout, named):
    for fmt, zipped in (("zip", True), ("legacy", False)):
        name = f"{stem}_{fmt}.pt"
        torch.save(obj, OUT / name, _use_new_zipfile_serialization=zipped)
        expected[name] = {"format": fmt, "layout": layout, "tensors": describe(named)}


def tiny_fixtures(expected):
    sd = tiny_state_dict()
    save_both(sd, "tiny", expected, "stateDict", sd.items())
    for stem, dtype in (("tiny_half", torch.float16), ("tiny_bf16", torch.bfloat16)):
        low = collections.OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items())
        name = f"{stem}_zip.pt"
        torch.save(low, OUT / name)
        expected[name] = {"format": "zip", "layout": "stateDict", "tensors": describe(low.items())}

    g = torch.Generator().manual_seed(1)
    dtypes = collections.OrderedDict(
        f64=torch.randn(2, 3, generator=g, dtype=torch.float64),
        i64=torch.tensor([-3, 0, 7, 1 << 40]),
        i32=torch.tensor([-5, 2, 9], dtype=torch.int32),
        i16=torch.tensor([-300, 300], dtype=torch.int16),
        i8=torch.tensor([-128, 127], dtype=torch.int8),
        u8=torch.tensor([0, 255, 7], dtype=torch.uint8),
        b=torch.tensor([True, False, True]),
        f16_special=torch.tensor([0.0, -0.0, 6.1e-5, 5.96e-8, 65504.0, -2.5], dtype=torch.float16),
    )
    save_both(dtypes, "dtypes", expected, "stateDict", dtypes.items())

    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
    views = collections.OrderedDict(
        transposed=base.t(),  # stride (1, 6)
        sliced=base[1:, ::2],  # storage offset 6, stride (6, 2)
        column=base[:, 5],  # offset 5, stride (6,)
        expanded=torch.tensor([1.5, -2.0, 3.25]).expand(2, 3),  # stride (0, 1)
        permuted=torch.randn(2, 3, 4, generator=g).permute(2, 0, 1),
        scalar=torch.tensor(4.5),
        empty=torch.zeros(0, 3),
    )
    save_both(views, "views", expected, "stateDict", views.items())

    name = "wrapped_zip.pt"
    torch.save({"state_dict": sd, "epoch": 3, "arch": "tinynet"}, OUT / name)
    expected[name] = {"format": "zip", "layout": "wrappedStateDict:state_dict", "tensors": describe(sd.items())}

    # A whole module of torch.nn classes only, at the top level; the legacy format adds each class's
    # source as a ('module', cls, file, source) persistent id.
    torch.manual_seed(2)
    seq = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.SiLU())
    seq.train()
    seq(torch.randn(1, 3, 4, 4))
    for fmt, zipped in (("zip", True), ("legacy", False)):
        name = f"sequential_{fmt}.pt"
        torch.save(seq, OUT / name, _use_new_zipfile_serialization=zipped)
        expected[name] = {"format": fmt, "layout": "moduleTree::torch.nn.modules.container.Sequential",
                          "tensors": describe(seq.state_dict().items()), "globals": pickle_globals(OUT / name)}

    m = TinyNet()
    m.load_state_dict(sd)
    name = "module_zip.pt"
    torch.save(m, OUT / name)  # a whole nn.Module: refused (its class is not on the allow-list)
    expected[name] = {"format": "zip", "globals": pickle_globals(OUT / name)}


def zip_variants(expected):
    """tiny_zip.pt re-zipped with deflate, and with its end record saturated so only the ZIP64 record counts."""
    with zipfile.ZipFile(OUT / "tiny_zip.pt") as z:
        records = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(OUT / "tiny_deflated.pt", "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in records:
            z.writestr(info.filename.replace("tiny_zip/", "tiny_deflated/"), data)
    b = bytearray((OUT / "tiny_zip.pt").read_bytes())
    end = b.rfind(b"PK\x05\x06")
    assert b.rfind(b"PK\x06\x07") == end - 20, "torch writes a ZIP64 locator before the end record"
    b[end + 8:end + 20] = b"\xff\xff\xff\xff" + b"\xff" * 8  # entries, directory size and offset: see ZIP64
    (OUT / "tiny_zip64.pt").write_bytes(bytes(b))
    for name in ("tiny_deflated.pt", "tiny_zip64.pt"):
        expected[name] = dict(expected["tiny_zip.pt"])


def yolov5_as_repo():
    """YOLOv5 v7.0's classes under the names the real repo's checkpoints pickle (models.yolo.*).

    The PyPI package imports itself as yolov5.models.*; a checkpoint written by the real repo names
    models.yolo.DetectionModel, models.common.Conv, ... — so the classes are renamed and aliased."""
    import yolov5.models as models_pkg
    import yolov5.models.common as common
    import yolov5.models.experimental as experimental
    import yolov5.models.yolo as yolo

    for real, mod in (("models", models_pkg), ("models.yolo", yolo), ("models.common", common),
                      ("models.experimental", experimental)):
        sys.modules[real] = mod
        for v in list(vars(mod).values()):
            if isinstance(v, type) and v.__module__ == mod.__name__:
                v.__module__ = real
    return yolo


def yolov5_fixture(expected):
    import yaml
    import yolov5
    from yolov5.utils.metrics import fitness
    from yolov5.utils.torch_utils import ModelEMA, de_parallel

    yolo = yolov5_as_repo()
    root = Path(yolov5.__file__).parent
    # yolov5n's every module class (Conv, C3 with its Bottleneck, SPPF with its MaxPool2d, nn.Upsample,
    # Concat, Detect) at make_divisible's floor of 8 channels, in 10 layers instead of 25: a small file
    # (the full yolov5n's names and shapes are in reference-state-dicts.json).
    cfg = yaml.safe_load((root / "models" / "yolov5n.yaml").read_text())
    cfg.update(nc=2, width_multiple=0.03125, anchors=[[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119]])
    cfg["backbone"] = [[-1, 1, "Conv", [64, 6, 2, 2]], [-1, 1, "Conv", [128, 3, 2]], [-1, 1, "C3", [128]],
                       [-1, 1, "Conv", [256, 3, 2]], [-1, 1, "SPPF", [256, 5]]]
    cfg["head"] = [[-1, 1, "Conv", [128, 1, 1]], [-1, 1, "nn.Upsample", [None, 2, "nearest"]],
                   [[-1, 2], 1, "Concat", [1]], [-1, 1, "C3", [128, False]], [[8, 4], 1, "Detect", ["nc", "anchors"]]]
    hyp = yaml.safe_load((root / "data" / "hyps" / "hyp.scratch-low.yaml").read_text())

    torch.manual_seed(0)
    model = yolo.Model(cfg, ch=3, nc=2)
    # train.py before training
    model.nc, model.hyp, model.names = 2, hyp, {0: "circle", 1: "square"}
    model.class_weights = torch.tensor([0.8, 1.2]) * 2
    ema = ModelEMA(model)
    model.train()
    model(torch.rand(2, 3, 64, 64))  # one step's forward: BN running stats, num_batches_tracked
    ema.update(model)
    results = (0.5, 0.4, 0.3, 0.12, 0.05, 0.03, 0.01)  # P, R, mAP@.5, mAP@.5:.95, box, obj, cls
    best_fitness = fitness(np.array(results).reshape(1, -1))  # train.py: an ndarray of shape (1,)
    opt = dict(weights="", cfg="models/yolov5n.yaml", data="data/shapes.yaml", hyp=hyp, epochs=3, batch_size=16,
               imgsz=64, rect=False, resume=False, nosave=False, noval=False, noautoanchor=False, noplots=False,
               evolve=None, bucket="", cache=None, image_weights=False, device="cpu", multi_scale=False,
               single_cls=False, optimizer="SGD", sync_bn=False, workers=8, project="runs/train", name="exp",
               exist_ok=False, quad=False, cos_lr=False, label_smoothing=0.0, patience=100, freeze=[0],
               save_period=-1, seed=0, local_rank=-1, entity=None, upload_dataset=False, bbox_interval=-1,
               artifact_alias="latest", save_dir="runs/train/exp")
    # train.py v7.0 (the real repo), lines 'ckpt = {...}': optimizer left out to keep the file small
    ckpt = {
        "epoch": 2,
        "best_fitness": best_fitness,
        "model": copy.deepcopy(de_parallel(model)).half(),
        "ema": copy.deepcopy(ema.ema).half(),
        "updates": ema.updates,
        "optimizer": None,
        "opt": opt,
        "git": {"remote": "https://github.com/ultralytics/yolov5", "branch": "master", "commit": "915bbf29"},
        "date": datetime(2026, 11, 30, 12, 0, 0).isoformat(),
    }
    # Zip only: YOLOv5 ≥ v4 needs torch ≥ 1.7, which saves zip; a legacy module tree is sequential_legacy.pt.
    name = "yolov5_tiny_zip.pt"
    torch.save(ckpt, OUT / name)
    expected[name] = {
        "format": "zip",
        "layout": "moduleTree:model:models.yolo.DetectionModel",
        "tensors": describe(ckpt["model"].state_dict().items()),
        "ema": describe(ckpt["ema"].state_dict().items()),
        "globals": pickle_globals(OUT / name),
    }


def zip_with(name, records, folder):
    """A zip laid out as torch.save lays one out (stored entries under one folder)."""
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_STORED) as z:
        for key, data in records:
            z.writestr(key if key.startswith(("/", "..")) else f"{folder}/{key}", data)


def hostile_fixtures(expected):
    folder = "archive"
    # os.system via REDUCE, by hand (protocol 2): posix.system("touch PWNED"). Never loaded here.
    cmd = f"touch {PWNED}".encode()
    evil = b"\x80\x02cposix\nsystem\nq\x00X" + len(cmd).to_bytes(4, "little") + cmd + b"\x85q\x01Rq\x02."
    zip_with("hostile_os_system.pt", [("data.pkl", evil), ("byteorder", b"little"), ("version", b"3\n")], folder)

    # builtins.eval inside a state dict, in the legacy format (how Python 3 protocol 2 names it: __builtin__).
    code = f"__import__('os').system('touch {PWNED}')".encode()
    obj = (b"\x80\x02}q\x00X\x06\x00\x00\x00weightq\x01c__builtin__\neval\nq\x02X"
           + len(code).to_bytes(4, "little") + code + b"\x85q\x03Rq\x04s.")
    header = b"".join(pickle.dumps(x, protocol=2) for x in (
        0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True,
                                        "type_sizes": {"short": 2, "int": 4, "long": 4}}))
    (OUT / "hostile_eval_legacy.pt").write_bytes(header + obj + pickle.dumps([], protocol=2))

    # A tensor whose storage offset (10) and size (4) reach past its 4-element storage.
    class Storage:
        pass

    class BadTensor:
        def __reduce__(self):
            return (torch._utils._rebuild_tensor_v2,
                    (Storage(), 10, (4,), (1,), False, collections.OrderedDict()))

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return ("storage", torch.FloatStorage, "0", "cpu", 4) if isinstance(obj, Storage) else None

    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(collections.OrderedDict(weight=BadTensor()))
    data = torch.arange(4, dtype=torch.float32).numpy().tobytes()
    zip_with("hostile_offset.pt", [("data.pkl", buf.getvalue()), ("byteorder", b"little"), ("data/0", data),
                                   ("version", b"3\n")], folder)

    # A 1-element storage viewed as 100000 × 100000 with zero strides: 10^10 floats from 4 bytes.
    class Expanded(BadTensor):
        def __reduce__(self):
            return (torch._utils._rebuild_tensor_v2,
                    (Storage(), 0, (100000, 100000), (0, 0), False, collections.OrderedDict()))

    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(collections.OrderedDict(weight=Expanded()))
    zip_with("hostile_expand.pt", [("data.pkl", buf.getvalue()), ("byteorder", b"little"), ("data/0", data),
                                   ("version", b"3\n")], folder)

    # A good checkpoint plus an entry that climbs out of the folder.
    with zipfile.ZipFile(OUT / "tiny_zip.pt") as z:
        records = [(n, z.read(n)) for n in z.namelist()]
    with zipfile.ZipFile(OUT / "hostile_zip_slip.pt", "w", zipfile.ZIP_STORED) as z:
        for n, d in records:
            z.writestr(n, d)
        z.writestr("tiny_zip/../../evil", b"written outside the folder")

    for src, frac in (("tiny_zip.pt", 0.6), ("tiny_legacy.pt", 0.6)):
        b = (OUT / src).read_bytes()
        (OUT / f"hostile_truncated_{src.replace('tiny_', '')}").write_bytes(b[: int(len(b) * frac)])

    # the earliest torch versions' tar format: only its shape matters (refused before anything is read).
    with tarfile.open(OUT / "old_tar.pt", "w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo("sys_info")
        payload = pickle.dumps({"protocol_version": 1000}, protocol=2)
        info.size = len(payload)
        t.addfile(info, io.BytesIO(payload))
    tar = (OUT / "old_tar.pt").read_bytes()
    (OUT / "old_tar.pt").write_bytes(tar[:1024])  # the header and the member; the zero padding left out

    torch.jit.save(torch.jit.script(TinyNet()), OUT / "torchscript.pt")


def reference_models(shufflenetv1_dir):
    """(key, model with random weights, published files, how the published file holds the weights)."""
    import timm
    import torchvision
    import yolov5

    tv = torchvision.models
    weights = {"mobilenet_v2": tv.MobileNet_V2_Weights, "mobilenet_v3_small": tv.MobileNet_V3_Small_Weights,
               "mobilenet_v3_large": tv.MobileNet_V3_Large_Weights, "shufflenet_v2_x0_5": tv.ShuffleNet_V2_X0_5_Weights,
               "shufflenet_v2_x1_0": tv.ShuffleNet_V2_X1_0_Weights, "mnasnet0_5": tv.MNASNet0_5_Weights,
               "mnasnet1_0": tv.MNASNet1_0_Weights}
    for name, w in weights.items():
        yield (f"torchvision.{name}", getattr(tv, name)(), [x.url for x in w],
               "state dict (torch hub checkpoints folder)")
    for name in ("mobilenetv1_100", "ghostnet_100"):
        cfg = timm.models.get_pretrained_cfg(name)
        hub = getattr(cfg, "hf_hub_id", None) or ""
        yield (f"timm.{name}", timm.create_model(name, pretrained=False), [f"hf-hub:{hub}" if hub else cfg.url],
               "state dict (Hugging Face hub: model.safetensors or pytorch_model.bin)")

    yolo = yolov5_as_repo()
    root = Path(yolov5.__file__).parent
    yield ("yolov5.yolov5n", yolo.Model(str(root / "models" / "yolov5n.yaml"), ch=3, nc=80),
           ["https://github.com/ultralytics/yolov5/releases/download/v7.0/yolov5n.pt"],
           "module tree under \"model\" (half precision; strip_optimizer: ema, optimizer, best_fitness None)")

    if shufflenetv1_dir:
        sys.path.insert(0, str(shufflenetv1_dir))
        from network import ShuffleNetV1  # megvii-model/ShuffleNet-Series ShuffleNetV1/network.py
        yield ("megvii.shufflenetv1_g3_1.0x", ShuffleNetV1(model_size="1.0x", group=3),
               ["megvii-model/ShuffleNet-Series README: 'ShuffleNetV1 1.0x (g=3)' (OneDrive)"],
               "{'state_dict': ...} with every key prefixed 'module.' (train.py saves an nn.DataParallel)")
    else:
        print("ShuffleNetV1 left out: pass --shufflenetv1 DIR (megvii-model/ShuffleNet-Series ShuffleNetV1/)")


def reference_state_dicts(shufflenetv1_dir):
    out = collections.OrderedDict()
    for key, model, published, layout in reference_models(shufflenetv1_dir):
        out[key] = {"published": published, "layout": layout,
                    "tensors": [[k, list(v.shape)] for k, v in model.eval().state_dict().items()]}
    return out


def full_size(folder, shufflenetv1_dir):
    """Full-size checkpoints of every reference model, saved as published, with torch's reading (not committed).

    For TorchCheckpointTests' fullSizeCheckpoints (TORCH_CHECKPOINT_FULL=folder swift test ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = collections.OrderedDict()
    for key, model, _, _ in reference_models(shufflenetv1_dir):
        torch.manual_seed(0)
        with torch.no_grad():
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(torch.randn_like(t))  # BN running stats too: every value checked
        sd = model.eval().state_dict()
        if key.startswith("yolov5."):
            # as train.py saves it mid-training and as strip_optimizer leaves the release (yolov5n.pt)
            model.names = {i: f"class{i}" for i in range(80)}
            half = copy.deepcopy(model).half()
            for name, ckpt in (("yolov5n_last.pt", {"epoch": 9, "best_fitness": np.array([0.25]), "model": half,
                                                    "ema": copy.deepcopy(half), "updates": 90, "optimizer": None,
                                                    "opt": {"imgsz": 640}, "git": {}, "date": "2026-11-30"}),
                               ("yolov5n_release.pt", {"epoch": -1, "best_fitness": None, "model": half, "ema": None,
                                                       "updates": None, "optimizer": None, "opt": {}, "git": {},
                                                       "date": "2026-11-30"})):
                torch.save(ckpt, folder / name)
                expected[name] = {"format": "zip", "layout": "moduleTree:model:models.yolo.DetectionModel",
                                  "tensors": describe(half.state_dict().items())}
        elif key.startswith("megvii."):
            wrapped = collections.OrderedDict((f"module.{k}", v) for k, v in sd.items())
            torch.save({"state_dict": wrapped}, folder / f"{key}.pth.tar")
            expected[f"{key}.pth.tar"] = {"format": "zip", "layout": "wrappedStateDict:state_dict",
                                          "tensors": describe(wrapped.items())}
        else:
            for fmt, zipped in (("zip", True), ("legacy", False)):
                torch.save(sd, folder / f"{key}_{fmt}.pth", _use_new_zipfile_serialization=zipped)
                expected[f"{key}_{fmt}.pth"] = {"format": fmt, "layout": "stateDict", "tensors": describe(sd.items())}
        print(key)
    (folder / "expected.json").write_text(json.dumps({"versions": versions(), "files": expected}) + "\n")


def versions():
    import timm
    import torchvision
    from importlib.metadata import version
    return {"python": sys.version.split()[0], "torch": torch.__version__, "torchvision": torchvision.__version__,
            "timm": timm.__version__, "yolov5": version("yolov5"), "numpy": np.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shufflenetv1", type=Path, help="folder with megvii's ShuffleNetV1 network.py and blocks.py")
    ap.add_argument("--full", type=Path, help="instead: write full-size checkpoints of the reference models here")
    args = ap.parse_args()
    if args.full:
        return full_size(args.full, args.shufflenetv1)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)

    expected = collections.OrderedDict()
    tiny_fixtures(expected)
    zip_variants(expected)
    yolov5_fixture(expected)
    hostile_fixtures(expected)
    with open(OUT / "expected.json", "w") as f:
        # one tensor a line
        f.write('{"versions": ' + json.dumps(versions()) + ',\n "files": {\n')
        for i, (name, entry) in enumerate(expected.items()):
            f.write(f"  {json.dumps(name)}: {{")
            parts = []
            for k, v in entry.items():
                if k in ("tensors", "ema"):
                    parts.append(f'\n   {json.dumps(k)}: [\n' + ",\n".join("    " + json.dumps(t, separators=(",", ":")) for t in v) + "]")
                else:
                    parts.append(f"{json.dumps(k)}: {json.dumps(v)}")
            f.write(", ".join(parts) + "}" + ("," if i + 1 < len(expected) else "") + "\n")
        f.write(" }\n}\n")

    refs = reference_state_dicts(args.shufflenetv1)
    with open(OUT.parent.parent / "ZooTests" / "Fixtures" / "reference-state-dicts.json", "w") as f:
        # one tensor a line: readable diffs, a small file
        f.write('{"versions": ' + json.dumps(versions()) + ',\n "models": {\n')
        for i, (key, m) in enumerate(refs.items()):
            f.write(f'  {json.dumps(key)}: {{"published": {json.dumps(m["published"])}, '
                    f'"layout": {json.dumps(m["layout"])}, "tensors": [\n')
            f.write(",\n".join(" " + json.dumps(t, separators=(",", ":")) for t in m["tensors"]))
            f.write("\n  ]}" + ("," if i + 1 < len(refs) else "") + "\n")
        f.write(" }\n}\n")

    total = 0
    for p in sorted(OUT.iterdir()):
        total += p.stat().st_size
        print(f"{p.stat().st_size:>8,d}  {p.name}")
    print(f"{total:>8,d}  total")
    assert not os.path.exists(PWNED), "a hostile fixture ran: it must never be loaded"


if __name__ == "__main__":
    main()
