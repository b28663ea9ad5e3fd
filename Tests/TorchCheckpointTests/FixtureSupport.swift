import Foundation
import Testing

import TorchCheckpoint

/// What torch itself read from each fixture (bench/torch_fixtures.py writes Fixtures/expected.json).
struct ExpectedFile: Decodable {
    let format: String
    let layout: String?
    let tensors: [ExpectedTensor]?
    let ema: [ExpectedTensor]?
    let globals: [String]?
}

struct ExpectedTensor: Decodable {
    let name: String
    let shape: [Int]
    let dtype: String
    /// The first (up to 6) values, row-major, as float32.
    let first: [Double]
    let sum: Double
    /// Σ value[i] × (i mod 7 + 1): sees the order of the values, not just their set.
    let wsum: Double
}

enum Fixtures {
    static var folder: String {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        return url.path
    }

    static func path(_ name: String) -> String { folder + "/" + name }

    static let expected: [String: ExpectedFile] = {
        struct Root: Decodable { let files: [String: ExpectedFile] }
        let data = try! Data(contentsOf: URL(fileURLWithPath: path("expected.json")))
        return try! JSONDecoder().decode(Root.self, from: data).files
    }()

    static func read(_ name: String, key: String? = nil) throws -> TorchCheckpoint {
        try TorchCheckpoint.read(contentsOf: path(name), key: key)
    }

    /// The layout as expected.json spells it: "stateDict", "wrappedStateDict:KEY", "moduleTree:KEY:CLASS".
    static func spelled(_ layout: TorchCheckpoint.Layout) -> String {
        switch layout {
        case .stateDict: return "stateDict"
        case .wrappedStateDict(let key): return "wrappedStateDict:\(key)"
        case .moduleTree(let key, let className): return "moduleTree:\(key ?? ""):\(className)"
        }
    }

    /// Checks every tensor against torch's reading: names in order, shape, dtype, first values exactly,
    /// both sums to summation-order rounding.
    static func compare(
        _ tensors: [(name: String, tensor: TorchTensor)], _ expected: [ExpectedTensor], file: String
    ) {
        #expect(tensors.map(\.name) == expected.map(\.name), "\(file): names")
        for ((name, t), e) in zip(tensors, expected) {
            #expect(t.shape == e.shape, "\(file) \(name): shape")
            #expect(t.dtype == e.dtype, "\(file) \(name): dtype")
            #expect(t.values.count == e.shape.reduce(1, *), "\(file) \(name): element count")
            #expect(Array(t.values.prefix(e.first.count)) == e.first.map { Float($0) }, "\(file) \(name): first values")
            var sum = 0.0
            var wsum = 0.0
            var scale = 1.0
            for (i, v) in t.values.enumerated() {
                sum += Double(v)
                wsum += Double(v) * Double(i % 7 + 1)
                scale += 7 * abs(Double(v))
            }
            #expect(abs(sum - e.sum) <= 1e-9 * scale, "\(file) \(name): sum \(sum) vs torch \(e.sum)")
            #expect(abs(wsum - e.wsum) <= 1e-9 * scale, "\(file) \(name): weighted sum \(wsum) vs torch \(e.wsum)")
        }
    }
}
