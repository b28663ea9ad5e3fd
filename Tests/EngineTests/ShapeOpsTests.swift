import Engine
import Testing

struct ShapeOpsTests {
    @Test func concatAlongChannelsAndBack() {
        let s1 = Shape([2, 3, 2, 2]), s2 = Shape([2, 1, 2, 2]), s3 = Shape([2, 2, 2, 2])
        gradCheck([s1, s2, s3], op: { concat($0, axis: 1) }, reference: { xs in
            var y: [Double] = []
            for img in 0..<2 {
                for (x, c) in zip(xs, [3, 1, 2]) { y += x[(img * c * 4)..<((img + 1) * c * 4)] }
            }
            return y
        })
    }

    @Test func sliceAndSplit() {
        gradCheck([[2, 5, 3]], op: { slice($0[0], axis: 1, 1..<4) }, reference: { xs in
            (0..<2).flatMap { n in (1..<4).flatMap { c in (0..<3).map { w in xs[0][(n * 5 + c) * 3 + w] } } }
        })
        let x = Tensor(Array(0..<24).map(Float.init), shape: [1, 6, 2, 2])
        let parts = split(x, sizes: [2, 4])
        #expect(parts[0].shape == [1, 2, 2, 2] && parts[1].shape == [1, 4, 2, 2])
        #expect(parts[1].scalars == Array(8..<24).map(Float.init))
    }

    @Test func permuteMovesDimensions() {
        let s = Shape([2, 3, 4, 5])
        gradCheck([s], op: { permute($0[0], [0, 2, 3, 1]) }, reference: { xs in
            var y: [Double] = []
            for n in 0..<2 { for h in 0..<4 { for w in 0..<5 { for c in 0..<3 {
                y.append(xs[0][((n * 3 + c) * 4 + h) * 5 + w])
            } } } }
            return y
        })
    }

    @Test func channelShuffleInterleavesGroups() {
        // 6 channels in 3 groups of 2: [a0 a1 | b0 b1 | c0 c1] → [a0 b0 c0 a1 b1 c1].
        let x = Tensor(Array(0..<6).map(Float.init), shape: [1, 6, 1, 1])
        #expect(channelShuffle(x, groups: 3).scalars == [0, 2, 4, 1, 3, 5])
        gradCheck([[2, 6, 2, 3]], op: { channelShuffle($0[0], groups: 2) }, reference: { xs in
            var y: [Double] = []
            for n in 0..<2 { for c in 0..<6 {
                let source = (c % 2) * 3 + c / 2
                y += xs[0][((n * 6 + source) * 6)..<((n * 6 + source) * 6 + 6)]
            } }
            return y
        })
    }

    @Test func reshapeIsAView() {
        gradCheck([[2, 3, 4]], op: { reshape($0[0], [6, 4]) * 3 }, reference: { $0[0].map { $0 * 3 } })
    }
}
