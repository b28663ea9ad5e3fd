/// The script a latency bundle carries: times every model of the bundle in ONNX Runtime on the
/// machine it runs on, as `studyctl latency` times the engine, and writes latency.json.
///
/// It needs only Python 3, numpy and onnxruntime (on the device, not in studyctl).
enum LatencyScript {
    static let text = #"""
    """Times each model of this bundle in ONNX Runtime, batch 1, as `studyctl latency` times the engine.

    Written by studyctl (`studyctl export STUDY_DIR --bundle DIR`). Needs Python 3, numpy and
    onnxruntime (`pip install onnxruntime numpy`, or your device's build of ONNX Runtime):

        python3 latency.py [--threads 1,2,4] [--warmup 10] [--min-time 5] [--out latency.json]

    For each model in bundle.json and each thread count: --warmup untimed runs, then timed runs for
    at least --min-time seconds and 20 runs, on one seeded random image. Writes latency.json; bring
    it back and run `studyctl latency STUDY_DIR --from latency.json`.
    """
    import argparse
    import json
    import os
    import platform
    import time

    import numpy as np
    import onnxruntime as ort


    def machine():
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith(("model name", "Model", "Hardware")):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine() or "unknown"


    def measure(path, size, threads, warmup, min_time):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        x = np.random.default_rng(7).random((1, 3, size, size), dtype=np.float32)
        for _ in range(warmup):
            session.run(None, {name: x})
        times = []
        start = time.perf_counter()
        while len(times) < 20 or time.perf_counter() - start < min_time:
            t0 = time.perf_counter()
            session.run(None, {name: x})
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        return {
            "runtime": f"onnxruntime {ort.__version__} (CPUExecutionProvider)",
            "machine": machine(), "threads": threads, "imageSize": size, "warmup": warmup, "runs": len(times),
            "medianMs": times[len(times) // 2],
            "p90Ms": times[min(len(times) - 1, int(np.ceil(0.9 * len(times))) - 1)],
            "minMs": times[0], "maxMs": times[-1],
        }


    def main():
        here = os.path.dirname(os.path.abspath(__file__))
        ap = argparse.ArgumentParser(description="Batch-1 latency of this bundle's models in ONNX Runtime.")
        ap.add_argument("--threads", default="1", help="thread counts, comma-separated (default 1)")
        ap.add_argument("--warmup", type=int, default=10)
        ap.add_argument("--min-time", type=float, default=5, help="seconds of timed runs per model, at least")
        ap.add_argument("--out", default=os.path.join(here, "latency.json"))
        args = ap.parse_args()
        threads = [int(t) for t in args.threads.split(",")]
        with open(os.path.join(here, "bundle.json")) as f:
            bundle = json.load(f)
        results = {}
        for model in bundle["models"]:
            results[model["name"]] = []
            for t in threads:
                m = measure(os.path.join(here, model["file"]), model["imageSize"], t, args.warmup, args.min_time)
                results[model["name"]].append(m)
                print(f"{model['name']:<40} {model['imageSize']:4d} px {t} thread(s): median {m['medianMs']:.2f} ms, "
                      f"p90 {m['p90Ms']:.2f} ms ({m['runs']} runs)", flush=True)
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"format": "studyctl-latency", "measurements": results}, f, indent=2)
        os.replace(tmp, args.out)
        print(f"Written {args.out}; bring it back and run: studyctl latency STUDY_DIR --from latency.json")


    if __name__ == "__main__":
        main()

    """#
}
