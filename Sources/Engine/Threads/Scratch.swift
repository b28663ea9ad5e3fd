import Foundation

/// Per-OS-thread scratch buffers that kernels reuse from call to call (im2col columns and the like).
///
/// Each thread grows its own buffers to the largest size asked for and keeps them, so a training
/// step allocates nothing once it has run once.
enum Scratch {
    static let slots = 5

    final class Buffers {
        var pointers = [UnsafeMutablePointer<Float>?](repeating: nil, count: Scratch.slots)
        var capacities = [Int](repeating: 0, count: Scratch.slots)
        deinit { for p in pointers { free(p) } }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in if let raw { Unmanaged<Buffers>.fromOpaque(raw).release() } }
        return key
    }()

    /// A buffer of at least `count` floats, private to the calling thread, contents undefined.
    static func buffer(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        let buffers: Buffers
        if let raw = pthread_getspecific(key) {
            buffers = Unmanaged<Buffers>.fromOpaque(raw).takeUnretainedValue()
        } else {
            buffers = Buffers()
            pthread_setspecific(key, Unmanaged.passRetained(buffers).toOpaque())
        }
        if buffers.capacities[slot] < count {
            free(buffers.pointers[slot])
            var raw: UnsafeMutableRawPointer?
            guard posix_memalign(&raw, 64, count * 4) == 0, let raw else {
                fatalError("Scratch: out of memory allocating \(count) floats")
            }
            buffers.pointers[slot] = raw.bindMemory(to: Float.self, capacity: count)
            buffers.capacities[slot] = count
        }
        return buffers.pointers[slot]!
    }
}
