"""studyctl against PyTorch on whole models, in one run on this machine (dev only).

Runs the PyTorch anchor (../shared/anchors/torch_bench.py --single) and `studyctl bench --model`
on the same workloads, 2 threads and 1 thread, and prints Markdown tables of times and ratios
(PyTorch time / studyctl time: above 1.0 means studyctl is faster), with each side's peak RSS
(PyTorch's from a fresh process per workload, bench/torch_rss.py).

    swift build -c release
    $HOME/.venvs/anchor/bin/python bench/compare_models.py [--iterations 10] [--anchors ../shared/anchors]
"""
import argparse
import json
import os
import subprocess
import sys

BACKBONES = {  # anchor name -> studyctl backbone
    "mobilenet_v2": "mobilenetv2", "mobilenet_v3_small": "mobilenetv3-small",
    "mobilenet_v3_large": "mobilenetv3-large", "shufflenet_v2_x0_5": "shufflenetv2@0.5",
    "shufflenet_v2_x1_0": "shufflenetv2", "mnasnet0_5": "mnasnet@0.5", "mnasnet1_0": "mnasnet",
    "mobilenetv1_100": "mobilenetv1", "ghostnet_100": "ghostnet",
}


def studyctl(binary, iterations, threads, *args):
    out = subprocess.run([binary, "bench", "--json", "--iterations", str(iterations), "--threads", str(threads), *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def torch_rss(workload):
    """Peak RSS (MiB) of a fresh PyTorch process running `workload` (bench/torch_rss.py)."""
    script = os.path.join(os.path.dirname(__file__), "torch_rss.py")
    out = subprocess.run([sys.executable, "-W", "ignore", script, workload], check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--anchors", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "anchors"))
    ap.add_argument("--binary", default=".build/release/studyctl")
    args = ap.parse_args()

    print("running the PyTorch anchor (a few minutes)...", file=sys.stderr)
    torch = json.loads(subprocess.run([sys.executable, os.path.join(args.anchors, "torch_bench.py"), "--single"],
                                      check=True, capture_output=True, text=True).stdout)
    print("measuring PyTorch's peak RSS...", file=sys.stderr)
    rss = {name: torch_rss(name) for name in ["yolov5n", *BACKBONES]}
    print("running studyctl...", file=sys.stderr)
    ours = {}
    for t in (2, 1):
        ours[("yolov5n", t)] = studyctl(args.binary, args.iterations, t, "--model", "cspdarknet", "--classes", "3")
        ours[("infer", t)] = studyctl(args.binary, args.iterations, t, "--model", "cspdarknet", "--classes", "80")
        for name, ours_name in BACKBONES.items():
            ours[(name, t)] = studyctl(args.binary, args.iterations, t, "--model", ours_name, "--trunk")

    tt = torch["yolov5n_train"]["160"]
    print("\n### yolov5n training step, nc=3, batch 16 at 160 px (s)\n")
    print("| threads | studyctl forward | torch forward | studyctl backward | torch backward | studyctl fwd+bwd | torch fwd+bwd | ratio | studyctl RSS MiB | torch RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    r = ours[("yolov5n", 2)]
    tf, tb = tt["phases_median_s"]["forward"], tt["phases_median_s"]["backward"]
    print(f"| 2 | {r['forward_s']:.4f} | {tf:.4f} | {r['backward_s']:.4f} | {tb:.4f} | {r['step_s']:.4f} | {tf + tb:.4f} "
          f"| {(tf + tb) / r['step_s']:.2f} | {r['peak_rss_mib']:.0f} | {rss['yolov5n']:.0f} |")
    r1 = ours[("yolov5n", 1)]
    t1 = tt["threads1"]["step"]["median_s"]
    print(f"| 1 | {r1['forward_s']:.4f} | | {r1['backward_s']:.4f} | | {r1['step_s']:.4f} | {t1:.4f} (whole step) "
          f"| {t1 / r1['step_s']:.2f} (vs whole step) | {r1['peak_rss_mib']:.0f} | |")

    ti = torch["yolov5n_infer"]
    ort = torch.get("onnxruntime", {})
    print("\n### yolov5n inference, nc=80, batch 1 at 320 px, Conv+BN fused (ms)\n")
    print("| threads | studyctl | torch | ratio | ONNX Runtime | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    ort_ms = {2: ort.get("b1_320", {}).get("intra2", {}).get("ms"), 1: ort.get("b1_320", {}).get("intra1", {}).get("ms")}
    torch_ms = {2: ti["fused"]["b1_320"]["ms"], 1: ti["fused"].get("threads1_b1_320_ms")}
    for t in (2, 1):
        s = ours[("infer", t)]["infer_b1_ms"]
        tm, om = torch_ms[t], ort_ms[t]
        print(f"| {t} | {s:.1f} | {tm if tm is None else f'{tm:.1f}'} | {'' if tm is None else f'{tm / s:.2f}'} "
              f"| {om if om is None else f'{om:.1f}'} | {'' if om is None else f'{om / s:.2f}'} |")

    print("\n### Backbone trunks, forward + backward, batch 16 at 160 px (s)\n")
    print("| backbone | studyctl 2 thr | torch 2 thr | ratio | studyctl 1 thr | torch 1 thr | ratio | studyctl RSS MiB | torch RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, ours_name in BACKBONES.items():
        b = torch["backbones"][name]
        s2, s1 = ours[(name, 2)]["step_s"], ours[(name, 1)]["step_s"]
        t2, t1 = b["fwd_bwd_b16_160"]["median_s"], b["threads1_fwd_bwd_b16_160"]["median_s"]
        print(f"| {ours_name} | {s2:.3f} | {t2:.3f} | {t2 / s2:.2f} | {s1:.3f} | {t1:.3f} | {t1 / s1:.2f} | {ours[(name, 2)]['peak_rss_mib']:.0f} | {rss[name]:.0f} |")
    load = torch.get("load_before"), torch.get("load_after")
    print(f"\nPyTorch {torch['meta']['versions'].get('torch')}; anchor load before/after: {load}")


if __name__ == "__main__":
    main()
