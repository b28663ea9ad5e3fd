import CDNNL
import Foundation
import Synchronization

/// oneDNN's direct convolution for the forward pass of dense convolutions (groups 1), the library
/// behind PyTorch's CPU convolutions (Debian's libdnnl 2.6).
///
/// Tensors stay NCHW: each call reorders the input and the weights into oneDNN's blocked layout,
/// convolves, and reorders the output back — reorders included, 2.3× faster than im2col + OpenBLAS
/// on the 3×3 convolutions of `studyctl bench --ops` (docs/engine.md). oneDNN runs on one thread
/// inside each of the engine's tasks, so the result for a block of images never depends on the
/// thread count. Backward stays on OpenBLAS.
public enum DNNLConv {
    /// What a primitive is built for.
    struct Key: Hashable {
        var n: Int, c: Int, h: Int, w: Int, o: Int, kh: Int, kw: Int
        var stride: Int, padding: Int, dilation: Int
        var bias: Bool
    }

    /// A built convolution and the reorders around it, with its plain and blocked layouts.
    final class Plan: @unchecked Sendable {
        let convolution: dnnl_primitive_t
        let reorderSource: dnnl_primitive_t, reorderWeights: dnnl_primitive_t, reorderDestination: dnnl_primitive_t
        var plainSource: dnnl_memory_desc_t, plainWeights: dnnl_memory_desc_t
        var plainBias: dnnl_memory_desc_t, plainDestination: dnnl_memory_desc_t
        var blockedSource: dnnl_memory_desc_t, blockedWeights: dnnl_memory_desc_t, blockedDestination: dnnl_memory_desc_t
        /// oneDNN's work space, supplied by the caller (a library-managed one is not safe for
        /// concurrent execution of one primitive).
        var scratchpad: dnnl_memory_desc_t
        /// Floats of the blocked source, weights and destination buffers and of the scratchpad.
        let sizes: (source: Int, weights: Int, destination: Int, scratchpad: Int)

