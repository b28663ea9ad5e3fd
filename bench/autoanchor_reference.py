"""Reference numbers for Tests/TrainingTests/AutoAnchorTests.swift, from YOLOv5 v7.0 utils/autoanchor.py.

What it reproduces
    YOLOv5 v7.0 (tag v7.0 of github.com/ultralytics/yolov5) utils/autoanchor.py:
      * check_anchors(): `wh` from dataset.shapes / labels (with the random 0.9-1.1 scale per image),
        its inner metric() -> (bpr, aat), and the `bpr > 0.98` decision to recompute;
      * kmean_anchors(): the `wh0 >= 2.0` filter, whitening by wh.std(0), scipy.cluster.vq.kmeans(iter=30),
        anchor_fitness(), print_results()' sort by area, the genetic evolution (mp 0.9, sigma 0.1,
        clip 0.3-3.0, anchors clipped to >= 2.0).
    torch is not needed: every torch op used there (elementwise float32 division, reciprocal, min, max,
    comparisons, float32 mean) is ported to numpy float32, which gives the same IEEE results element by
    element. Means are additionally given as exact counts / float64 sums of the float32 ratios, which is
    what the Swift port (Float ratios, Double accumulation) computes; torch's float32 mean differs from
    them only in the last float32 bits (printed as well).

    The fixtures (label sets, anchor sets, in-memory datasets) are closed-form and written identically in
    the Swift test; keep the two in sync.

    The last section is NOT YOLOv5: a port of Sources/Training/AutoAnchor.swift with its RNG (SampleRandom /
    Philox4x32-10), predicting what the Swift tests get for their seeds (a cross-check, not a reference).

How to run
    python3 -m venv /work/exp/venv-aa
    /work/exp/venv-aa/bin/pip install numpy scipy
    /work/exp/venv-aa/bin/python bench/autoanchor_reference.py        (from the repository root)

Dev-only: nothing in the package runs it.
"""

import math
import random

import numpy as np
from scipy.cluster.vq import kmeans

THR = 4.0  # hyp['anchor_t']
IMGSZ = 640

# ---------------------------------------------------------------------------------------------
# Fixtures (mirrored in Tests/TrainingTests/AutoAnchorTests.swift)
# ---------------------------------------------------------------------------------------------

# 240 (w, h) pixel boxes, every value exactly representable in float32.
LABELS_A = [(2 + (i * 37 % 241) * 1.5, 2 + (i * 91 % 233) * 1.25) for i in range(240)]

# yolov5n.yaml anchors (P3/8, P4/16, P5/32) in pixels, and the same scaled by 0.1 (a poor fit).
DEFAULT = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
BAD = [1.0, 1.3, 1.6, 3.0, 3.3, 2.3, 3.0, 6.1, 6.2, 4.5, 5.9, 11.9, 11.6, 9.0, 15.6, 19.8, 37.3, 32.6]

# A plus-shaped pattern of 5 multiplicative offsets around a centre: its mean is the centre exactly.
PLUS = [(1.0, 1.0), (0.98, 1.0), (1.02, 1.0), (1.0, 0.98), (1.0, 1.02)]


def plus_cluster(w, h, repeat=1):
    return [(w * a, h * b) for _ in range(repeat) for a, b in PLUS]


# 9 tight clusters centred on the default anchors, 5 points each (45 points).
CLUSTERS9 = [p for i in range(9) for p in plus_cluster(DEFAULT[2 * i], DEFAULT[2 * i + 1])]

# 3 tight clusters, 25 points each, in pixels.
C3_CENTRES = [(20.0, 30.0), (90.0, 60.0), (300.0, 250.0)]
CLUSTERS3 = [p for (w, h) in C3_CENTRES for p in plus_cluster(w, h, repeat=5)]

# Image sizes (width, height) used by the in-memory datasets.
SIZES = [(640, 480), (1280, 720), (500, 500), (800, 1200)]


def image_scale(W, H):
    """The pixel size of a normalized 1.0 at img_size=640: shapes = imgsz * shapes / shapes.max(1)."""
    m = max(W, H)
    return 640.0 * W / m, 640.0 * H / m


