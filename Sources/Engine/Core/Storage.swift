import Foundation
import Synchronization

/// A 64-byte aligned Float32 buffer that returns to `BufferPool` when released.
///
/// Training allocates the same sizes every step; the pool hands them back so a step allocates
/// nothing once the shapes are known.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// An uninitialised buffer of `count` floats.
    public init(count: Int) {
        self.count = count
        pointer = BufferPool.shared.take(count)
    }

    /// A zero-filled buffer of `count` floats.
    public convenience init(zeros count: Int) {
        self.init(count: count)
        pointer.update(repeating: 0, count: count)
    }

    deinit { BufferPool.shared.give(pointer, count) }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }
}

/// Reuses freed Float32 buffers by exact size.
public final class BufferPool: Sendable {
    public static let shared = BufferPool()

    private struct Free: @unchecked Sendable {
        var lists: [Int: [UnsafeMutablePointer<Float>]] = [:]
        var bytesHeld = 0
    }
    private let free = Mutex(Free())
    /// Above this many bytes kept for reuse, freed buffers go back to the system.
    public static let limitBytes = 6 << 30

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let reused: UnsafeMutablePointer<Float>? = free.withLock { state in
            guard let p = state.lists[count]?.popLast() else { return nil }
            state.bytesHeld -= count * 4
            return p
        }
        if let reused { return reused }
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, 64, max(count, 1) * MemoryLayout<Float>.stride)
        guard status == 0, let raw else { fatalError("BufferPool: out of memory allocating \(count) floats") }
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) {
        let kept = free.withLock { state in
            guard state.bytesHeld + count * 4 <= Self.limitBytes else { return false }
            state.lists[count, default: []].append(pointer)
            state.bytesHeld += count * 4
            return true
        }
        if !kept { Foundation.free(pointer) }
    }

    /// Frees every buffer held for reuse.
    public func drain() {
        let lists = free.withLock { state -> [Int: [UnsafeMutablePointer<Float>]] in
            defer { state = Free() }
            return state.lists
        }
        for pointers in lists.values { for p in pointers { Foundation.free(p) } }
    }
}
