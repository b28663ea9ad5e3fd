"""Summarises one bench/yolov5_train.sh run: mAP curve, final/best mAP, speed, peak RSS (dev only).

    python3 bench/yolov5_report.py RUN_DIR [--json]

RUN_DIR is yolov5's save_dir (OUT/NAME). Reads RUN_DIR/results.csv (yolov5's per-epoch log),
RUN_DIR/bench_timing.json (bench/yolov5_offline_train.py) and RUN_DIR/time-v.txt (GNU time -v).
Standard library only.

Definitions:
  final        the last epoch's row of results.csv (EMA weights, conf 0.001, NMS IoU 0.6)
  best         the row with the highest YOLOv5 fitness 0.1*mAP@0.5 + 0.9*mAP@0.5:0.95 (= best.pt)
  best.pt val  train.py's closing validation of best.pt (FP16-rounded weights, NMS IoU 0.6)
  images/s     images trained x epochs / sum of training-loop wall time (data loading included,
               validation and checkpoint saving excluded)
  compute i/s  the same over time inside batches only (forward, loss, backward, SGD, EMA)
  median batch the median in-batch time of full batches after epoch 0 (first-call warm-up excluded)
  peak RSS     GNU time -v "Maximum resident set size" (largest single process of the tree);
               tree PSS = main + DataLoader workers with shared pages divided between them
"""
import csv
import json
import re
import sys
from pathlib import Path


