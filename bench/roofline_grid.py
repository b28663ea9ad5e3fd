"""Every cell of the seed-replication grid on the roofline (dev only): `studyctl bench --model B --neck N
--json` per cell, one after another in one run, printing each training step's achieved GFLOP/s and its
share of the FMA peak measured in the same process (issue 15).

    python3 bench/roofline_grid.py [--imgsz 160] [--batch 16] [--threads 2] [--iterations 10]
        [--baseline OLD_STUDYCTL] [--rounds 1]
    env: STUDYCTL (default <repo>/.build/release/studyctl)

With --baseline, each cell is timed by both binaries, alternately, --rounds times, and the table
gives each one's best step (the machine's noise only ever slows a run down) and the speed-up.
"""
import argparse
import json
import os
import subprocess
from pathlib import Path

BACKBONES = ["cspdarknet", "mobilenetv1", "mobilenetv2", "mobilenetv3-small", "mobilenetv3-large", "ghostnet",
             "shufflenetv1", "shufflenetv2", "mnasnet"]


def bench(binary, backbone, neck, args):
    out = subprocess.run([binary, "bench", "--model", backbone, "--neck", neck, "--imgsz", str(args.imgsz), "--batch",
                          str(args.batch), "--threads", str(args.threads), "--iterations", str(args.iterations),
                          "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imgsz", type=int, default=160)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--necks", nargs="+", default=["pan-sppf", "pan-aspp"])
    ap.add_argument("--backbones", nargs="+", default=BACKBONES)
    ap.add_argument("--baseline", help="another studyctl binary, timed alternately with this one")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    binary = os.environ.get("STUDYCTL", str(Path(__file__).resolve().parent.parent / ".build/release/studyctl"))
    if args.baseline:
        print("| cell | baseline images/s | images/s | speed-up | GFLOP per step | achieved GFLOP/s | FMA peak GFLOP/s | share of peak |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print("| cell | images/s | GFLOP per step | achieved GFLOP/s | FMA peak GFLOP/s | share of peak |")
        print("|---|---:|---:|---:|---:|---:|")
    for b in args.backbones:
        for n in args.necks:
            best, base = None, None
            for _ in range(args.rounds):
                if args.baseline:
                    r = bench(args.baseline, b, n, args)
                    base = r if base is None or r["images_per_s"] > base["images_per_s"] else base
                r = bench(binary, b, n, args)
                best = r if best is None or r["images_per_s"] > best["images_per_s"] else best
            # The share against the best peak either process measured: a busy other vCPU lowers a peak.
            peak = max(best["peak_gflops"], base["peak_gflops"] if base else 0)
            tail = (f"{best['train_gflop_per_step']:.2f} | {best['achieved_gflops']:.1f} | {peak:.1f} | "
                    f"{100 * best['achieved_gflops'] / peak:.0f} % |")
            if base:
                print(f"| {b}__{n} | {base['images_per_s']:.1f} | {best['images_per_s']:.1f} | "
                      f"{best['images_per_s'] / base['images_per_s']:.2f}× | " + tail, flush=True)
            else:
                print(f"| {b}__{n} | {best['images_per_s']:.1f} | " + tail, flush=True)


if __name__ == "__main__":
    main()