def make_dataset(images):
    """images: [(W, H, [(pw, ph) in img_size-scaled pixels])] -> (shapes (N,2) [w,h], labels [(n,5)])."""
    shapes, labels = [], []
    for W, H, boxes in images:
        sw, sh = image_scale(W, H)
        shapes.append((W, H))
        labels.append(np.array([[0, 0.5, 0.5, pw / sw, ph / sh] for pw, ph in boxes], dtype=np.float64).reshape(-1, 5))
    return np.array(shapes, dtype=np.float64), labels


# Dataset K3 (for kmean_anchors): the 3 clusters spread over the 4 image sizes, plus 4 boxes below 2 px in
# both sides (dropped by `(wh0 >= 2.0).any(1)`) and one 1.5 x 24 box (kept: only one side must reach 2).
def k3_images():
    images = []
    for i, p in enumerate(CLUSTERS3):
        W, H = SIZES[i % 4]
        images.append((W, H, [p]))
    images.append((640, 480, [(1.0, 1.5), (1.5, 1.0)]))
    images.append((1280, 720, [(1.25, 1.75), (1.75, 1.25), (1.5, 24.0)]))
    return images


# Dataset CK (for check_anchors): 16 images, 5 boxes each, one of each of 5 typical sizes with +-1 % variations.
# The sizes sit where no (box, anchor) ratio of DEFAULT or BAD is near 4 or 1/4, so bpr and aat do not depend
# on check_anchors' random 0.9-1.1 scale per image (checked below on a grid of scales).
CK_BASES = [(19.0, 41.5), (33.75, 64.0), (78.0, 105.0), (190.0, 153.0), (340.0, 300.0)]


def ck_images():
    images = []
    for i in range(16):
        W, H = SIZES[i % 4]
        boxes = []
        for j in range(5):
            bw, bh = CK_BASES[(i + j) % 5]
            boxes.append((bw * (1 + 0.01 * ((i * j) % 5 - 2)), bh * (1 + 0.01 * ((i + 2 * j) % 5 - 2))))
        images.append((W, H, boxes))
    return images


# Dataset K9 (for kmean_anchors' evolution): CLUSTERS9 in 640x640 images, 5 boxes per image.
def k9_images():
    return [(640, 640, CLUSTERS9[i:i + 5]) for i in range(0, len(CLUSTERS9), 5)]


# ---------------------------------------------------------------------------------------------
# YOLOv5 v7.0 utils/autoanchor.py, torch -> numpy (float32 where torch is float32)
# ---------------------------------------------------------------------------------------------

def check_metric(k, wh, thr=THR):
    """check_anchors.metric(k): wh and k float32 tensors."""
    r = wh[:, None] / k[None]
    x = np.minimum(r, 1 / r).min(2)  # ratio metric
    best = x.max(1)  # best_x
    aat = (x > 1 / thr).astype(np.float32).sum(1).mean()  # anchors above threshold
    bpr = (best > 1 / thr).astype(np.float32).mean()  # best possible recall
    return bpr, aat, x, best


def check_wh(shapes, labels, scale):
    shapes = IMGSZ * shapes / shapes.max(1, keepdims=True)
    return np.concatenate([l[:, 3:5] * s for s, l in zip(shapes * scale, labels)]).astype(np.float32)


def check_anchors(shapes, labels, anchors, thr=THR, gen=1000):
    """check_anchors() without the model: returns (bpr, aat, recomputed, new_bpr, new_anchors)."""
    scale = np.random.uniform(0.9, 1.1, size=(shapes.shape[0], 1))  # augment scale
    wh = check_wh(shapes, labels, scale)
    k = np.array(anchors, dtype=np.float32).reshape(-1, 2)
    bpr, aat, _, _ = check_metric(k, wh, thr)
    if bpr > 0.98:  # threshold to recompute
        return bpr, aat, False, None, k
    na = len(k)
    new = kmean_anchors(shapes, labels, n=na, img_size=IMGSZ, thr=thr, gen=gen)
    new_bpr = check_metric(new, wh, thr)[0]
    if new_bpr > bpr:
        return bpr, aat, True, new_bpr, new
    return bpr, aat, False, new_bpr, k


