import Engine
import Testing

/// Shape mismatches stop the process with a message naming the op and the shapes, in release
/// builds too (the Engine builds with -Ounchecked, which would drop a plain `precondition`).
struct ShapeCheckTests {
    @Test func convWithMismatchedChannelsStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor(zeros: [1, 3, 4, 4]), Tensor(zeros: [2, 4, 3, 3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("conv2d: input [1, 3, 4, 4] and weight [2, 4, 3, 3] do not match"), "\(message)")
    }

    @Test func broadcastOfIncompatibleShapesStops() async {
        await #expect(processExitsWith: .failure) {
            _ = add(Tensor(zeros: [2, 3]), Tensor(zeros: [4]))
        }
    }
}
