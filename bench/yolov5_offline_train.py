"""Runs the PyPI yolov5==7.0.14 (YOLOv5 v7.0) train.py offline, in this process, and times it (dev only).

    $HOME/.venvs/anchor/bin/python bench/yolov5_offline_train.py [train.py arguments ...]

Normally started by bench/yolov5_train.sh, which passes the comparison settings. Every argument is
handed to yolov5's own train.parse_opt(). Nothing under site-packages is edited: the patches below
are made in memory before yolov5.train is imported, and each says what it replaces.

Writes <save_dir>/bench_timing.json: per epoch the training-loop wall time (first batch fetched to
scheduler step, data loading included, validation excluded), the time spent inside batches
(forward + loss + backward + optimiser + EMA), images seen, and the validation wall time; the
final best.pt validation; peak RSS / PSS of the process and its DataLoader workers; thread counts.
"""
import json
import os
import socket
import sys
import threading
import time
import types
import warnings
from pathlib import Path

T_START = time.time()

# ---- environment, before torch / ultralytics / yolov5 are imported ---------------------------------
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))
os.environ["YOLO_OFFLINE"] = "1"                          # ultralytics: is_online() -> False at import
os.environ["ULTRALYTICS_SKIP_REQUIREMENTS_CHECKS"] = "1"  # ultralytics check_requirements(): no pip
os.environ["YOLOv5_AUTOINSTALL"] = "false"                # yolov5: no pip auto-install
os.environ["HF_HUB_OFFLINE"] = "1"                        # huggingface_hub: no requests
os.environ["WANDB_MODE"] = "disabled"
os.environ["COMET_MODE"] = "disabled"
os.environ.setdefault("MPLBACKEND", "Agg")

