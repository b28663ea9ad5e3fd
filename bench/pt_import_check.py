"""A YOLOv5 v7.0 checkpoint trained in PyTorch, read by studyctl's own reader (dev only): `studyctl val
--weights best.pt` (TorchCheckpoint + YOLOv5Names, nothing run from the file) against yolov5 7.0.14's
val.run on the same file, as train.py validates (issue 18).

    bash bench/yolov5_train.sh DATA.yaml 10 0 /tmp/y5runs trees      # a checkpoint trained in PyTorch
    $HOME/.venvs/anchor/bin/python bench/pt_import_check.py DATA.yaml /tmp/y5runs/trees/weights/best.pt
"""
import sys
from pathlib import Path

import yaml

from cross_validate import from_torch, studyctl_val, torch_val, y_general, yolov5


def main():
    data_path, weights = sys.argv[1:3]
    data = y_general.check_dataset(data_path)
    nc = int(data["nc"])
    hyp = yaml.safe_load((Path(yolov5.__file__).parent / "data/hyps/hyp.scratch-low.yaml").read_text())
    t = torch_val(from_torch(weights, nc, hyp), data, nc, hyp)
    s = studyctl_val(weights, data_path)
    print(f"\n{'validator':28} {'P':>7} {'R':>7} {'mAP50':>7} {'mAP50-95':>9}")
    print(f"{'val.py (torch.load)':28} {t[0]:7.4f} {t[1]:7.4f} {t[2]:7.4f} {t[3]:9.4f}")
    print(f"{'studyctl val (own reader)':28} {s[0]:7.4f} {s[1]:7.4f} {s[2]:7.4f} {s[3]:9.4f}")
    worst = max(abs(a - b) for a, b in zip(t[:4], s))
    print(f"largest difference {worst:.4f}")
    return 0 if worst <= 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