def km_metric(k, wh):
    r = wh[:, None] / k[None]
    x = np.minimum(r, 1 / r).min(2)
    return x, x.max(1)


def anchor_fitness(k, wh, thr=THR):
    """kmean_anchors.anchor_fitness(k): torch float32 mean (returned) and the float64 mean of the same
    float32 terms (what the Swift port accumulates)."""
    _, best = km_metric(np.asarray(k, dtype=np.float32), wh)
    terms = best * (best > 1 / thr).astype(np.float32)
    return terms.mean(), terms.astype(np.float64).sum() / len(terms)


def kmean_anchors(shapes, labels, n=9, img_size=640, thr=THR, gen=1000, return_kmeans=False):
    npr = np.random
    thr = 1 / thr
    shapes = img_size * shapes / shapes.max(1, keepdims=True)
    wh0 = np.concatenate([l[:, 3:5] * s for s, l in zip(shapes, labels)])  # wh
    wh = wh0[(wh0 >= 2.0).any(1)].astype(np.float32)  # filter > 2 pixels
    try:
        assert n <= len(wh)
        s = wh.std(0)  # sigmas for whitening
        k = kmeans(wh / s, n, iter=30)[0] * s  # points
        assert n == len(k)
    except Exception:
        k = np.sort(npr.rand(n * 2)).reshape(n, 2) * img_size  # random init
    k = k[np.argsort(k.prod(1))]  # print_results: sort small to large
    k_kmeans = k.copy()

    def fitness(k):
        _, best = km_metric(np.asarray(k, dtype=np.float32), wh)
        return (best * (best > thr).astype(np.float32)).mean()

    f, sh, mp, s = fitness(k), k.shape, 0.9, 0.1
    f_kmeans = f
    for _ in range(gen):
        v = np.ones(sh)
        while (v == 1).all():
            v = ((npr.random(sh) < mp) * random.random() * npr.randn(*sh) * s + 1).clip(0.3, 3.0)
        kg = (k.copy() * v).clip(min=2.0)
        fg = fitness(kg)
        if fg > f:
            f, k = fg, kg.copy()
    k = k[np.argsort(k.prod(1))].astype(np.float32)
    if return_kmeans:
        return k, k_kmeans, f_kmeans, f, wh
    return k


def kmeans_anchor_wh(shapes, labels, img_size=640):
    shapes = img_size * shapes / shapes.max(1, keepdims=True)
    wh0 = np.concatenate([l[:, 3:5] * s for s, l in zip(shapes, labels)])
    return wh0, wh0[(wh0 >= 2.0).any(1)].astype(np.float32)


# The Swift port's Lloyd loop (AutoAnchor.kmeans: empty clusters keep their centre), for the
# probability that `restarts` random starts find the global optimum.
def lloyd_keep_empty(x, c):
    prev = np.inf
    while True:
        d2 = ((x[:, None, :] - c[None]) ** 2).sum(-1)
        a = d2.argmin(1)
        dist = np.sqrt(d2[np.arange(len(x)), a]).mean()
        c = np.array([x[a == j].mean(0) if (a == j).any() else c[j] for j in range(len(c))])
        if prev - dist <= 1e-5:
            return c, dist
        prev = dist


def fmt(v):
    return repr(float(v))


def pairs(k):
    return ", ".join(f"({fmt(w)}, {fmt(h)})" for w, h in np.asarray(k, dtype=np.float64))


