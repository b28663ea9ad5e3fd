"""A YOLOv5 v7.0 checkpoint trained in PyTorch, read by studyctl's own reader (dev only): `studyctl val
--weights best.pt` (TorchCheckpoint + YOLOv5Names, nothing run from the file) against yolov5 7.0.14's
val.run on the same file, as train.py validates (issue 18).

    bash bench/yolov5_train.sh DATA.yaml 10 0 /tmp/y5runs trees      # a checkpoint trained in PyTorch
    $HOME/.venvs/anchor/bin/python bench/pt_import_check.py DATA.yaml /tmp/y5runs/trees/weights/best.pt
"""
import sys
from pathlib import Path

import yaml

from cross_validate import compare, from_torch, studyctl_val, torch_val, y_general, yolov5


def main():
    data_path, weights = sys.argv[1:3]
    data = y_general.check_dataset(data_path)
    nc = int(data["nc"])
    hyp = yaml.safe_load((Path(yolov5.__file__).parent / "data/hyps/hyp.scratch-low.yaml").read_text())
    t = torch_val(from_torch(weights, nc, hyp), data, nc, hyp)
    s = studyctl_val(weights, data_path)
    return compare("val.py (torch.load)", t, "studyctl val (own reader)", s)


if __name__ == "__main__":
    sys.exit(main())
