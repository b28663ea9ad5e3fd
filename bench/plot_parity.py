"""Plots the learning-parity runs of PyTorch YOLOv5 and studyctl, seed by seed (dev only).

    $HOME/.venvs/anchor/bin/python bench/plot_parity.py OUT.png TORCH_DIR... -- STUDYCTL_DIR...

Each DIR is one run folder with YOLOv5's results.csv (both tools write the same columns). Three
panels against the epoch: validation mAP@0.5:0.95 and mAP@0.5, and the training box loss; thin
lines are the seeds, bold the mean over seeds, the band ± one standard deviation. Prints the
per-tool summary the docs quote: best-epoch (YOLOv5's fitness), mean of the last 10 epochs and
final mAP@0.5:0.95, each as mean ± sd over seeds, with Welch's t of the difference.
"""
import csv
import math
import statistics as st
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(folder):
    with open(f"{folder}/results.csv") as f:
        r = list(csv.reader(f))
    head = [h.strip() for h in r[0]]
    return [dict(zip(head, map(float, x))) for x in r[1:]]


def fitness(r):
    return 0.1 * r["metrics/mAP_0.5"] + 0.9 * r["metrics/mAP_0.5:0.95"]


def summary(runs):
    key = "metrics/mAP_0.5:0.95"
    return {
        "best": [max(rs, key=fitness)[key] for rs in runs],
        "last10": [st.mean(r[key] for r in rs[-10:]) for rs in runs],
        "final": [rs[-1][key] for rs in runs],
    }


def welch(a, b):
    va, vb = st.variance(a) / len(a), st.variance(b) / len(b)
    return (st.mean(a) - st.mean(b)) / math.sqrt(va + vb)


def main():
    out, rest = sys.argv[1], sys.argv[2:]
    split = rest.index("--")
    tools = {"PyTorch YOLOv5 7.0.14": [rows(d) for d in rest[:split]], "studyctl": [rows(d) for d in rest[split + 1:]]}
    colours = {"PyTorch YOLOv5 7.0.14": "#E69F00", "studyctl": "#0072B2"}
    panels = [("metrics/mAP_0.5:0.95", "val mAP@0.5:0.95"), ("metrics/mAP_0.5", "val mAP@0.5"),
              ("train/box_loss", "train box loss")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), dpi=110)
    for ax, (key, title) in zip(axes, panels):
        for tool, runs in tools.items():
            n = min(len(r) for r in runs)
            epochs = list(range(n))
            for rs in runs:
                ax.plot(epochs, [r[key] for r in rs[:n]], color=colours[tool], lw=0.5, alpha=0.35)
            mean = [st.mean(rs[e][key] for rs in runs) for e in epochs]
            sd = [st.stdev(rs[e][key] for rs in runs) for e in epochs]
            ax.fill_between(epochs, [m - s for m, s in zip(mean, sd)], [m + s for m, s in zip(mean, sd)],
                            color=colours[tool], alpha=0.15, lw=0)
            ax.plot(epochs, mean, color=colours[tool], lw=2, label=f"{tool} ({len(runs)} seeds)")
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out)
    a, b = summary(tools["PyTorch YOLOv5 7.0.14"]), summary(tools["studyctl"])
    for k in ("best", "last10", "final"):
        print(f"{k:7s} torch {st.mean(a[k]):.4f} ± {st.stdev(a[k]):.4f}   studyctl {st.mean(b[k]):.4f} ± {st.stdev(b[k]):.4f}"
              f"   diff {st.mean(a[k]) - st.mean(b[k]):+.4f}   Welch t {welch(a[k], b[k]):.2f}")


if __name__ == "__main__":
    main()