        init(_ k: Key) {
            let g = ConvGeometry(channels: k.c, height: k.h, width: k.w, kernelH: k.kh, kernelW: k.kw,
                                 stride: k.stride, padding: k.padding, dilation: k.dilation)
            var plainSource = dnnl_memory_desc_t(), plainWeights = dnnl_memory_desc_t()
            var plainBias = dnnl_memory_desc_t(), plainDestination = dnnl_memory_desc_t()
            var anySource = dnnl_memory_desc_t(), anyWeights = dnnl_memory_desc_t(), anyDestination = dnnl_memory_desc_t()
            let source = [k.n, k.c, k.h, k.w], weights = [k.o, k.c, k.kh, k.kw]
            let destination = [k.n, k.o, g.outHeight, g.outWidth]
            DNNLConv.layout(&plainSource, source, dnnl_nchw)
            DNNLConv.layout(&plainWeights, weights, dnnl_oihw)
            DNNLConv.layout(&plainBias, [k.o], dnnl_x)
            DNNLConv.layout(&plainDestination, destination, dnnl_nchw)
            DNNLConv.layout(&anySource, source, dnnl_format_tag_any)
            DNNLConv.layout(&anyWeights, weights, dnnl_format_tag_any)
            DNNLConv.layout(&anyDestination, destination, dnnl_format_tag_any)
            // oneDNN counts dilation from 0 (no gaps), PyTorch from 1.
            let strides = DNNLConv.dims([k.stride, k.stride]), dilates = DNNLConv.dims([k.dilation - 1, k.dilation - 1])
            let padding = DNNLConv.dims([k.padding, k.padding])
            var descriptor = dnnl_convolution_desc_t()
            let status = withUnsafePointer(to: &plainBias) { biasLayout in
                strides.withUnsafeBufferPointer { s in
                    dilates.withUnsafeBufferPointer { d in
                        padding.withUnsafeBufferPointer { p in
                            dnnl_dilated_convolution_forward_desc_init(
                                &descriptor, dnnl_forward_training, dnnl_convolution_direct, &anySource, &anyWeights,
                                k.bias ? biasLayout : nil, &anyDestination, s.baseAddress, d.baseAddress, p.baseAddress,
                                p.baseAddress)
                        }
                    }
                }
            }
            DNNLConv.check(status, "convolution \(k)")
            var primitiveDescriptor: dnnl_primitive_desc_t?
            DNNLConv.check(dnnl_primitive_desc_create(&primitiveDescriptor, &descriptor, DNNLConv.userScratchpad, DNNLConv.engine, nil),
                           "convolution")
            defer { dnnl_primitive_desc_destroy(primitiveDescriptor) }
            var scratchpad = dnnl_primitive_desc_query_md(primitiveDescriptor, dnnl_query_scratchpad_md, 0).pointee
            var blockedSource = dnnl_primitive_desc_query_md(primitiveDescriptor, dnnl_query_src_md, 0).pointee
            var blockedWeights = dnnl_primitive_desc_query_md(primitiveDescriptor, dnnl_query_weights_md, 0).pointee
            var blockedDestination = dnnl_primitive_desc_query_md(primitiveDescriptor, dnnl_query_dst_md, 0).pointee
            var primitive: dnnl_primitive_t?
            DNNLConv.check(dnnl_primitive_create(&primitive, primitiveDescriptor), "convolution")
            convolution = primitive!
            reorderSource = DNNLConv.reorder(&plainSource, &blockedSource)
            reorderWeights = DNNLConv.reorder(&plainWeights, &blockedWeights)
            reorderDestination = DNNLConv.reorder(&blockedDestination, &plainDestination)
            sizes = (dnnl_memory_desc_get_size(&blockedSource) / 4, dnnl_memory_desc_get_size(&blockedWeights) / 4,
                     dnnl_memory_desc_get_size(&blockedDestination) / 4, (dnnl_memory_desc_get_size(&scratchpad) + 3) / 4)
            self.scratchpad = scratchpad
            (self.plainSource, self.plainWeights, self.plainBias, self.plainDestination) = (plainSource, plainWeights, plainBias, plainDestination)
            (self.blockedSource, self.blockedWeights, self.blockedDestination) = (blockedSource, blockedWeights, blockedDestination)
        }
    }

