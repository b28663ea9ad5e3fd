"""Issue 9's end-to-end benchmark, in one run: the whole seed-replication grid (every backbone x neck of
studies/seed-replication.toml, 3 seeds x 30 epochs, batch 16, 160 px) estimated for studyctl and for
PyTorch YOLOv5 v7.0 doing the same cells one after another, both measured now on this machine (dev only;
2-thread timings on this VM drift between runs, so the two tools are timed in the same invocation).

    python3 bench/compare_grid.py [--out /work/runs/grid] [--train 2000] [--val 400] [--epochs 2]
        [--iterations 20] [--cells NAME ...] [--estimate-only]
    env: STUDYCTL (default <repo>/.build/release/studyctl), PYTHON (default $HOME/.venvs/anchor/bin/python)
    smoke test (~1-3 min): --out /tmp/g --train 32 --val 16 --epochs 1 --iterations 4 \
        --cells cspdarknet__pan-sppf shufflenetv1__pan-aspp

Steps (files under --out):
  a. data/       `studyctl dataset synth --train 2000 --val 400 --imgsz 160 --seed 0`, unless data/data.yaml
                 exists. 400 val images (train:val 5:1, as studyctl's own synth default 500/100 and the
                 quickstart's 320/80; a 10 % split, 200, makes validation about half as costly for both).
  b. torch/yolov5n/  PyTorch YOLOv5's real train.py on it, yolov5n, --epochs, seed 0 (bench/yolov5_train.sh,
                 NOPLOTS=1: no plots, which only makes PyTorch faster; --plots keeps them).
  c. torch_cells.json  bench/torch_cells.py for every cell: parameter check, train.py's per-batch step
                 (--boxes = the set's mean labels per training image: plausible targets; the loss's
                 cost hardly depends on their number, and it is the same head in every cell).
  d. studyctl/<cell>/  `studyctl train --data data/data.yaml --backbone B --neck N --epochs E --batch 16
                 --imgsz 160 --seed 0` for every cell, its process wall time measured here.
  e. report.md, estimate.json: the grid estimate below. --estimate-only redoes e from the files of a-d.
  steps.json: each step's wall time and the share of the vCPUs other processes used meanwhile (/proc/stat
  minus this run's children); the report warns above 5 %: measure on a quiet machine.

The estimate (also printed with the result):
  - An epoch is its training loop (data loading and augmentation included) + its validation. The
    per-epoch figures are from the measured epochs after epoch 0 (epoch 0 when only one is run).
  - Per run: overhead + grid epochs x (train + val per epoch). overhead = the measured run's process wall
    - measured epochs x (train + val per epoch): start-up, data caching, epoch-0 warm-up beyond a steady
    epoch, checkpoints, closing work (train.py's best.pt validation, studyctl's latency), counted once per
    run. Grid = seeds x that, summed over cells; every cell's seeds cost the same.
  - studyctl: every cell measured as it is (per-epoch images/s and val seconds from its train.log).
  - PyTorch yolov5n (cspdarknet__pan-sppf): measured train.py as it is.
  - PyTorch, other cells (not run through train.py: it builds only yaml models):
      train s/epoch = torch_cells s/batch x batches/epoch x R, R = yolov5n's train.py s/epoch / (its torch_cells
        s/batch x batches/epoch): yolov5n's loader and bookkeeping overhead, as a factor, applied to all;
      val s/epoch = yolov5n's + val batches x (cell's eval forward - yolov5n's eval forward) (torch_cells
        eval_fwd_s, batch 32 at 192 px): only the forward depends on the backbone; loading, NMS, metrics and
        the val loss are taken to cost what they cost yolov5n;
      also shown: train s/epoch = batches x cell's s/batch + (yolov5n's train.py s/epoch - batches x its
        s/batch), yolov5n's overhead added as seconds (loading in 2 workers on the same 2 cores, Python bookkeeping do not grow
        with the model, so the factor R overstates PyTorch's time for heavier cells; this variant does not);
      overhead = yolov5n's + one more val-batches x that forward difference (the closing best.pt validation).
  - The measured epochs are warm-up epochs for both tools (train.py's accumulate ramps 1 -> 4 over
    max(3 epochs, 100) batches, so they take more optimizer steps than later epochs), and they validate nearly
    untrained weights (more boxes through NMS than later epochs). Both tools are measured alike.
  - ratio = PyTorch time / studyctl time (> 1: studyctl faster). Issue 9's goal: grid ratio >= 2.
"""
import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STUDY = REPO / "studies" / "seed-replication.toml"
YOLOV5N = "cspdarknet__pan-sppf"


STEPS = []  # per command: wall s and the share of the 2 vCPUs other processes used meanwhile


