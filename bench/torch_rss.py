"""Peak RSS of PyTorch on the workloads of bench/compare_models.py, one fresh process each (dev only).

    $HOME/.venvs/anchor/bin/python bench/torch_rss.py WORKLOAD      # prints the peak RSS in MiB
WORKLOAD: yolov5n (training step, nc=3, batch 16 at 160) or an anchor backbone name (trunk
forward + backward, batch 16 at 160). Uses the anchor script's own model builders.
"""
import os
import resource
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared", "anchors"))
import torch  # noqa: E402
import torch_bench as tb  # noqa: E402


def main():
    name = sys.argv[1]
    torch.set_num_threads(2)
    x = torch.rand(16, 3, 160, 160)
    if name == "yolov5n":
        from yolov5.utils.loss import ComputeLoss
        model = tb.build_yolov5n(3)
        model.hyp = tb.train_hyp(model, 3, 160)
        model.train()
        loss_fn = ComputeLoss(model)
        targets = tb.random_targets(16, 3, 4, torch.Generator().manual_seed(1))
        for _ in range(3):
            model.zero_grad(set_to_none=True)
            loss_fn(model(x), targets)[0].backward()
    else:
        _, trunk, _ = tb.build_backbone(name)
        trunk.train()
        for _ in range(3):
            trunk.zero_grad(set_to_none=True)
            trunk(x).mean().backward()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    main()