    /// The CPU engine, shared by every thread.
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine")
        return engine!
    }()

    private static let plans = Mutex<[Key: Plan]>([:])

    /// Attributes asking for a caller-supplied scratchpad.
    nonisolated(unsafe) static let userScratchpad: dnnl_primitive_attr_t = {
        var attr: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attr), "attributes")
        check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode")
        return attr!
    }()

    /// The plan for `key`, built once.
    static func plan(_ key: Key) -> Plan {
        if let plan = plans.withLock({ $0[key] }) { return plan }
        // A jit convolution fixes its thread count when it is created: limit OpenMP first.
        _ = stream()
        let plan = Plan(key)
        return plans.withLock { plans in
            if let existing = plans[key] { return existing }
            plans[key] = plan
            return plan
        }
    }

    /// y = conv(x, w) + b for the images of `key` (plain NCHW pointers), on the calling thread.
    static func forward(_ plan: Plan, x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        y: UnsafeMutablePointer<Float>) {
        let stream = Self.stream()
        let blockedX = Scratch.buffer(0, count: max(plan.sizes.source, 1))
        let blockedW = Scratch.buffer(1, count: max(plan.sizes.weights, 1))
        let blockedY = Scratch.buffer(2, count: max(plan.sizes.destination, 1))
        let work = Scratch.buffer(3, count: max(plan.sizes.scratchpad, 1))
        let memories: [dnnl_memory_t?] = [
            memory(&plan.plainSource, x), memory(&plan.blockedSource, blockedX),
            memory(&plan.plainWeights, w), memory(&plan.blockedWeights, blockedW),
            memory(&plan.blockedDestination, blockedY), memory(&plan.plainDestination, y),
            bias.flatMap { memory(&plan.plainBias, $0) }, memory(&plan.scratchpad, work),
        ]
        defer { for m in memories { if let m { dnnl_memory_destroy(m) } } }
        execute(plan.reorderSource, stream, [(DNNL_ARG_FROM, memories[0]), (DNNL_ARG_TO, memories[1])])
        execute(plan.reorderWeights, stream, [(DNNL_ARG_FROM, memories[2]), (DNNL_ARG_TO, memories[3])])
        var args = [(DNNL_ARG_SRC, memories[1]), (DNNL_ARG_WEIGHTS, memories[3]), (DNNL_ARG_DST, memories[4])]
        if let b = memories[6] { args.append((DNNL_ARG_BIAS, b)) }
        if plan.sizes.scratchpad > 0 { args.append((DNNL_ARG_SCRATCHPAD, memories[7])) }
        execute(plan.convolution, stream, args)
        execute(plan.reorderDestination, stream, [(DNNL_ARG_FROM, memories[4]), (DNNL_ARG_TO, memories[5])])
        check(dnnl_stream_wait(stream), "wait")
    }

    /// oneDNN's version, e.g. "2.6.3 (OpenMP)".
    public static var version: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        let runtime = v.cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : v.cpu_runtime == DNNL_RUNTIME_SEQ ? "sequential" : "threads"
        return "\(v.major).\(v.minor).\(v.patch) (\(runtime))"
    }

    // MARK: - Plumbing

    static func dims(_ values: [Int]) -> [Int64] { values.map(Int64.init) }

    /// Initialises `descriptor` as a Float32 tensor of `shape` in layout `tag`.
    static func layout(_ descriptor: inout dnnl_memory_desc_t, _ shape: [Int], _ tag: dnnl_format_tag_t) {
        let d = dims(shape)
        let status = d.withUnsafeBufferPointer { dnnl_memory_desc_init_by_tag(&descriptor, Int32(d.count), $0.baseAddress, dnnl_f32, tag) }
        check(status, "layout \(shape)")
    }

    static func check(_ status: dnnl_status_t, _ what: String) {
        if status != dnnl_success { fatalError("oneDNN: \(what) failed with status \(status.rawValue)") }
    }

    private static func reorder(_ from: UnsafeMutablePointer<dnnl_memory_desc_t>, _ to: UnsafeMutablePointer<dnnl_memory_desc_t>) -> dnnl_primitive_t {
        var descriptor: dnnl_primitive_desc_t?
        check(dnnl_reorder_primitive_desc_create(&descriptor, from, engine, to, engine, nil), "reorder")
        var scratch = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0).pointee
        check(dnnl_memory_desc_get_size(&scratch) == 0 ? dnnl_success : dnnl_unimplemented, "reorder without scratchpad")
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, descriptor), "reorder")
        return primitive!
    }

    private static func memory(_ descriptor: UnsafeMutablePointer<dnnl_memory_desc_t>, _ data: UnsafePointer<Float>) -> dnnl_memory_t? {
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, descriptor, engine, UnsafeMutableRawPointer(mutating: data)), "memory")
        return memory
    }

    private static func execute(_ primitive: dnnl_primitive_t, _ stream: dnnl_stream_t, _ args: [(Int32, dnnl_memory_t?)]) {
        let list = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
        list.withUnsafeBufferPointer { check(dnnl_primitive_execute(primitive, stream, Int32($0.count), $0.baseAddress), "execute") }
    }

    /// This thread's stream; the first call also limits OpenMP to this thread, so oneDNN never
    /// starts threads of its own beside the engine's pool (and primitives built here are built
    /// for one thread).
    private static func stream() -> dnnl_stream_t {
        if let raw = pthread_getspecific(streamKey) { return OpaquePointer(raw) }
        ompSetNumThreads?(1)
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream")
        pthread_setspecific(streamKey, UnsafeRawPointer(stream!))
        return stream!
    }

    nonisolated(unsafe) private static let streamKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in if let raw { dnnl_stream_destroy(OpaquePointer(raw)) } }
        return key
    }()

    /// libgomp's omp_set_num_threads, found at run time (oneDNN links libgomp; its header is not
    /// on Swift's include path).
    nonisolated(unsafe) private static let ompSetNumThreads: (@convention(c) (Int32) -> Void)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)
    }()
}
