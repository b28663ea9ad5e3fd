"""Every cell of the seed-replication grid on the roofline (dev only): `studyctl bench --model B --neck N
--json` per cell, one after another in one run, printing each training step's achieved GFLOP/s and its
share of the FMA peak measured in the same process (issue 15).

    python3 bench/roofline_grid.py [--imgsz 160] [--batch 16] [--threads 2] [--iterations 10]
    env: STUDYCTL (default <repo>/.build/release/studyctl)
"""
import argparse
import json
import os
import subprocess
from pathlib import Path

BACKBONES = ["cspdarknet", "mobilenetv1", "mobilenetv2", "mobilenetv3-small", "mobilenetv3-large", "ghostnet",
             "shufflenetv1", "shufflenetv2", "mnasnet"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imgsz", type=int, default=160)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--necks", nargs="+", default=["pan-sppf", "pan-aspp"])
    args = ap.parse_args()
    binary = os.environ.get("STUDYCTL", str(Path(__file__).resolve().parent.parent / ".build/release/studyctl"))
    print(f"| cell | images/s | GFLOP per step | achieved GFLOP/s | FMA peak GFLOP/s | share of peak |")
    print("|---|---:|---:|---:|---:|---:|")
    for b in BACKBONES:
        for n in args.necks:
            out = subprocess.run([binary, "bench", "--model", b, "--neck", n, "--imgsz", str(args.imgsz), "--batch",
                                  str(args.batch), "--threads", str(args.threads), "--iterations", str(args.iterations),
                                  "--json"], check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            print(f"| {b}__{n} | {r['images_per_s']:.1f} | {r['train_gflop_per_step']:.2f} | {r['achieved_gflops']:.1f} | "
                  f"{r['peak_gflops']:.1f} | {100 * r['share_of_peak']:.0f} % |", flush=True)


if __name__ == "__main__":
    main()
