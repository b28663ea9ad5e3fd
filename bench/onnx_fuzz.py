"""Damaged ONNX files through `studyctl detect` (dev only): each run mutates a valid model 1-3 times
(attributes, initializer dims and values, node inputs, removed nodes, changed op types), runs detect on
one image, and counts exit codes; anything but 0 (it still ran) or 2 (one error line) is printed.

    ~/.cache/studyctl/onnx-venv/bin/python bench/onnx_fuzz.py MODEL.onnx SEED COUNT
"""
import copy
import os
import random
import subprocess
import sys

import onnx
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
base = onnx.load(sys.argv[1])
os.makedirs('/tmp/studyctl-fuzz', exist_ok=True)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
img = os.environ.get('IMAGE', os.path.join(ROOT, 'output/quickstart/dataset/images/val/000001.png'))
B = os.environ.get('STUDYCTL', os.path.join(ROOT, '.build/release/studyctl'))
codes = {}
bad = []
for k in range(int(sys.argv[3]) if len(sys.argv) > 3 else 150):
    m = copy.deepcopy(base)
    g = m.graph
    for _ in range(random.randint(1, 3)):
        r = random.random()
        n = random.choice(g.node)
        if r < 0.3 and n.attribute:
            a = random.choice(n.attribute)
            if a.ints: 
                i = random.randrange(len(a.ints)); a.ints[i] = random.choice([-5, -1, 0, 1, 2, 3, 7, 1000, 2**40])
            elif a.type == onnx.AttributeProto.INT: a.i = random.choice([-3, -1, 0, 1, 2, 5, 1000, 2**40])
            elif a.type == onnx.AttributeProto.FLOAT: a.f = random.choice([-1.0, 0.0, 1e30, float('nan')])
        elif r < 0.5 and g.initializer:
            t = random.choice(g.initializer)
            if t.dims:
                i = random.randrange(len(t.dims)); t.dims[i] = random.choice([0, 1, 2, 3, 1000, 2**40])
        elif r < 0.65:
            i = random.randrange(len(n.input)) if n.input else None
            if i is not None: n.input[i] = random.choice([x.name for x in g.initializer[:50]] + [o for nn in g.node for o in nn.output][:200])
        elif r < 0.75:
            g.node.remove(n)
        elif r < 0.85:
            n.op_type = random.choice(['Conv', 'Add', 'Concat', 'Reshape', 'Slice', 'Expand', 'Resize', 'MaxPool', 'Gather', 'Range', 'Split', 'Transpose', 'Unknown'])
        else:
            t = random.choice(g.initializer)
            if t.data_type == 7 and t.raw_data:
                import numpy as np
                v = np.frombuffer(t.raw_data, dtype='<i8').copy(); v[random.randrange(len(v))] = random.choice([-10, -1, 0, 1, 99, 2**40]); t.raw_data = v.tobytes()
    path = f'/tmp/studyctl-fuzz/m{k}.onnx'
    onnx.save(m, path)
    p = subprocess.run([B, 'detect', '--weights', path, '--source', img, '--output', '/tmp/studyctl-fuzz/out'], capture_output=True, text=True, timeout=120)
    codes[p.returncode] = codes.get(p.returncode, 0) + 1
    if p.returncode not in (0, 2):
        bad.append((k, p.returncode, (p.stderr + p.stdout)[-300:]))
    else:
        os.remove(path)
print(codes)
for b in bad[:5]: print(b)
