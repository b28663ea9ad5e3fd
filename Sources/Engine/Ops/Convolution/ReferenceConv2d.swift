/// Naive direct convolution in Double, seven nested loops straight from the definition
/// (torch.nn.functional.conv2d): the oracle every fast conv2d path is tested against, kept beside them.
public func referenceConv2d(_ x: [Double], _ xs: Shape, _ w: [Double], _ ws: Shape, _ b: [Double]?,
                     stride: Int, padding: Int, dilation: Int, groups: Int) -> [Double] {
    let (n, c, h, wd) = (xs[0], xs[1], xs[2], xs[3])
    let (o, cg, kh, kw) = (ws[0], ws[1], ws[2], ws[3])
    let oh = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1
    let ow = (wd + 2 * padding - dilation * (kw - 1) - 1) / stride + 1
    let og = o / groups
    var y = [Double](repeating: 0, count: n * o * oh * ow)
    for img in 0..<n { for oc in 0..<o { for oy in 0..<oh { for ox in 0..<ow {
        var sum = b?[oc] ?? 0
        let group = oc / og
        for ic in 0..<cg { for ki in 0..<kh { for kj in 0..<kw {
            let iy = oy * stride - padding + ki * dilation, ix = ox * stride - padding + kj * dilation
            guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
            sum += x[((img * c + group * cg + ic) * h + iy) * wd + ix] * w[((oc * cg + ic) * kh + ki) * kw + kj]
        } } }
        y[((img * o + oc) * oh + oy) * ow + ox] = sum
    } } } }
    return y
}