def read_results(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    head = [h.strip() for h in rows[0]]
    return [dict(zip(head, (float(v) for v in r))) for r in rows[1:] if r]


def read_time_v(path):
    out = {}
    if not path.exists():
        return out
    text = path.read_text()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["max_rss_mib"] = int(m.group(1)) / 1024
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        parts = [float(p) for p in m.group(1).split(":")]
        out["wall_s"] = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    m = re.search(r"Percent of CPU this job got: (\d+)%", text)
    if m:
        out["cpu_percent"] = int(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit_status"] = int(m.group(1))
    return out


def summarise(run):
    run = Path(run)
    res_path = run / "results.csv"
    rows = read_results(res_path) if res_path.exists() else []
    timing = json.loads((run / "bench_timing.json").read_text()) if (run / "bench_timing.json").exists() else {}
    tv = read_time_v(run / "time-v.txt")
    epochs = timing.get("epochs", [])
    s = {"run_dir": str(run), "results_csv": str(res_path), "status": timing.get("status"),
         "torch_threads": timing.get("torch_threads"), "blocked_network": timing.get("blocked_network", [])}
    curve = []
    for i, r in enumerate(rows):
        e = epochs[i] if i < len(epochs) else {}
        curve.append({"epoch": int(r["epoch"]), "precision": r["metrics/precision"], "recall": r["metrics/recall"],
                      "mAP_0.5": r["metrics/mAP_0.5"], "mAP_0.5:0.95": r["metrics/mAP_0.5:0.95"],
                      "train_box": r["train/box_loss"], "train_obj": r["train/obj_loss"], "train_cls": r["train/cls_loss"],
                      "train_s": e.get("train_s"), "val_s": e.get("val_s"), "images": e.get("images")})
    s["curve"] = curve
    if rows:
        last = rows[-1]
        best = max(rows, key=lambda r: 0.1 * r["metrics/mAP_0.5"] + 0.9 * r["metrics/mAP_0.5:0.95"])
        s["final"] = {"epoch": int(last["epoch"]), "mAP_0.5": last["metrics/mAP_0.5"], "mAP_0.5:0.95": last["metrics/mAP_0.5:0.95"]}
        s["best"] = {"epoch": int(best["epoch"]), "mAP_0.5": best["metrics/mAP_0.5"], "mAP_0.5:0.95": best["metrics/mAP_0.5:0.95"]}
    s["best_pt_val"] = timing.get("final_val")
    if epochs:
        imgs = sum(e["images"] for e in epochs)
        tt = sum(e["train_s"] for e in epochs)
        bt = sum(e["batch_s"] for e in epochs)
        vals = [e["val_s"] for e in epochs if e.get("val_s") is not None]
        s["train_images_per_epoch"] = epochs[0]["images"]
        s["train_images_per_s"] = imgs / tt
        s["compute_images_per_s"] = imgs / bt if bt else None
        if len(epochs) > 1:
            rest = epochs[1:]
            s["train_images_per_s_after_epoch0"] = sum(e["images"] for e in rest) / sum(e["train_s"] for e in rest)
        full = sorted(dt for e in epochs[1:] or epochs for dt, n in e.get("batch_times", []) if n == epochs[0]["batch_times"][0][1])
        s["median_batch_s"] = full[len(full) // 2] if full else None
        s["median_batch_images_per_s"] = epochs[0]["batch_times"][0][1] / full[len(full) // 2] if full else None
        s["train_s_total"] = tt
        s["val_s_per_epoch"] = sum(vals) / len(vals) if vals else None
        walls = [e["epoch_wall_s"] for e in epochs if e.get("epoch_wall_s") is not None]
        s["epoch_wall_s_mean"] = sum(walls) / len(walls) if walls else None
        s["setup_s"] = timing.get("setup_s")
    s["peak_rss_mib_time_v"] = tv.get("max_rss_mib")
    s["peak_rss_mib_tree_sampled"] = timing.get("peak_tree_rss_mib")
    s["peak_rss_mib_main_sampled"] = timing.get("peak_main_rss_sampled_mib")
    s["peak_pss_mib_tree_sampled"] = timing.get("peak_tree_pss_mib")
    s["wall_s"] = tv.get("wall_s", timing.get("wall_s"))
    s["loadavg_start"], s["loadavg_end"] = timing.get("loadavg_start"), timing.get("loadavg_end")
    s["cpu_percent"] = tv.get("cpu_percent")
    return s


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    s = summarise(args[0])
    if "--json" in sys.argv:
        print(json.dumps(s, indent=1))
        return
    print(f"results.csv: {s['results_csv']}   status: {s['status']}   torch threads: {s['torch_threads']}")
    if s["blocked_network"]:
        print(f"blocked network attempts: {s['blocked_network']}")
    print("| epoch | P | R | mAP@0.5 | mAP@0.5:0.95 | box | obj | cls | train s | img/s | val s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in s["curve"]:
        ips = c["images"] / c["train_s"] if c["train_s"] else None
        print(f"| {c['epoch']} | {c['precision']:.4f} | {c['recall']:.4f} | {c['mAP_0.5']:.4f} | {c['mAP_0.5:0.95']:.4f} "
              f"| {c['train_box']:.4f} | {c['train_obj']:.4f} | {c['train_cls']:.4f} | {fmt(c['train_s'], '.1f')} "
              f"| {fmt(ips, '.1f')} | {fmt(c['val_s'], '.1f')} |")
    if "final" in s:
        f, b = s["final"], s["best"]
        print(f"final (epoch {f['epoch']}): mAP@0.5 {f['mAP_0.5']:.4f}  mAP@0.5:0.95 {f['mAP_0.5:0.95']:.4f}")
        print(f"best  (epoch {b['epoch']}): mAP@0.5 {b['mAP_0.5']:.4f}  mAP@0.5:0.95 {b['mAP_0.5:0.95']:.4f}")
    if s["best_pt_val"]:
        v = s["best_pt_val"]
        print(f"best.pt closing val: mAP@0.5 {v['mAP_0.5']:.4f}  mAP@0.5:0.95 {v['mAP_0.5:0.95']:.4f}  ({v['s']:.1f} s)")
    if "train_images_per_s" in s:
        print(f"training images/s (whole epochs, data loading incl., val excl.): {s['train_images_per_s']:.1f}"
              f"  [{s['train_images_per_epoch']} images/epoch, {s['train_s_total']:.1f} s in training loops]")
        if "train_images_per_s_after_epoch0" in s:
            print(f"training images/s excluding epoch 0: {s['train_images_per_s_after_epoch0']:.1f}")
        print(f"in-batch compute images/s (fwd+loss+bwd+SGD+EMA): {fmt(s['compute_images_per_s'], '.1f')}"
              f"   median full batch (epochs >= 1): {fmt(s['median_batch_s'], '.3f')} s = {fmt(s['median_batch_images_per_s'], '.1f')} images/s")
        print(f"validation s/epoch: {fmt(s['val_s_per_epoch'], '.2f')}   whole epoch (train + val + results.csv + "
              f"checkpoints) s: {fmt(s['epoch_wall_s_mean'], '.2f')}   setup before epoch 0: {fmt(s['setup_s'], '.1f')} s")
    print(f"peak RSS: {fmt(s['peak_rss_mib_time_v'], '.0f')} MiB (GNU time -v max RSS = largest single process, the main one); "
          f"tree PSS {fmt(s['peak_pss_mib_tree_sampled'], '.0f')} MiB (main + DataLoader workers, shared pages split, sampled every 5 s); "
          f"tree RSS sum {fmt(s['peak_rss_mib_tree_sampled'], '.0f')} MiB (shared pages counted per process)")
    la = lambda v: "-" if not v else " ".join(f"{x:.2f}" for x in v)
    print(f"wall: {fmt(s['wall_s'], '.1f')} s   CPU: {fmt(s['cpu_percent'], 'd')} %   "
          f"load average at start: {la(s['loadavg_start'])}, at end: {la(s['loadavg_end'])} (other work on the 2 vCPUs slows the run)")


if __name__ == "__main__":
    main()