def main():
    f32 = lambda v: np.array(v, dtype=np.float32).reshape(-1, 2)
    A = f32(LABELS_A)

    print("== metric() of check_anchors, thr=4.0, on LABELS_A (240 boxes) ==")
    for name, k in (("DEFAULT", DEFAULT), ("BAD", BAD)):
        bpr, aat, x, best = check_metric(f32(k), A)
        nb, na = int((best > 0.25).sum()), int((x > 0.25).sum())
        print(f"{name}: best>thr {nb}/240, x>thr {na}/240 -> bpr {fmt(nb / 240)} (torch f32 {fmt(bpr)}), "
              f"aat {fmt(na / 240)} (torch f32 {fmt(aat)})")
        # Variants a wrong port could compute; each must differ from the reference for the test to catch it.
        r = A[:, None] / f32(k)[None]
        xm = np.maximum(r, 1 / r).min(2)
        xmax = np.minimum(r, 1 / r).max(2)
        print(f"   variants: max(r,1/r): bpr {(xm.max(1) > 0.25).sum()}/240; max over w,h: bpr "
              f"{(xmax.max(1) > 0.25).sum()}/240 aat {(xmax > 0.25).sum()}; '>=' thr: bpr "
              f"{(best >= 0.25).sum()} aat {(x >= 0.25).sum()}; thr 1/3: bpr {(best > 1 / 3).sum()} aat {(x > 1 / 3).sum()}")

    print("\n== ratio(box, anchor) = min over w,h of min(r, 1/r), float32 ==")
    for box, anc in (((20.0, 40.0), (10.0, 13.0)), ((5.0, 100.0), (16.0, 30.0)), ((373.0, 326.0), (373.0, 326.0)),
                     ((3.5, 2.0), (1.3, 1.0))):
        r = np.float32(box) / np.float32(anc)
        print(f"ratio({box}, {anc}) = {fmt(np.minimum(r, 1 / r).min())}")

    print("\n== anchor_fitness() of kmean_anchors, thr=4.0 ==")
    for name, k, wh in (("DEFAULT on LABELS_A", DEFAULT, A), ("BAD on LABELS_A", BAD, A),
                        ("DEFAULT on CLUSTERS9", DEFAULT, f32(CLUSTERS9))):
        t, d = anchor_fitness(f32(k), wh)
        print(f"{name}: {fmt(d)} (torch f32 mean {fmt(t)})")
    # variant: fitness = mean(best) without the threshold mask
    _, best = km_metric(f32(DEFAULT), A)
    print(f"   variant without the (best > thr) mask, DEFAULT on LABELS_A: {fmt(best.astype(np.float64).mean())}")

    print("\n== scipy.cluster.vq.kmeans(wh / wh.std(0), n, iter=30) * std, sorted by area ==")
    for name, pts, n in (("CLUSTERS3", CLUSTERS3, 3), ("CLUSTERS9", CLUSTERS9, 9)):
        wh = f32(pts)
        s = wh.std(0)
        results, hits = [], 0
        for seed in range(200):
            np.random.seed(seed)
            k, d = kmeans(wh / s, n, iter=30)
            k = (k * s)[np.argsort((k * s).prod(1))]
            results.append((d, k))
        dmin = min(r[0] for r in results)
        best_k = [r[1] for r in results if r[0] == dmin][0]
        hits = sum(1 for d, k in results if len(k) == n and np.allclose(k, best_k, rtol=1e-6))
        print(f"{name}: global optimum (min distortion {dmin:.6f}) found by {hits}/200 seeds of scipy kmeans(iter=30)")
        print(f"   centroids: {pairs(best_k)}")
        # Swift-port loop (keeps empty clusters): probability per random start of reaching the optimum
        x = (np.array(pts, dtype=np.float64) / np.array(pts, dtype=np.float64).std(0))
        sd = np.array(pts, dtype=np.float64).std(0)
        rng = np.random.default_rng(0)
        ok = 0
        trials = 3000
        for _ in range(trials):
            c, _ = lloyd_keep_empty(x, x[rng.choice(len(x), n, replace=False)])
            kk = c * sd
            kk = kk[np.argsort(kk.prod(1))]
            ok += np.allclose(kk, best_k, rtol=1e-5)
        p = ok / trials
        for restarts in (30, 100, 400):
            print(f"   Swift loop: per start p={p:.4f}; P(best of {restarts} misses the optimum) = {(1 - p) ** restarts:.3g}")

    print("\n== kmean_anchors() on dataset K3 (n=3, img_size=640) ==")
    shapes, labels = make_dataset(k3_images())
    wh0, wh = kmeans_anchor_wh(shapes, labels)
    print(f"wh0 {len(wh0)} boxes, {(wh0 < 3.0).any(1).sum()} below 3 px, kept by (wh0 >= 2).any(1): {len(wh)}")
    finals = []
    for seed in range(20):
        np.random.seed(seed)
        random.seed(seed)
        k, kk, fk, f, _ = kmean_anchors(shapes, labels, n=3, gen=0 if seed < 10 else 300, return_kmeans=True)
        finals.append((seed, kk, fk, k, f))
    kk0 = finals[0][1]
    same = all(np.allclose(r[1], kk0, rtol=1e-6) for r in finals)
    print(f"k-means result (same for all 20 seeds: {same}): {pairs(kk0)}")
    exact = [(501.5 / 26, 774.0 / 26), (90.0, 60.0), (300.0, 250.0)]  # cluster means; 1.5 x 24 joins the first
    print(f"   = the cluster means (25 boxes of (20, 30) + the 1.5 x 24 box, ...): {pairs(exact)}, "
          f"max rel. difference {np.abs(kk0 / np.array(exact) - 1).max():.2g}")
    t, d = anchor_fitness(np.array(exact), wh)
    print(f"   fitness of the exact cluster means: {fmt(d)} (torch f32 {fmt(t)})")
    t, d = anchor_fitness(kk0, wh)
    print(f"fitness of the k-means result: {fmt(d)} (torch f32 {fmt(t)})")
    print("evolution (gen=300, 10 seeds): fitness k-means -> evolved: " +
          ", ".join(f"{r[2]:.6f}->{r[4]:.6f}" for r in finals[10:]))
    # The variants a wrong filter would give
    for name, keep in (("no filter", np.ones(len(wh0), bool)), ("(wh0 >= 2).all(1)", (wh0 >= 2.0).all(1))):
        w = wh0[keep].astype(np.float32)
        s = w.std(0)
        np.random.seed(0)
        k = kmeans(w / s, 3, iter=30)[0] * s
        print(f"   variant {name}: {pairs(k[np.argsort(k.prod(1))])}")

    print("\n== kmean_anchors() on dataset K9 (n=9): evolution never lowers the k-means fitness ==")
    shapes, labels = make_dataset(k9_images())
    for seed in range(5):
        np.random.seed(seed)
        random.seed(seed)
        k, kk, fk, f, wh = kmean_anchors(shapes, labels, n=9, gen=1000, return_kmeans=True)
        drift = np.abs(k / kk - 1).max()
        print(f"seed {seed}: k-means fitness {fmt(fk)} -> evolved {fmt(f)}; largest relative change of an anchor "
              f"{drift:.3g}; sorted by area: {bool((np.diff(k.prod(1)) >= 0).all())}; min side >= 2: {bool((k >= 2).all())}")

    print("\n== check_anchors() on dataset CK (16 images, 80 boxes), thr=4.0, imgsz=640 ==")
    shapes, labels = make_dataset(ck_images())
    for name, k in (("DEFAULT", DEFAULT), ("BAD", BAD)):
        # bpr / aat at the extreme scales: equal for every per-image scale in [0.9, 1.1) if each (box, anchor)
        # decision is the same at both ends (x > 1/thr is monotone in the scale between the ends)
        res = []
        for s in np.linspace(0.9, 1.1, 401):
            wh = check_wh(shapes, labels, np.full((len(shapes), 1), s))
            _, _, x, best = check_metric(f32(k), wh)
            res.append((x > 0.25))
        invariant = all((r == res[0]).all() for r in res)
        x = res[0]
        nb, na = int(x.any(1).sum()), int(x.sum())
        print(f"{name}: bpr {nb}/80 = {fmt(nb / 80)}, aat {na}/80 = {fmt(na / 80)}, same for any scale in [0.9, 1.1]: "
              f"{invariant}; recompute (bpr <= 0.98): {not nb / 80 > 0.98}")
    for seed in range(10):
        np.random.seed(seed)
        random.seed(seed)
        bpr, aat, rec, new_bpr, new = check_anchors(shapes, labels, BAD)
        print(f"   BAD, seed {seed}: bpr {bpr:.4f} aat {aat:.4f} recomputed {rec} new bpr {new_bpr} "
              f"anchors {', '.join('%i,%i' % (round(a), round(b)) for a, b in new)}")


