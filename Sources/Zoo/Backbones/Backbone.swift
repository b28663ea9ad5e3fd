import Engine

/// A feature extractor: the trunk of an ImageNet classifier (everything before its global
/// pooling), run as a list of layers, with the outputs of three of them tapped as P3, P4 and P5
/// at strides 8, 16 and 32. `docs/zoo.md` lists the tapped blocks and their channels.
public final class Backbone: UnaryLayer {
    public let layers: [any UnaryLayer]
    /// The indices in `layers` whose outputs are P3, P4 and P5.
    public let taps: [Int]
    /// The channels of P3, P4 and P5.
    public let tapChannels: [Int]
    /// The stride of each layer's output relative to the input.
    public let strides: [Int]
    /// The channels of each layer's output.
    public let channels: [Int]

    init(_ builder: BackboneBuilder) {
        layers = builder.layers
        strides = builder.strides
        channels = builder.channels
        taps = [8, 16, 32].map { s in
            guard let i = builder.strides.lastIndex(of: s) else { preconditionFailure("Backbone: no layer at stride \(s)") }
            return i
        }
        tapChannels = taps.map { builder.channels[$0] }
    }

    /// The trunk's output (the last layer's, at stride 32). x: [N, 3, H, W] → [N, C5, H/32, W/32].
    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { h, layer in layer(h) } }

    /// P3, P4, P5: [N, C3, H/8, W/8], [N, C4, H/16, W/16], [N, C5, H/32, W/32].
    public func features(_ x: Tensor) -> [Tensor] {
        var h = x, out: [Tensor] = []
        for (i, layer) in layers.enumerated().prefix(taps[2] + 1) {
            h = layer(h)
            if taps.contains(i) { out.append(h) }
        }
        return out
    }
}

/// Collects a backbone's layers with the stride and channels of each output.
struct BackboneBuilder {
    private(set) var layers: [any UnaryLayer] = []
    private(set) var strides: [Int] = []
    private(set) var channels: [Int] = []
    /// The current output's channels (3 before the first layer).
    var outChannels: Int { channels.last ?? 3 }
    var stride: Int { strides.last ?? 1 }

    /// Appends `layer`, which multiplies the stride by `stride` and outputs `channels`.
    mutating func append(_ layer: any UnaryLayer, stride: Int = 1, channels: Int) {
        layers.append(layer)
        strides.append(self.stride * stride)
        self.channels.append(channels)
    }
}
