"""Reference figures for the model zoo (dev-only; never a runtime dependency).

Prints, for every backbone of issue #4, the ImageNet classifier's parameter count, the trunk's
(everything before global pooling) and the channels and strides of the P3/P4/P5 taps, from the
reference implementations: torchvision, timm, YOLOv5 v7.0, and the official ShuffleNetV1
(pass --shufflenetv1 DIR holding megvii-model/ShuffleNet-Series ShuffleNetV1/{network,blocks}.py).

    $HOME/.venvs/anchor/bin/python tools/zoo_reference.py [--shufflenetv1 DIR]
"""
import argparse, os, sys, torch, torchvision, timm
from timm.models.efficientnet import _gen_mobilenet_v1

def count(m):
    return sum(p.numel() for p in m.parameters())

def trunk_taps(trunk, size=224):
    """Output channels at strides 8, 16, 32: the last module output of each stride."""
    taps = {}
    def hook(mod, i, o):
        if isinstance(o, torch.Tensor) and o.dim() == 4:
            taps[size // o.shape[-1]] = o.shape[1]
    hs = [c.register_forward_hook(hook) for c in trunk]
    with torch.no_grad():
        trunk.eval()(torch.zeros(1, 3, size, size))
    for h in hs: h.remove()
    return [taps[8], taps[16], taps[32]]

def row(name, classifier, trunk, head):
    n, t = count(classifier), count(trunk)
    print(f"{name:22s} classifier {n:>9,d}  trunk {t:>9,d}  taps {trunk_taps(trunk)}  head {count(head):,d}")

tv = torchvision.models
for name, f in [("mobilenetv2", lambda: tv.mobilenet_v2()), ("mobilenetv2@0.5", lambda: tv.mobilenet_v2(width_mult=0.5)),
                ("mobilenetv3-small", tv.mobilenet_v3_small), ("mobilenetv3-large", tv.mobilenet_v3_large),
                ("mnasnet", tv.mnasnet1_0), ("mnasnet@0.5", tv.mnasnet0_5)]:
    m = f()
    head = m.classifier
    row(name, m, m.layers if hasattr(m, "layers") else m.features, head)
for name, f in [("shufflenetv2", tv.shufflenet_v2_x1_0), ("shufflenetv2@0.5", tv.shufflenet_v2_x0_5)]:
    m = f()
    trunk = torch.nn.Sequential(m.conv1, m.maxpool, m.stage2, m.stage3, m.stage4, m.conv5)
    row(name, m, trunk, m.fc)
for w in (1.0, 0.75, 0.5):
    m = _gen_mobilenet_v1(f"mobilenetv1_{int(w*100)}", w)
    trunk = torch.nn.Sequential(m.conv_stem, m.bn1, *m.blocks)
    row(f"mobilenetv1@{w}", m, trunk, m.classifier)
m = timm.create_model("ghostnet_100")
trunk = torch.nn.Sequential(m.conv_stem, m.bn1, m.act1, *m.blocks)
row("ghostnet", m, trunk, torch.nn.Sequential(m.conv_head, m.classifier))

ap = argparse.ArgumentParser()
ap.add_argument("--shufflenetv1")
args = ap.parse_args()
if args.shufflenetv1:
    sys.path.insert(0, args.shufflenetv1)
    import io, contextlib
    from network import ShuffleNetV1
    with contextlib.redirect_stdout(io.StringIO()):
        m = ShuffleNetV1(model_size="1.0x", group=3)
    trunk = torch.nn.Sequential(m.first_conv, m.maxpool, *m.features)
    row("shufflenetv1", m, trunk, m.classifier)