# ---------------------------------------------------------------------------------------------
# Not YOLOv5: a port of Sources/Training/AutoAnchor.swift with its RNG (Detection SampleRandom over
# Engine Philox4x32-10), to predict what the Swift tests see for their seeds. Written from the Swift
# source; not a reference, only a cross-check.
# ---------------------------------------------------------------------------------------------

M32, M64 = 0xFFFFFFFF, (1 << 64) - 1


def philox_block(seed, counter):
    c = [counter & M32, (counter >> 32) & M32, 0, 0]
    k = [seed & M32, (seed >> 32) & M32]
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k[0]) & M32, p1 & M32, ((p0 >> 32) ^ c[3] ^ k[1]) & M32, p0 & M32]
        k = [(k[0] + 0x9E3779B9) & M32, (k[1] + 0xBB67AE85) & M32]
    return c


class SampleRandom:
    def __init__(self, seed, epoch=0, index=0):
        z = (seed + ((0x9E3779B97F4A7C15 * (epoch + 1)) & M64)) & M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        self.seed, self.offset = z ^ (z >> 31), (index << 24) & M64

    def copy(self):
        other = SampleRandom.__new__(SampleRandom)
        other.seed, other.offset = self.seed, self.offset
        return other

    def random(self):
        b = philox_block(self.seed, self.offset)
        self.offset = (self.offset + 1) & M64
        return float((b[0] | (b[1] << 32)) >> 11) * 2.0 ** -53

    def uniform(self, a, b):
        return a + (b - a) * self.random()

    def int_below(self, n):
        return min(int(self.random() * n), n - 1)

    def normal(self):
        u1, u2 = 1 - self.random(), self.random()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def swift_ratios(k, wh):
    wh, k = np.asarray(wh, np.float64).astype(np.float32), np.asarray(k, np.float64).astype(np.float32)
    r = wh[:, None] / k[None]
    return np.minimum(r, 1 / r).min(2)


