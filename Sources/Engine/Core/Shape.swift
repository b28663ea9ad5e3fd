/// The dimensions of a tensor, outermost first (NCHW for images).
public struct Shape: Equatable, Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var dims: [Int]

    public init(_ dims: [Int]) {
        require(dims.allSatisfy { $0 >= 0 }, "Shape: negative dimension in \(dims)")
        self.dims = dims
    }

    public init(arrayLiteral dims: Int...) { self.init(dims) }

    /// The number of elements (1 for a scalar).
    public var count: Int { dims.reduce(1, *) }
    public var rank: Int { dims.count }
    public subscript(_ i: Int) -> Int { dims[i] }

    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// N, C, H, W of a rank-4 shape; traps with the op's name otherwise.
    public func nchw(_ op: String) -> (n: Int, c: Int, h: Int, w: Int) {
        require(rank == 4, "\(op): expected an NCHW tensor, got shape \(self)")
        return (dims[0], dims[1], dims[2], dims[3])
    }
}
