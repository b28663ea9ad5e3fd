import Engine
import Testing

struct Conv2dTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var x: [Int], w: [Int]
        var stride = 1, padding = 0, dilation = 1, groups = 1, bias = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "3x3 stride 1 pad 1", x: [2, 3, 7, 6], w: [4, 3, 3, 3], padding: 1),
        Case(name: "3x3 stride 2 pad 1 bias", x: [2, 3, 9, 7], w: [5, 3, 3, 3], stride: 2, padding: 1, bias: true),
        Case(name: "3x3 padding 0", x: [1, 2, 6, 5], w: [3, 2, 3, 3]),
        Case(name: "3x3 dilation 2 pad 2", x: [1, 2, 9, 8], w: [3, 2, 3, 3], padding: 2, dilation: 2),
        Case(name: "1x1 pointwise bias", x: [3, 4, 5, 3], w: [6, 4, 1, 1], bias: true),
        Case(name: "1x1 stride 2", x: [2, 4, 7, 5], w: [3, 4, 1, 1], stride: 2),
        Case(name: "groups 3", x: [2, 6, 5, 5], w: [9, 2, 3, 3], padding: 1, groups: 3),
        Case(name: "groups 3 pointwise", x: [2, 6, 4, 5], w: [6, 2, 1, 1], groups: 3),
        Case(name: "groups 3, one image (output channels split across threads)", x: [1, 6, 5, 5], w: [36, 2, 3, 3],
             padding: 1, groups: 3, bias: true),
        Case(name: "depthwise 3x3", x: [2, 4, 7, 6], w: [4, 1, 3, 3], padding: 1, groups: 4, bias: true),
        Case(name: "depthwise 3x3 stride 2", x: [2, 3, 9, 8], w: [3, 1, 3, 3], stride: 2, padding: 1, groups: 3),
        Case(name: "depthwise 5x5", x: [2, 3, 9, 7], w: [3, 1, 5, 5], padding: 2, groups: 3),
        Case(name: "depthwise 5x5 stride 2", x: [1, 3, 11, 10], w: [3, 1, 5, 5], stride: 2, padding: 2, groups: 3),
        Case(name: "depthwise 3x3 padding 0 (scalar path)", x: [2, 3, 6, 5], w: [3, 1, 3, 3], groups: 3),
        Case(name: "depthwise dilation 2", x: [1, 2, 9, 9], w: [2, 1, 3, 3], padding: 2, dilation: 2, groups: 2),
        Case(name: "6x6 stride 2 pad 2 (YOLOv5 stem)", x: [2, 3, 12, 10], w: [4, 3, 6, 6], stride: 2, padding: 2),
        Case(name: "depthwise 3x3 stride 2, rows wider than 32", x: [1, 2, 5, 37], w: [2, 1, 3, 3], stride: 2, padding: 1, groups: 2),
        Case(name: "depthwise 5x5 stride 2 pad 2, rows wider than 32", x: [1, 2, 6, 34], w: [2, 1, 5, 5], stride: 2, padding: 2, groups: 2),
        Case(name: "3x3 stride 2, rows wider than 32", x: [1, 2, 5, 35], w: [3, 2, 3, 3], stride: 2, padding: 1),
        Case(name: "batch 9: small planes batched side by side", x: [9, 3, 4, 5], w: [4, 3, 3, 3], padding: 1, bias: true),
        Case(name: "batch 9 pointwise batched", x: [9, 4, 3, 3], w: [5, 4, 1, 1]),
        Case(name: "batch 9 groups 2 stride 2 batched", x: [9, 4, 5, 4], w: [6, 2, 3, 3], stride: 2, padding: 1, groups: 2, bias: true),
        Case(name: "odd sizes, padding wider than kernel reach", x: [3, 2, 5, 3], w: [3, 2, 3, 2], stride: 3, padding: 2, bias: true),
    ]

    @Test(arguments: cases)
    func matchesNaiveConvolutionAndFiniteDifferences(_ t: Case) {
        let o = t.w[0]
        var shapes = [Shape(t.x), Shape(t.w)]
        if t.bias { shapes.append(Shape([o])) }
        gradCheck(shapes,
                  op: { conv2d($0[0], $0[1], bias: t.bias ? $0[2] : nil, stride: t.stride, padding: t.padding,
                               dilation: t.dilation, groups: t.groups) },
                  reference: { referenceConv2d($0[0], Shape(t.x), $0[1], Shape(t.w), t.bias ? $0[2] : nil,
                                               stride: t.stride, padding: t.padding, dilation: t.dilation, groups: t.groups) })
    }

    @Test func gradientsAccumulateAcrossTwoUses() {
        let x = Tensor(testValues(2 * 3 * 5 * 5, seed: 3), shape: [2, 3, 5, 5], requiresGrad: true)
        let w = Tensor(testValues(4 * 3 * 3 * 3, seed: 4), shape: [4, 3, 3, 3], requiresGrad: true)
        let ones = Tensor(repeating: 1, shape: [2, 4, 5, 5])
        conv2d(x, w, padding: 1).backward(gradient: ones)
        let once = w.grad!.scalars
        conv2d(x, w, padding: 1).backward(gradient: ones)
        let twice = w.grad!.scalars
        #expect(maxRelativeError(twice.map(Double.init), once.map { 2 * Double($0) }) < 1e-5)
    }
}