def swift_metric(k, wh, thr=THR):
    x = swift_ratios(k, wh).astype(np.float64)
    return (x.max(1) > 1 / thr).sum() / len(wh), (x > 1 / thr).sum() / len(wh)


def swift_fitness(k, wh, thr=THR):
    best = swift_ratios(k, wh).max(1).astype(np.float64)
    return np.cumsum(np.where(best > 1 / thr, best, 0.0))[-1] / max(len(wh), 1)  # sequential Double sum


def swift_kmeans(points, n, restarts, rng):
    p = np.asarray(points, dtype=np.float64)
    sd = np.maximum(np.sqrt(((p - p.mean(0)) ** 2).sum(0) / len(p)), 1e-9)
    x = p / sd
    best, best_d = None, math.inf
    for _ in range(restarts):
        picks = []
        while len(picks) < n:
            i = rng.int_below(len(x))
            if i not in picks:
                picks.append(i)
        c, prev = x[picks].copy(), math.inf
        while True:
            d2 = ((x[:, None, :] - c[None]) ** 2).sum(-1)
            a = d2.argmin(1)
            dist = np.sqrt(d2[np.arange(len(x)), a]).sum() / len(x)
            c = np.array([x[a == j].mean(0) if (a == j).any() else c[j] for j in range(n)])
            if prev - dist <= 1e-5:
                if dist < best_d:
                    best_d, best = dist, c
                break
            prev = dist
    return [tuple(v) for v in best * sd]


def swift_boxes(images, imgsz=IMGSZ, jitter=None):
    out = []
    for idx, (W, H, boxes) in enumerate(images):
        sw, sh = image_scale(W, H)
        scale = imgsz / max(W, H) if jitter is None else imgsz / max(W, H) * jitter[idx]
        out += [((pw / sw) * W * scale, (ph / sh) * H * scale) for pw, ph in boxes]
    return out


def by_area(k):
    return sorted(k, key=lambda t: t[0] * t[1])


