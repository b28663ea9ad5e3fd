"""studyctl's weights validated by YOLOv5 v7.0 itself (dev only): `studyctl export RUN --format yolov5`
loaded with Model('yolov5n.yaml', nc).load_state_dict(safetensors.torch.load_file(…), strict=True),
then yolov5 7.0.14's val.run as train.py calls it, against `studyctl val` on the run's own weights
(issue 18, "YOLOv5 out").

    studyctl export RUN_DIR --format yolov5 --output /tmp/run.yolov5.safetensors
    $HOME/.venvs/anchor/bin/python bench/yolov5_export_val.py DATA.yaml /tmp/run.yolov5.safetensors RUN_DIR/weights/best.safetensors

Exits 1 when any of P, R, mAP@0.5, mAP@0.5:0.95 differs by more than 1e-3.
"""
import sys
from pathlib import Path

import safetensors.torch
import yaml

from cross_validate import compare, new_model, studyctl_val, torch_val, y_general, yolov5


def main():
    data_path, exported, run_weights = sys.argv[1:4]
    data = y_general.check_dataset(data_path)
    nc = int(data["nc"])
    hyp = yaml.safe_load((Path(yolov5.__file__).parent / "data/hyps/hyp.scratch-low.yaml").read_text())
    model = new_model(nc, hyp)
    missing, unexpected = model.load_state_dict(safetensors.torch.load_file(exported), strict=True)
    print(f"load_state_dict(strict=True): {len(missing)} missing, {len(unexpected)} unexpected keys")
    t = torch_val(model, data, nc, hyp)
    s = studyctl_val(run_weights, data_path)
    return compare("val.py on the yolov5 export", t, "studyctl val on the run weights", s)


if __name__ == "__main__":
    sys.exit(main())
