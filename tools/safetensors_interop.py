"""Proves that Engine's safetensors I/O interoperates with the Python `safetensors` package.

Python → Swift: `fixture` (re)writes Tests/EngineTests/Fixtures/python_written.safetensors with the
Python writer; SafetensorsTests reads it and checks every value (they are listed in FIXTURE below
and in the test).

Swift → Python: SafetensorsTests writes INTEROP (below) to the path in STUDYCTL_SAFETENSORS_INTEROP
when that variable is set; `check PATH` reads it back with safetensors.numpy.load_file, compares
names, dtypes, shapes, values and metadata, and checks the bytes are those the Python writer
produces for the same tensors:

    swift build -c release --build-tests
    STUDYCTL_SAFETENSORS_INTEROP=/tmp/swift_written.safetensors \\
        swift test -c release --skip-build --filter SafetensorsTests
    $HOME/.venvs/anchor/bin/python tools/safetensors_interop.py check /tmp/swift_written.safetensors

`fixture` needs torch (for BF16); `check` needs only safetensors and numpy.
"""
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save

FIXTURE_PATH = Path(__file__).resolve().parent.parent / "Tests/EngineTests/Fixtures/python_written.safetensors"
FIXTURE_METADATA = {"format": "pt"}


def fixture_tensors():
    import torch

    return {
        "model.0.conv.weight": torch.arange(8, dtype=torch.float32).reshape(2, 1, 2, 2) * 0.25 - 1,
        "model.0.bn.bias": torch.tensor([0.1, -2.5e-7], dtype=torch.float32),
        "scalar": torch.tensor(3.5, dtype=torch.float32),
        "half": torch.tensor([1.5, 2.0**-14, 65504.0], dtype=torch.float16),
        "bfloat": torch.tensor([1.0078125, -2.5], dtype=torch.bfloat16),
        "double": torch.tensor([0.1, -1e-3], dtype=torch.float64),
        "model.0.bn.num_batches_tracked": torch.tensor(5, dtype=torch.int64),
    }


def write_fixture():
    from safetensors.torch import save_file

    tensors = fixture_tensors()
    save_file(tensors, str(FIXTURE_PATH), metadata=FIXTURE_METADATA)
    print(f"wrote {FIXTURE_PATH} ({FIXTURE_PATH.stat().st_size} bytes)")
    for name, t in sorted(tensors.items()):
        print(f"  {name}: {str(t.dtype).removeprefix('torch.')} {list(t.shape)} {t.flatten().float().tolist()}")


def interop_tensors():
    """What SafetensorsTests writes (keep in step with `interopTensors` there)."""
    return {
        "conv.weight": (np.arange(54, dtype=np.float32) - 27) * np.float32(0.125),
        "bn.running_var": np.array([1, 0.5, 0.25, 3e-5], dtype=np.float32),
        "step": np.array(7, dtype=np.float32),
        "empty": np.zeros([0, 3], dtype=np.float32),
        'we"ird\\name\tü': np.array([1e-38, -0.0], dtype=np.float32),
    }


INTEROP_SHAPES = {"conv.weight": [2, 3, 3, 3]}
INTEROP_METADATA = {"producer": 'studyctl "tests"'}


def check(path):
    expected = {k: v.reshape(INTEROP_SHAPES.get(k, v.shape)) for k, v in interop_tensors().items()}
    got = load_file(path)
    with safe_open(path, framework="np") as f:
        metadata = f.metadata()
    problems = []
    if sorted(got) != sorted(expected):
        problems.append(f"names {sorted(got)} != {sorted(expected)}")
    for name in sorted(set(got) & set(expected)):
        a, b = got[name], expected[name]
        if a.dtype != b.dtype or a.shape != b.shape or a.tobytes() != b.tobytes():
            got_text, want_text = (f"{x.dtype} {x.shape} {x.flatten()[:4]}" for x in (a, b))
            problems.append(f"{name}: got {got_text}, expected {want_text}")
    if metadata != INTEROP_METADATA:
        problems.append(f"metadata {metadata} != {INTEROP_METADATA}")
    identical = Path(path).read_bytes() == save(expected, metadata=INTEROP_METADATA)
    print(f"{path}: {len(got)} tensors read by safetensors.numpy.load_file")
    print(f"  names, dtypes, shapes, values, metadata: {'all match' if not problems else 'MISMATCH'}")
    print(f"  bytes identical to safetensors.numpy.save of the same tensors: {'yes' if identical else 'NO'}")
    for p in problems:
        print("  " + p)
    return 0 if not problems and identical else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["fixture"]:
        write_fixture()
    elif sys.argv[1:2] == ["check"] and len(sys.argv) == 3:
        sys.exit(check(sys.argv[2]))
    else:
        sys.exit(__doc__)