# Fonts: yolov5 looks for Arial.ttf / Arial.Unicode.ttf in $YOLOV5_CONFIG_DIR and downloads them when
# absent. Point both names at Debian's DejaVu Sans (fonts-dejavu-core) in a private config folder.
DEJAVU = Path(os.environ.get("BENCH_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
cfg_dir = Path(os.environ.get("YOLOV5_CONFIG_DIR", Path.home() / ".cache" / "yolov5-bench-config"))
cfg_dir.mkdir(parents=True, exist_ok=True)
if DEJAVU.exists():
    for name in ("Arial.ttf", "Arial.Unicode.ttf"):
        link = cfg_dir / name
        if not link.exists():
            link.symlink_to(DEJAVU)
os.environ["YOLOV5_CONFIG_DIR"] = str(cfg_dir)
os.environ.setdefault("YOLO_CONFIG_DIR", str(cfg_dir / "ultralytics"))  # ultralytics settings.json

warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated.*")
warnings.filterwarnings("ignore", category=FutureWarning, message=".*torch.cuda.amp.*")

# ---- network guard: any connection off this machine fails at once and is reported ------------------
BLOCKED = []
_real_connect, _real_connect_ex, _real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "", None}


def _is_local(address):
    if not isinstance(address, tuple):  # AF_UNIX path (DataLoader workers use these)
        return True
    host = address[0]
    return host in LOCAL_NAMES or str(host).startswith("127.")


def _note(what):
    if what not in BLOCKED:
        BLOCKED.append(what)
        print(f"[bench] blocked network access: {what}", file=sys.stderr)


def _guard_connect(self, address):
    if not _is_local(address):
        _note(f"connect {address}")
        raise OSError(101, "network disabled by bench/yolov5_offline_train.py")
    return _real_connect(self, address)


def _guard_connect_ex(self, address):
    if not _is_local(address):
        _note(f"connect {address}")
        return 101
    return _real_connect_ex(self, address)


def _guard_getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL_NAMES and not str(host).startswith("127."):
        _note(f"resolve {host}")
        raise socket.gaierror(socket.EAI_NONAME, "network disabled by bench/yolov5_offline_train.py")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = _guard_connect, _guard_connect_ex, _guard_getaddrinfo

# ---- modules yolov5 7.0.14 imports but the anchor venv does not have -------------------------------
try:
    import roboflow  # noqa: F401  (yolov5.utils.roboflow imports it at train.py import time)
except ImportError:
    rf = types.ModuleType("roboflow")
    rf.Roboflow = type("Roboflow", (), {"__init__": lambda self, *a, **k: (_ for _ in ()).throw(RuntimeError("roboflow stubbed offline"))})
    rf_core, rf_version = types.ModuleType("roboflow.core"), types.ModuleType("roboflow.core.version")
    rf_version.Version = type("Version", (), {})
    rf.core, rf_core.version = rf_core, rf_version
    sys.modules.update({"roboflow": rf, "roboflow.core": rf_core, "roboflow.core.version": rf_version})

import numpy as np  # noqa: E402

if not hasattr(np, "trapz"):  # NumPy >= 2.4 removed it; yolov5 utils/metrics.compute_ap calls it
    np.trapz = np.trapezoid

import torch  # noqa: E402

_real_torch_load = torch.load


def _torch_load(*args, **kwargs):  # torch >= 2.6 defaults to weights_only=True; yolov5 checkpoints pickle the model
    kwargs.setdefault("weights_only", False)
    return _real_torch_load(*args, **kwargs)


torch.load = _torch_load


def _no_download(url, *args, **kwargs):
    raise RuntimeError(f"offline: refused to download {url}")


torch.hub.download_url_to_file = _no_download

from PIL import ImageFont  # noqa: E402

if not hasattr(ImageFont.FreeTypeFont, "getsize"):  # Pillow >= 10 removed it; yolov5 Annotator.box_label calls it
    ImageFont.FreeTypeFont.getsize = lambda self, text: tuple(self.getbbox(text)[2:])

# ---- yolov5's own online steps ---------------------------------------------------------------------
import yolov5.utils.downloads as y_downloads  # noqa: E402
import yolov5.utils.general as y_general  # noqa: E402


def _noop(*args, **kwargs):
    return True


def _attempt_download(file, *args, **kwargs):  # local weights only (train uses --weights '')
    if Path(str(file)).exists() or str(file) == "":
        return str(file)
    raise FileNotFoundError(f"offline: {file} is not a local file and will not be downloaded")


def _check_font(font=y_general.FONT, progress=False):  # never download; the names link to DejaVu above
    file = y_general.CONFIG_DIR / Path(font).name
    if not Path(font).exists() and not file.exists() and DEJAVU.exists():
        file.symlink_to(DEJAVU)


patches = {
    "check_online": lambda: False,
    "check_git_status": lambda *a, **k: None,
    "check_git_info": lambda *a, **k: {},
    "check_requirements": _noop,
    "check_font": _check_font,
    "check_amp": lambda model: False,  # CPU: AMP is off anyway; never loads yolov5n.pt or bus.jpg from the web
    "attempt_download": _attempt_download,
    "attempt_download_from_hub": lambda *a, **k: None,  # HF hub lookup of the weights name
    "curl_download": _no_download,
}
for mod in (y_downloads, y_general):
    for name, fn in patches.items():
        if hasattr(mod, name):
            setattr(mod, name, fn)

import yolov5.utils.plots as y_plots  # noqa: E402
import yolov5.utils.dataloaders as y_dataloaders  # noqa: E402
import yolov5.utils.loggers as y_loggers  # noqa: E402
import yolov5.models.experimental as y_experimental  # noqa: E402
import yolov5.val as y_val  # noqa: E402
import yolov5.train as y_train  # noqa: E402

for mod in (y_plots, y_dataloaders, y_loggers, y_experimental, y_val, y_train):  # names bound by `from ... import`
    for name, fn in patches.items():
        if hasattr(mod, name):
            setattr(mod, name, fn)
for name in ("wandb", "clearml", "comet_ml", "neptune"):  # remote experiment loggers: never
    if hasattr(y_loggers, name):
        setattr(y_loggers, name, None)

torch.set_num_threads(THREADS)  # yolov5.utils.general rewrites OMP_NUM_THREADS after torch is loaded

# ---- timing ----------------------------------------------------------------------------------------
from yolov5.utils.callbacks import Callbacks  # noqa: E402

timing = {"loadavg_start": os.getloadavg(), "threads_requested": THREADS, "epochs": [], "final_val": None, "setup_s": None,
          "blocked_network": BLOCKED, "argv": sys.argv[1:]}
state = {"batch_t": None, "epoch_t0": None}
cur = {}


def on_train_start(*a, **k):
    timing["setup_s"] = time.time() - T_START
    timing["torch_threads"] = torch.get_num_threads()
    timing["torch_interop_threads"] = torch.get_num_interop_threads()


def on_train_epoch_start(*a, **k):
    cur.clear()
    cur.update(epoch=len(timing["epochs"]), t0=time.time(), batches=0, images=0, batch_s=0.0, val_s=None,
               batch_times=[])
    state["epoch_t0"] = cur["t0"]


def on_train_batch_start(*a, **k):
    state["batch_t"] = time.time()


def on_train_batch_end(model, ni, imgs, *a, **k):  # runs before the plotting Loggers callback
    dt = time.time() - state["batch_t"]
    cur["batch_s"] += dt
    cur["batches"] += 1
    cur["images"] += int(imgs.shape[0])
    cur["batch_times"].append([round(dt, 5), int(imgs.shape[0])])  # [seconds, images]


def on_train_epoch_end(*a, **k):
    cur["train_s"] = time.time() - cur.pop("t0")
    timing["epochs"].append(dict(cur))


def on_model_save(*a, **k):  # after validation, fitness, results.csv and the last.pt/best.pt saves
    if timing["epochs"]:
        timing["epochs"][-1]["epoch_wall_s"] = time.time() - state["epoch_t0"]


callbacks = Callbacks()
for hook, fn in [("on_train_start", on_train_start), ("on_train_epoch_start", on_train_epoch_start),
                 ("on_train_batch_start", on_train_batch_start), ("on_train_batch_end", on_train_batch_end),
                 ("on_train_epoch_end", on_train_epoch_end), ("on_model_save", on_model_save)]:
    callbacks.register_action(hook, name="bench", callback=fn)

_real_val_run = y_val.run


def _timed_val_run(*args, **kwargs):
    t = time.time()
    out = _real_val_run(*args, **kwargs)
    dt = time.time() - t
    if kwargs.get("verbose"):  # train.py's final validation of best.pt (the per-epoch one is not verbose)
        mp, mr, map50, map5095 = (float(x) for x in out[0][:4])
        timing["final_val"] = {"s": dt, "precision": mp, "recall": mr, "mAP_0.5": map50, "mAP_0.5:0.95": map5095}
    elif timing["epochs"]:
        timing["epochs"][-1]["val_s"] = dt
    return out


y_val.run = _timed_val_run

# ---- peak memory of this process and its DataLoader workers ---------------------------------------
# RSS from /proc/PID/statm 5 times a second (cheap). RSS summed over processes counts the pages the
# forked workers share with the main process once per process, so the tree's PSS (each shared page
# split between its sharers) is also read, every BENCH_PSS_EVERY seconds (default 5): one
# smaps_rollup read costs ~12 ms of kernel time per GB mapped.
peak = {"tree_rss": 0, "main_rss": 0, "tree_pss": 0, "main_pss": 0}
stop = threading.Event()
PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_EVERY = float(os.environ.get("BENCH_PSS_EVERY", "5"))


def _pids():
    import psutil
    me = psutil.Process()
    try:
        return [me.pid] + [c.pid for c in me.children(recursive=True)]
    except psutil.Error:
        return [me.pid]


def _rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _sample_memory():
    next_pss = 0.0
    while not stop.is_set():
        pids = _pids()
        rss = [_rss(p) for p in pids]
        peak["tree_rss"] = max(peak["tree_rss"], sum(rss))
        peak["main_rss"] = max(peak["main_rss"], rss[0])
        if PSS_EVERY > 0 and time.time() >= next_pss:
            pss = [_pss(p) for p in pids]
            peak["tree_pss"] = max(peak["tree_pss"], sum(pss))
            peak["main_pss"] = max(peak["main_pss"], pss[0])
            next_pss = time.time() + PSS_EVERY
        stop.wait(0.2)


sampler = threading.Thread(target=_sample_memory, daemon=True)
sampler.start()

# ---- run -------------------------------------------------------------------------------------------
opt = y_train.parse_opt()
status = "ok"
try:
    y_train.main(opt, callbacks=callbacks)
except BaseException as e:  # noqa: BLE001  keep the timing file for a failed run too
    status = f"failed: {type(e).__name__}: {e}"
    raise
finally:
    stop.set()
    sampler.join(timeout=1)
    import resource
    timing.update(status=status, wall_s=time.time() - T_START, loadavg_end=os.getloadavg(),
                  peak_tree_rss_mib=peak["tree_rss"] / 2**20, peak_main_rss_sampled_mib=peak["main_rss"] / 2**20,
                  peak_tree_pss_mib=peak["tree_pss"] / 2**20, peak_main_pss_mib=peak["main_pss"] / 2**20,
                  pss_every_s=PSS_EVERY,
                  ru_maxrss_self_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  ru_maxrss_children_mib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    save_dir = Path(getattr(opt, "save_dir", ".") or ".")
    save_dir.mkdir(parents=True, exist_ok=True)
    (save_dir / "bench_timing.json").write_text(json.dumps(timing, indent=1))
    print(f"[bench] timing written to {save_dir / 'bench_timing.json'}", file=sys.stderr)
