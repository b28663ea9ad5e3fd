import Engine
import Testing
import Training

/// train.py's `model.half().float()`: each value to the nearest fp16 and back.
struct HalfRoundingTests {
    @Test func valuesGoToTheNearestHalf() {
        // Hand-worked: fp16 has an 11-bit significand; 1/3 → 0x3555 = 1365/4096; 65519 is below the
        // midpoint 65520 between 65504 and the next step, so it stays finite; 1e-8 is under half the
        // smallest subnormal 2^-24 and flushes to 0; 1.25 (an anchor 10/8) is exact; near 2 the step is
        // 2^-9, so -2.0015 goes to -2 - 2^-9 and the tie -2 - 2^-10 to the even -2.
        let t = Tensor([1.0 / 3, 65519, 1e-8, 1.25, -2.0015, -2.0009765625], shape: [6])
        roundToHalfPrecision([("t", t)])
        #expect(Array(UnsafeBufferPointer(start: t.data, count: 6)) == [1365.0 / 4096, 65504, 0, 1.25, -2.001953125, -2])
    }
}
