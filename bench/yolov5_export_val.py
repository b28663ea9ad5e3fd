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

from cross_validate import new_model, studyctl_val, torch_val, y_general, yolov5


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
    print(f"\n{'validator':34} {'P':>7} {'R':>7} {'mAP50':>7} {'mAP50-95':>9}")
    print(f"{'val.py on the yolov5 export':34} {t[0]:7.4f} {t[1]:7.4f} {t[2]:7.4f} {t[3]:9.4f}")
    print(f"{'studyctl val on the run weights':34} {s[0]:7.4f} {s[1]:7.4f} {s[2]:7.4f} {s[3]:9.4f}")
    worst = max(abs(a - b) for a, b in zip(t[:4], s))
    print(f"largest difference {worst:.4f}")
    return 0 if worst <= 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