def swift_kmean_anchors(images, n, gens, rng, imgsz=IMGSZ):
    wh = [b for b in swift_boxes(images, imgsz) if b[0] >= 2 or b[1] >= 2]
    k = swift_kmeans(wh, n, 30, rng) if len(wh) >= n else [(rng.random() * imgsz, rng.random() * imgsz) for _ in range(n)]
    f = swift_fitness(k, wh)
    for _ in range(gens):
        v = [(1.0, 1.0)] * n
        while all(g == (1.0, 1.0) for g in v):
            strength, v = rng.random(), []
            for _ in range(n):
                genes = []
                for _ in range(2):
                    mutate = rng.random() < 0.9
                    genes.append(min(max((1.0 if mutate else 0.0) * strength * rng.normal() * 0.1 + 1, 0.3), 3.0))
                v.append(tuple(genes))
        kg = [(max(a[0] * b[0], 2.0), max(a[1] * b[1], 2.0)) for a, b in zip(k, v)]
        fg = swift_fitness(kg, wh)
        if fg > f:
            f, k = fg, kg
    return by_area(k), wh


def swift_check(images, anchors, seed, thr=THR):
    rng = SampleRandom(seed ^ 0x4155544F)
    jitter = [rng.uniform(0.9, 1.1) for _ in images]
    wh = swift_boxes(images, IMGSZ, jitter)
    bpr, aat = swift_metric(np.array(anchors, dtype=np.float64).reshape(-1, 2), wh, thr)
    if not (bpr <= 0.98 and wh):
        return bpr, aat, False, None, None
    fitted, _ = swift_kmean_anchors(images, len(anchors) // 2, 1000, rng)
    new_bpr = swift_metric(fitted, wh, thr)[0]
    half = np.array([np.float16(np.float32(v)) for p in fitted for v in p], dtype=np.float32).reshape(-1, 2)
    return bpr, aat, new_bpr > bpr, new_bpr, half


def simulate_swift():
    print("\n== Not YOLOv5: the Swift port with its SampleRandom, for the seeds of AutoAnchorTests.swift ==")
    opt9 = np.array(DEFAULT, dtype=np.float64).reshape(-1, 2)
    k = by_area(swift_kmeans(CLUSTERS3, 3, 30, SampleRandom(11)))
    print(f"kmeans(CLUSTERS3, 3, restarts 30, seed 11): {pairs(k)}")
    k = by_area(swift_kmeans(CLUSTERS9, 9, 400, SampleRandom(12)))
    print(f"kmeans(CLUSTERS9, 9, restarts 400, seed 12) = default anchors: {np.allclose(k, opt9, rtol=1e-6)}")
    k, wh = swift_kmean_anchors(k3_images(), 3, 0, SampleRandom(13))
    print(f"kmeanAnchors(K3, 3, generations 0, seed 13): {pairs(k)}; {len(wh)} boxes; fitness {fmt(swift_fitness(k, wh))}")
    k, wh = swift_kmean_anchors(k3_images(), 3, 300, SampleRandom(14))
    print(f"kmeanAnchors(K3, 3, generations 300, seed 14): {pairs(k)}; fitness {fmt(swift_fitness(k, wh))}")
    rng = SampleRandom(17)
    start = by_area(swift_kmeans(swift_boxes(k9_images()), 9, 30, rng.copy()))
    k, wh = swift_kmean_anchors(k9_images(), 9, 1000, rng)
    print(f"kmeanAnchors(K9, 9, generations 1000, seed 17): k-means start is the optimum: "
          f"{np.allclose(start, opt9, rtol=1e-6)}; largest relative change by the evolution "
          f"{np.abs(np.array(k) / np.array(start) - 1).max():.3g}")
    bpr, aat, rec, new_bpr, _ = swift_check(ck_images(), DEFAULT, 1)
    print(f"check(CK, DEFAULT, seed 1): bpr {fmt(bpr)} aat {fmt(aat)} recomputed {rec}")
    bpr, aat, rec, new_bpr, half = swift_check(ck_images(), BAD, 2)
    print(f"check(CK, BAD, seed 2): bpr {fmt(bpr)} aat {fmt(aat)} recomputed {rec} new bpr {fmt(new_bpr)}; "
          f"fp16 anchors {', '.join('%g,%g' % (a, b) for a, b in half)}")


if __name__ == "__main__":
    main()
    simulate_swift()
