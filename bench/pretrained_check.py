"""Reference backbones with random weights, saved as their libraries publish them, with the trunk's
output for a seeded input (dev only): what TrainingTests' PretrainedFeatureTests load into the zoo's
trunks and compare, to 1e-5 relative.

    $HOME/.venvs/anchor/bin/python bench/pretrained_check.py /tmp/pretrained [--shufflenetv1 DIR]
    STUDYCTL_PRETRAINED_CHECK=/tmp/pretrained swift test -c release --filter PretrainedFeatureTests

For each reference of bench/torch_fixtures.py but YOLOv5: every float tensor set to seeded random
values (running variances positive), saved with torch.save (megvii's wrapped in {"state_dict"} with
"module." keys, as its train.py saves them); then, in eval mode, the trunk (everything before global
pooling) on a seeded [2, 3, 96, 128] input: <key>.pth, <key>.input.bin, <key>.output.bin (float32)
and <key>.json (shapes).
"""
import argparse
import collections
import json
from pathlib import Path

import torch

from torch_fixtures import reference_models


def trunk(key, m, x):
    if key.startswith("torchvision.mobilenet"):
        return m.features(x)
    if key.startswith("torchvision.shufflenet"):
        return m.conv5(m.stage4(m.stage3(m.stage2(m.maxpool(m.conv1(x))))))
    if key.startswith("torchvision.mnasnet"):
        return m.layers(x)
    if key.startswith("timm."):
        return m.forward_features(x)
    if key.startswith("megvii."):
        return m.features(m.maxpool(m.first_conv(x)))
    raise KeyError(key)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--shufflenetv1", type=Path, help="folder with megvii's ShuffleNetV1 network.py and blocks.py")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for key, model, _, _ in reference_models(args.shufflenetv1):
        if key.startswith("yolov5."):
            continue
        torch.manual_seed(0)
        with torch.no_grad():
            for name, t in model.state_dict().items():
                if not t.is_floating_point():
                    continue
                t.copy_(torch.rand_like(t) + 0.5 if name.endswith("running_var") else torch.randn_like(t) * 0.1)
        model.eval()
        sd = model.state_dict()
        if key.startswith("megvii."):
            torch.save({"state_dict": collections.OrderedDict((f"module.{k}", v) for k, v in sd.items())}, args.out / f"{key}.pth")
        else:
            torch.save(sd, args.out / f"{key}.pth")
        x = torch.rand(2, 3, 96, 128, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            y = trunk(key, model, x)
        x.numpy().astype("<f4").tofile(args.out / f"{key}.input.bin")
        y.numpy().astype("<f4").tofile(args.out / f"{key}.output.bin")
        (args.out / f"{key}.json").write_text(json.dumps({"input": list(x.shape), "output": list(y.shape)}))
        print(f"{key}: trunk {list(y.shape)}, {len(sd)} tensors")


if __name__ == "__main__":
    main()
