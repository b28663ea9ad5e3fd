/// The geometry of one 2-D convolution or pooling window over one image.
///
/// Output size: H' = (H + 2·pad − dilation·(k − 1) − 1) / stride + 1 (torch.nn.Conv2d).
struct ConvGeometry: Equatable {
    var channels: Int, height: Int, width: Int
    var kernelH: Int, kernelW: Int
    var stride: Int, padding: Int, dilation: Int

    var outHeight: Int { (height + 2 * padding - dilation * (kernelH - 1) - 1) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - dilation * (kernelW - 1) - 1) / stride + 1 }
    /// Rows of the column matrix: C·kH·kW.
    var columnRows: Int { channels * kernelH * kernelW }
    var outPlane: Int { outHeight * outWidth }
    /// True when the column matrix is the input itself (1×1, stride 1, no padding).
    var isPointwise: Bool { kernelH == 1 && kernelW == 1 && stride == 1 && padding == 0 }

    /// The output columns `ow` whose input column `ow·stride − pad + kj·dilation` lies inside the
    /// image, for kernel column `kj`.
    @inline(__always)
    func validColumns(_ kj: Int) -> Range<Int> {
        let offset = kj * dilation - padding
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hi = min(outWidth, offset >= width ? 0 : (width - 1 - offset) / stride + 1)
        return lo..<max(lo, hi)
    }
}
