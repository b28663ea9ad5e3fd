import Engine

/// Atrous spatial pyramid pooling (Chen et al., "Rethinking Atrous Convolution for Semantic Image
/// Segmentation", 2017, §3.3; torchvision segmentation/deeplabv3.py `ASPP`): a 1×1 branch, one
/// 3×3 branch per dilation rate, and an image-pooling branch, concatenated and projected by a
/// 1×1 conv. Branches are YOLOv5 ConvBNAct (SiLU) of width c1/2, as SPPF's hidden width; the
/// pooling branch is a 1×1 conv with bias and SiLU but no BatchNorm (torchvision's has one,
/// which cannot train on a batch of one 1×1 map). x: [N, c1, H, W] → [N, c2, H, W].
public final class ASPP: UnaryLayer {
    public let conv1x1: ConvBNAct
    public let atrous: [ConvBNAct]
    public let pool: Conv2d
    public let project: ConvBNAct
    public let rates: [Int]

    public init(_ c1: Int, _ c2: Int, rates: [Int], rng: inout Philox) {
        let hidden = c1 / 2
        conv1x1 = ConvBNAct(c1, hidden, kernel: 1, rng: &rng)
        var branches: [ConvBNAct] = []
        for r in rates { branches.append(ConvBNAct(c1, hidden, kernel: 3, dilation: r, rng: &rng)) }
        atrous = branches
        pool = Conv2d(c1, hidden, kernel: 1, rng: &rng)
        project = ConvBNAct(hidden * (rates.count + 2), c2, kernel: 1, rng: &rng)
        self.rates = rates
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let (n, _, h, w) = x.shape.nchw("ASPP")
        let pooled = silu(pool(globalAvgPool(x)))
        let image = expand(pooled, to: [n, pooled.shape[1], h, w])  // to H×W (bilinear from 1×1 is a copy)
        return project(concat([conv1x1(x)] + atrous.map { $0(x) } + [image], axis: 1))
    }
}