def cpu_busy_s():
    """CPU-seconds the whole machine has been busy (/proc/stat; idle and iowait excluded)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def sh(cmd, log=None, env=None, label=None, check=True):
    """Runs cmd (output to log if given), returns its wall time in seconds."""
    cmd = list(map(str, cmd))
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    t0, busy0, ru0 = time.perf_counter(), cpu_busy_s(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log or os.devnull, "w") as f:
        subprocess.run(cmd, check=check, stdout=f if log else None, stderr=subprocess.STDOUT if log else None,
                       env={**os.environ, **(env or {})})
    wall, ru1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime
    foreign = max(0.0, cpu_busy_s() - busy0 - ours) / (wall * os.cpu_count())
    STEPS.append({"step": label or " ".join(Path(c).name for c in cmd[:2]), "wall_s": wall, "foreign_cpu": foreign})
    return wall


def count_images(folder):
    return sum(1 for p in Path(folder).iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))


def mean_labels(folder):
    files = list(Path(folder).glob("*.txt"))
    return sum(len(f.read_text().split("\n")) - 1 for f in files) / max(len(files), 1)


def studyctl_epochs(log):
    """Per epoch (images/s, val s) from a studyctl train.log: the last progress line of each epoch."""
    ips, val = {}, []
    for line in Path(log).read_text().splitlines():
        m = re.match(r"\s+(\d+)/\d+\s.*\|\s*\d+/\d+ \[.*?([\d.]+) img/s\]", line)
        if m:
            ips[int(m.group(1))] = float(m.group(2))
        m = re.search(r"\(val ([\d.]+) s", line)
        if m:
            val.append(float(m.group(1)))
    return [ips[k] for k in sorted(ips)], val


def steady(values):
    return statistics.mean(values[1:] if len(values) > 1 else values)


def estimate(out, cells, grid_epochs, seeds, batch):
    data = out / "data"
    n_train, n_val = count_images(data / "images" / "train"), count_images(data / "images" / "val")
    nb, nvb = math.ceil(n_train / batch), math.ceil(n_val / (2 * batch))
    tc = json.loads((out / "torch_cells.json").read_text())["cells"]
    timing = json.loads((out / "torch" / "yolov5n" / "bench_timing.json").read_text())
    ysum = json.loads((out / "torch" / "yolov5n" / "summary.json").read_text())
    ep = timing["epochs"]
    e_meas = len(ep)
    y_train = steady([e["train_s"] for e in ep])
    y_val = steady([e["val_s"] for e in ep])
    y_over = ysum["wall_s"] - e_meas * (y_train + y_val)
    step_y, fwd_y = tc[YOLOV5N]["s_per_batch"], tc[YOLOV5N]["eval_fwd_s"]
    ratio_r = y_train / (nb * step_y)

    rows, tot = [], {"studyctl": 0.0, "torch": 0.0, "studyctl_epochs": 0.0, "torch_epochs": 0.0, "torch_additive": 0.0}
    for name in cells:
        run = out / "studyctl" / name
        summ = json.loads((run / "summary.json").read_text())
        ips, val = studyctl_epochs(run / "train.log")
        if len(ips) != summ["epochsRun"] or len(val) != summ["epochsRun"]:  # log not as expected: whole-run means
            ips, val = [summ["imagesPerSecond"]], [summ["validationSeconds"]]
        s_train, s_val = n_train / steady(ips), steady(val)
        s_over = json.loads((run / "wall.json").read_text())["wall_s"] - summ["epochsRun"] * (s_train + s_val)
        c = tc[name]
        if name == YOLOV5N:
            t_train, t_val, t_over, how = y_train, y_val, y_over, "train.py"
            t_train_add = y_train
        else:
            dfwd = nvb * (c["eval_fwd_s"] - fwd_y)
            t_train, t_val, t_over, how = nb * c["s_per_batch"] * ratio_r, y_val + dfwd, y_over + dfwd, "est."
            t_train_add = nb * c["s_per_batch"] + max(0.0, y_train - nb * step_y)  # yolov5n's overhead, in seconds
        s_grid = seeds * (s_over + grid_epochs * (s_train + s_val))
        t_grid = seeds * (t_over + grid_epochs * (t_train + t_val))
        tot["studyctl"] += s_grid
        tot["torch"] += t_grid
        tot["studyctl_epochs"] += seeds * grid_epochs * (s_train + s_val)
        tot["torch_epochs"] += seeds * grid_epochs * (t_train + t_val)
        tot["torch_additive"] += seeds * (t_over + grid_epochs * (t_train_add + t_val))
        rows.append({"cell": name, "params": summ["parameters"], "torch_params": c["params"],
                     "studyctl_ips": n_train / s_train, "torch_ips": n_train / t_train, "torch_how": how,
                     "torch_ips_additive": n_train / t_train_add,
                     "torch_step_ips": c["images_per_s"], "studyctl_val_s": s_val, "torch_val_s": t_val,
                     "studyctl_overhead_s": s_over, "torch_overhead_s": t_over,
                     "studyctl_grid_s": s_grid, "torch_grid_s": t_grid})
    return {"n_train": n_train, "n_val": n_val, "batches_per_epoch": nb, "val_batches": nvb, "grid_epochs": grid_epochs,
            "seeds": seeds, "measured_epochs": e_meas, "train_py_noplots": "--noplots" in timing.get("argv", []), "yolov5n_train_s_per_epoch": y_train, "yolov5n_val_s_per_epoch": y_val,
            "yolov5n_overhead_s": y_over, "yolov5n_step_s": step_y, "R": ratio_r, "rows": rows, "totals": tot,
            "param_mismatches": json.loads((out / "torch_cells.json").read_text())["param_mismatches"]}


def report(e):
    h = lambda s: f"{s / 3600:.2f}"
    L = [f"Grid: {len(e['rows'])} cells x {e['seeds']} seeds x {e['grid_epochs']} epochs, batch 16, 160 px, "
         f"{e['n_train']} train / {e['n_val']} val images ({e['batches_per_epoch']} batches, {e['val_batches']} val batches "
         f"of 32 per epoch); per-epoch figures from {e['measured_epochs']} measured epochs per cell.",
         "",
         "| cell | params | studyctl img/s | PyTorch img/s | train ratio | PyTorch step-only img/s "
         "| PyTorch img/s, additive | studyctl val s/ep | PyTorch val s/ep | studyctl grid h | PyTorch grid h | grid ratio |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in e["rows"]:
        L.append(f"| {r['cell']} | {r['params']:,} | {r['studyctl_ips']:.1f} | {r['torch_ips']:.1f} ({r['torch_how']}) "
                 f"| {r['studyctl_ips'] / r['torch_ips']:.2f} | {r['torch_step_ips']:.1f} | {r['torch_ips_additive']:.1f} "
                 f"| {r['studyctl_val_s']:.2f} "
                 f"| {r['torch_val_s']:.2f} | {h(r['studyctl_grid_s'])} | {h(r['torch_grid_s'])} "
                 f"| {r['torch_grid_s'] / r['studyctl_grid_s']:.2f} |")
    t = e["totals"]
    L += ["",
          f"**Whole grid, end to end** (runs' start-up and closing work included): studyctl {h(t['studyctl'])} h, "
          f"PyTorch YOLOv5 {h(t['torch'])} h, ratio **{t['torch'] / t['studyctl']:.2f}** (goal >= 2).",
          f"Epochs only (seeds x epochs x (train + val)): studyctl {h(t['studyctl_epochs'])} h, PyTorch "
          f"{h(t['torch_epochs'])} h, ratio {t['torch_epochs'] / t['studyctl_epochs']:.2f}.",
          f"With yolov5n's loader and bookkeeping overhead added as seconds per batch instead of as a factor (the "
          f"\"additive\" column; it does not grow with the model): PyTorch {h(t['torch_additive'])} h, ratio "
          f"{t['torch_additive'] / t['studyctl']:.2f}.",
          "",
          f"yolov5n through train.py: {e['yolov5n_train_s_per_epoch']:.1f} s training + {e['yolov5n_val_s_per_epoch']:.1f} s "
          f"validation per epoch, {e['yolov5n_overhead_s']:.1f} s per-run overhead; torch_cells step {e['yolov5n_step_s']:.3f} s, "
          f"so R = train.py epoch / (step x batches) = {e['R']:.3f}.",
          "Assumptions: PyTorch cells other than yolov5n are estimated (\"est.\"): train = torch_cells step x batches x R; "
          "val = yolov5n's val + val batches x (eval-forward difference); overhead = yolov5n's + one val's forward "
          "difference. Per run: overhead + epochs x (train + val), epochs after epoch 0 standing for all; seeds cost alike. "
          "The measured epochs are warm-up epochs on nearly untrained weights, for both tools (see bench/compare_grid.py). "
          + ("train.py ran with --noplots (its plots would only slow PyTorch)." if e["train_py_noplots"] else
             "train.py made its plots."),
          "Parameter counts torch = studyctl for every cell." if not e["param_mismatches"] else
          "PARAMETER MISMATCHES: " + "; ".join(e["param_mismatches"])]
    if e["steps"]:
        worst = max(e["steps"], key=lambda st: st["foreign_cpu"])
        L.append(f"Other processes used at most {100 * worst['foreign_cpu']:.0f} % of the vCPUs during a step ({worst['step']})"
                 + (": 2-thread timings, PyTorch's most, suffer; measure again on a quiet machine."
                    if worst["foreign_cpu"] > 0.05 else "."))
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/work/runs/grid")
    ap.add_argument("--study", default=str(STUDY))
    ap.add_argument("--cells", nargs="*", help="default: the study's grid")
    ap.add_argument("--train", type=int, default=2000)
    ap.add_argument("--val", type=int, default=400)
    ap.add_argument("--epochs", type=int, default=2, help="epochs measured per cell and tool")
    ap.add_argument("--iterations", type=int, default=20, help="torch_cells timed batches per cell")
    ap.add_argument("--plots", action="store_true", help="let train.py plot (default NOPLOTS=1)")
    ap.add_argument("--estimate-only", action="store_true", help="only step e, from the files in --out")
    a = ap.parse_args()
    studyctl = os.environ.get("STUDYCTL", str(REPO / ".build" / "release" / "studyctl"))
    python = os.environ.get("PYTHON", str(Path.home() / ".venvs" / "anchor" / "bin" / "python"))
    study = tomllib.loads(Path(a.study).read_text())
    cells = a.cells or [f"{b}__{n}" for b in study["grid"]["backbone"] for n in study["grid"]["neck"]]
    batch, imgsz = study["train"]["batch"], study["train"]["imgsz"]
    out = Path(a.out).resolve()
    data = out / "data"
    if not a.estimate_only:
        t_all = time.perf_counter()
        out.mkdir(parents=True, exist_ok=True)
        if not (data / "data.yaml").exists():  # a
            sh([studyctl, "dataset", "synth", "--out", data, "--train", a.train, "--val", a.val, "--imgsz", imgsz, "--seed", 0])
        env = {"IMG": str(imgsz), "BATCH": str(batch), "NOPLOTS": "0" if a.plots else "1"}
        sh(["bash", HERE / "yolov5_train.sh", yolov5_yaml(data), a.epochs, 0, out / "torch", "yolov5n"],  # b
           log=out / "torch-yolov5n.log", env=env, label="train.py yolov5n")
        boxes = max(1, round(mean_labels(data / "labels" / "train")))
        sh([python, HERE / "torch_cells.py", "--cells", *cells, "--nc", len(class_names(data)), "--imgsz", imgsz,  # c
            "--batch", batch, "--iterations", a.iterations, "--boxes", boxes, "--studyctl", studyctl,
            "--out", out / "torch_cells.json"], log=out / "torch_cells.log", label="torch_cells.py",
           check=False)  # exits 1 on a parameter mismatch, which the report names
        (out / "studyctl").mkdir(exist_ok=True)
        for name in cells:  # d
            backbone, neck = name.split("__")
            run = out / "studyctl" / name
            subprocess.run(["rm", "-rf", str(run)], check=True)  # the same command on a finished run would resume
            wall = sh([studyctl, "train", "--data", data / "data.yaml", "--backbone", backbone, "--neck", neck,
                       "--epochs", a.epochs, "--batch", batch, "--imgsz", imgsz, "--seed", 0, "--output", run],
                      log=out / "studyctl" / f"{name}.log", label=f"studyctl train {name}")
            (run / "wall.json").write_text(json.dumps({"wall_s": wall}))
        print(f"[compare_grid] measured in {time.perf_counter() - t_all:.0f} s", file=sys.stderr)
        (out / "steps.json").write_text(json.dumps(STEPS, indent=1))
    seeds = study["study"].get("repeats", 1)
    e = estimate(out, cells, study["train"]["epochs"], seeds, batch)
    e["steps"] = json.loads((out / "steps.json").read_text()) if (out / "steps.json").exists() else []
    text = report(e)
    (out / "estimate.json").write_text(json.dumps(e, indent=1))
    (out / "report.md").write_text(text + "\n")
    print(text)


def class_names(data):
    """The class names of a studyctl-written data.yaml (`names:` then `  i: name` lines)."""
    lines = (data / "data.yaml").read_text().splitlines()
    return [ln for ln in lines[lines.index("names:") + 1:] if re.match(r"\s+\d+:", ln)]


def yolov5_yaml(data):
    """data.yaml with an absolute `path:`: train.py resolves a relative one against its own package folder."""
    text = re.sub(r"(?m)^path:.*$", f"path: {data}", (data / "data.yaml").read_text())
    (data / "data-yolov5.yaml").write_text(text)
    return data / "data-yolov5.yaml"


if __name__ == "__main__":
    main()
