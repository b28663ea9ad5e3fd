"""Plots issue 18's "what pretraining buys": the same cells trained from scratch and from
pretrained backbones, epoch by epoch (dev only).

    $HOME/.venvs/anchor/bin/python bench/plot_pretraining.py OUT.png SCRATCH_STUDY_DIR PRETRAINED_STUDY_DIR

Each study folder holds one run folder per cell (runs/<cell>/results.csv, YOLOv5's columns). Two panels
against the epoch, validation mAP@0.5:0.95 and mAP@0.5; one colour per backbone, dashed from
scratch, solid pretrained. Prints per cell the best-epoch (YOLOv5's fitness) figures of both and
the epoch at which the pretrained run first reached the scratch run's best mAP@0.5:0.95.
"""
import sys
from pathlib import Path

from plot_parity import fitness, rows  # YOLOv5's fitness and a results.csv as rows; sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402


def cells(study):
    return {p.parent.name: rows(p.parent) for p in sorted((Path(study) / "runs").glob("*/results.csv"))}


def main():
    out, scratch, pretrained = sys.argv[1], cells(sys.argv[2]), cells(sys.argv[3])
    names = [n for n in scratch if n in pretrained]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, name in enumerate(names):
        label = name.split("__")[0]
        for runs, style, how in [(scratch[name], "--", "scratch"), (pretrained[name], "-", "pretrained")]:
            epochs = [int(r["epoch"]) for r in runs]
            for ax, key in zip(axes, ["metrics/mAP_0.5:0.95", "metrics/mAP_0.5"]):
                ax.plot(epochs, [r[key] for r in runs], style, color=colours[i], label=f"{label}, {how}")
    for ax, title in zip(axes, ["validation mAP@0.5:0.95", "validation mAP@0.5"]):
        ax.set_xlabel("epoch")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("| cell | scratch best mAP@0.5:0.95 (mAP@0.5) | pretrained best mAP@0.5:0.95 (mAP@0.5) | pretrained reaches scratch's best at epoch |")
    print("|---|---|---|---:|")
    for name in names:
        s, p = max(scratch[name], key=fitness), max(pretrained[name], key=fitness)
        target = s["metrics/mAP_0.5:0.95"]
        reach = next((int(r["epoch"]) for r in pretrained[name] if r["metrics/mAP_0.5:0.95"] >= target), None)
        print(f"| {name} | {s['metrics/mAP_0.5:0.95']:.3f} ({s['metrics/mAP_0.5']:.3f}) | "
              f"{p['metrics/mAP_0.5:0.95']:.3f} ({p['metrics/mAP_0.5']:.3f}) | {reach if reach is not None else 'never'} |")


if __name__ == "__main__":
    main()
