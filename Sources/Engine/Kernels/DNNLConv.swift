import CDNNL
import Foundation
import Synchronization

/// oneDNN's direct convolution (Debian's libdnnl 2.6, the library behind PyTorch's CPU
/// convolutions): forward, backward-data and backward-weights of dense convolutions (groups 1),
/// and the forward of depthwise ones.
///
/// Tensors stay NCHW: each stage reorders its inputs into oneDNN's blocked layouts, runs, and
/// reorders its output back — reorders included, faster than im2col + OpenBLAS on the 3×3 shapes
/// of `studyctl bench --ops` (docs/engine.md). oneDNN runs on one thread inside each of the
/// engine's tasks, over a fixed block of images, so results never depend on the thread count.
public enum DNNLConv {
    /// What a plan is built for.
    struct Key: Hashable {
        var n: Int, c: Int, h: Int, w: Int, o: Int, kh: Int, kw: Int
        var stride: Int, padding: Int, dilation: Int
        var bias: Bool
        /// 1 (dense, with backward stages) or C (depthwise, forward only).
        var groups: Int = 1

        /// The key of a convolution of geometry `g` over `images` images and `outputs` channels.
        init(images: Int, inputs: Int, outputs: Int, _ g: ConvGeometry, bias: Bool, groups: Int = 1) {
            (n, c, h, w, o, kh, kw) = (images, inputs, g.height, g.width, outputs, g.kernelH, g.kernelW)
            (stride, padding, dilation) = (g.stride, g.padding, g.dilation)
            (self.bias, self.groups) = (bias, groups)
        }
    }

    /// One primitive with plain tensors outside: inputs reordered in, output reordered out.
    final class Stage: @unchecked Sendable {
        struct Port {
            let arg: Int32
            let plain: dnnl_memory_desc_t
            let blocked: dnnl_memory_desc_t
            /// nil when the primitive takes the plain layout as it is.
            let reorder: dnnl_primitive_t?
            let floats: Int
        }

        // Read-only after init: several threads run one stage at once.
        let primitive: dnnl_primitive_t
        let inputs: [Port]
        let output: Port
        let scratchpad: dnnl_memory_desc_t
        let scratchFloats: Int

        /// Wraps the primitive of `descriptor`; each port names its argument, its plain layout, and
        /// the query (and index) that gives the primitive's own layout for it.
        init(_ descriptor: dnnl_primitive_desc_t, inputs: [(Int32, dnnl_memory_desc_t, dnnl_query_t, Int32)],
             output: (Int32, dnnl_memory_desc_t, dnnl_query_t, Int32)) {
            var primitive: dnnl_primitive_t?
            DNNLConv.check(dnnl_primitive_create(&primitive, descriptor), "primitive")
            self.primitive = primitive!
            func port(_ p: (Int32, dnnl_memory_desc_t, dnnl_query_t, Int32), into: Bool) -> Port {
                var plain = p.1
                var blocked = dnnl_primitive_desc_query_md(descriptor, p.2, p.3).pointee
                let same = dnnl_memory_desc_equal(&plain, &blocked) != 0
                let reorder = same ? nil : (into ? DNNLConv.reorder(&plain, &blocked) : DNNLConv.reorder(&blocked, &plain))
                return Port(arg: p.0, plain: plain, blocked: blocked, reorder: reorder,
                            floats: (dnnl_memory_desc_get_size(&blocked) + 3) / 4)
            }
            self.inputs = inputs.map { port($0, into: true) }
            self.output = port(output, into: false)
            var scratchpad = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0).pointee
            scratchFloats = (dnnl_memory_desc_get_size(&scratchpad) + 3) / 4
            self.scratchpad = scratchpad
        }

        /// Runs the stage on plain tensors, on the calling thread (scratch slots 0 to 3).
        func run(_ sources: [UnsafePointer<Float>], _ destination: UnsafeMutablePointer<Float>) {
            let stream = DNNLConv.stream()
            var memories: [dnnl_memory_t] = []
            defer { for m in memories { dnnl_memory_destroy(m) } }
            func memory(_ descriptor: dnnl_memory_desc_t, _ data: UnsafePointer<Float>) -> dnnl_memory_t {
                let m = DNNLConv.memory(descriptor, data)
                memories.append(m)
                return m
            }
            var args: [(Int32, dnnl_memory_t)] = []
            for i in inputs.indices {
                let plain = memory(inputs[i].plain, sources[i])
                if let reorder = inputs[i].reorder {
                    let blocked = memory(inputs[i].blocked, Scratch.buffer(i, count: max(inputs[i].floats, 1)))
                    DNNLConv.execute(reorder, stream, [(DNNL_ARG_FROM, plain), (DNNL_ARG_TO, blocked)])
                    args.append((inputs[i].arg, blocked))
                } else {
                    args.append((inputs[i].arg, plain))
                }
            }
            let plainOut = memory(output.plain, destination)
            let blockedOut = output.reorder == nil
                ? plainOut : memory(output.blocked, Scratch.buffer(2, count: max(output.floats, 1)))
            args.append((output.arg, blockedOut))
            if scratchFloats > 0 {
                args.append((DNNL_ARG_SCRATCHPAD, memory(scratchpad, Scratch.buffer(3, count: scratchFloats))))
            }
            DNNLConv.execute(primitive, stream, args)
            if let reorder = output.reorder {
                DNNLConv.execute(reorder, stream, [(DNNL_ARG_FROM, blockedOut), (DNNL_ARG_TO, plainOut)])
            }
            DNNLConv.check(dnnl_stream_wait(stream), "wait")
        }
    }

    /// The three stages of one convolution shape.
    final class Plan: @unchecked Sendable {
        /// y = conv(x, w) (+ b): inputs x, w (, b), output y.
        let forward: Stage
        /// dx = conv_transpose(dy, w): inputs dy, w, output dx (dense plans only).
        let backwardData: Stage?
        /// dw = Σ dy ⋆ x over the images: inputs x, dy, output dw (dense plans only).
        let backwardWeights: Stage?

        init(_ k: Key) {
            let g = ConvGeometry(channels: k.c, height: k.h, width: k.w, kernelH: k.kh, kernelW: k.kw,
                                 stride: k.stride, padding: k.padding, dilation: k.dilation)
            let source = [k.n, k.c, k.h, k.w]
            // Grouped weights are [groups, O/groups, C/groups, kH, kW] (goihw), the same bytes as PyTorch's OIHW.
            let weights = k.groups == 1 ? [k.o, k.c, k.kh, k.kw] : [k.groups, k.o / k.groups, k.c / k.groups, k.kh, k.kw]
            let destination = [k.n, k.o, g.outHeight, g.outWidth]
            let plainSource = DNNLConv.layout(source, dnnl_nchw)
            let plainWeights = DNNLConv.layout(weights, k.groups == 1 ? dnnl_oihw : dnnl_goihw)
            let plainBias = DNNLConv.layout([k.o], dnnl_x), plainDestination = DNNLConv.layout(destination, dnnl_nchw)
            var anySource = DNNLConv.layout(source, dnnl_format_tag_any)
            var anyWeights = DNNLConv.layout(weights, dnnl_format_tag_any)
            var anyDestination = DNNLConv.layout(destination, dnnl_format_tag_any)
            var bias = plainBias
            // oneDNN counts dilation from 0 (no gaps), PyTorch from 1.
            let strides: [Int64] = [Int64(k.stride), Int64(k.stride)]
            let dilates: [Int64] = [Int64(k.dilation - 1), Int64(k.dilation - 1)]
            let padding: [Int64] = [Int64(k.padding), Int64(k.padding)]
            func describe(_ body: (UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>) -> dnnl_status_t) {
                let status = strides.withUnsafeBufferPointer { s in
                    dilates.withUnsafeBufferPointer { d in padding.withUnsafeBufferPointer { p in body(s.baseAddress!, d.baseAddress!, p.baseAddress!) } }
                }
                DNNLConv.check(status, "convolution \(k)")
            }
            var forwardDescription = dnnl_convolution_desc_t()
            describe { s, d, p in
                withUnsafePointer(to: &bias) { b in
                    dnnl_dilated_convolution_forward_desc_init(
                        &forwardDescription, dnnl_forward_training, dnnl_convolution_direct, &anySource, &anyWeights,
                        k.bias ? b : nil, &anyDestination, s, d, p, p)
                }
            }
            let forwardPD = DNNLConv.primitiveDescriptor(&forwardDescription, hint: nil)
            defer { dnnl_primitive_desc_destroy(forwardPD) }
            // The bias is the second weights argument (query index 1).
            var forwardInputs = [(DNNL_ARG_SRC, plainSource, dnnl_query_src_md, Int32(0)),
                                 (DNNL_ARG_WEIGHTS, plainWeights, dnnl_query_weights_md, Int32(0))]
            if k.bias { forwardInputs.append((DNNL_ARG_BIAS, plainBias, dnnl_query_weights_md, 1)) }
            forward = Stage(forwardPD!, inputs: forwardInputs, output: (DNNL_ARG_DST, plainDestination, dnnl_query_dst_md, 0))
            guard k.groups == 1 else {
                (backwardData, backwardWeights) = (nil, nil)
                return
            }
            var dataDescription = dnnl_convolution_desc_t(), weightsDescription = dnnl_convolution_desc_t()
            describe { s, d, p in
                dnnl_dilated_convolution_backward_data_desc_init(
                    &dataDescription, dnnl_convolution_direct, &anySource, &anyWeights, &anyDestination, s, d, p, p)
            }
            describe { s, d, p in
                dnnl_dilated_convolution_backward_weights_desc_init(
                    &weightsDescription, dnnl_convolution_direct, &anySource, &anyWeights, nil, &anyDestination, s, d, p, p)
            }
            let dataPD = DNNLConv.primitiveDescriptor(&dataDescription, hint: forwardPD)
            defer { dnnl_primitive_desc_destroy(dataPD) }
            let weightsPD = DNNLConv.primitiveDescriptor(&weightsDescription, hint: forwardPD)
            defer { dnnl_primitive_desc_destroy(weightsPD) }
            backwardData = Stage(dataPD!, inputs: [(DNNL_ARG_DIFF_DST, plainDestination, dnnl_query_diff_dst_md, 0),
                                                  (DNNL_ARG_WEIGHTS, plainWeights, dnnl_query_weights_md, 0)],
                                 output: (DNNL_ARG_DIFF_SRC, plainSource, dnnl_query_diff_src_md, 0))
            backwardWeights = Stage(weightsPD!, inputs: [(DNNL_ARG_SRC, plainSource, dnnl_query_src_md, 0),
                                                        (DNNL_ARG_DIFF_DST, plainDestination, dnnl_query_diff_dst_md, 0)],
                                    output: (DNNL_ARG_DIFF_WEIGHTS, plainWeights, dnnl_query_diff_weights_md, 0))
        }
    }

    /// The CPU engine, shared by every thread.
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine")
        return engine!
    }()

    private static let plans = Mutex<[Key: Plan]>([:])

    /// Attributes asking for a caller-supplied scratchpad (a library-managed one is not safe for
    /// concurrent execution of one primitive).
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

    /// oneDNN's version, e.g. "2.6.3 (OpenMP)".
    public static var version: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        let runtime = v.cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : v.cpu_runtime == DNNL_RUNTIME_SEQ ? "sequential" : "threads"
        return "\(v.major).\(v.minor).\(v.patch) (\(runtime))"
    }

    // MARK: - Plumbing

    static func check(_ status: dnnl_status_t, _ what: String) {
        if status != dnnl_success { fatalError("oneDNN: \(what) failed with status \(status.rawValue)") }
    }

    /// A Float32 tensor of `shape` in layout `tag`.
    static func layout(_ shape: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let dims = shape.map(Int64.init)
        let status = dims.withUnsafeBufferPointer {
            dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), $0.baseAddress, dnnl_f32, tag)
        }
        check(status, "layout \(shape)")
        return descriptor
    }

    static func primitiveDescriptor(_ description: UnsafeMutablePointer<dnnl_convolution_desc_t>,
                                    hint: dnnl_primitive_desc_t?) -> dnnl_primitive_desc_t? {
        var descriptor: dnnl_primitive_desc_t?
        check(dnnl_primitive_desc_create(&descriptor, description, userScratchpad, engine, hint), "convolution")
        return descriptor
    }

    static func reorder(_ from: UnsafeMutablePointer<dnnl_memory_desc_t>, _ to: UnsafeMutablePointer<dnnl_memory_desc_t>) -> dnnl_primitive_t {
        var descriptor: dnnl_primitive_desc_t?
        check(dnnl_reorder_primitive_desc_create(&descriptor, from, engine, to, engine, nil), "reorder")
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var scratch = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0).pointee
        check(dnnl_memory_desc_get_size(&scratch) == 0 ? dnnl_success : dnnl_unimplemented, "reorder without scratchpad")
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, descriptor), "reorder")
        return primitive!
    }

    /// A memory object over `data` in layout `descriptor` (a local copy: stages are shared
    /// between threads, so their layouts are never passed inout).
    static func memory(_ descriptor: dnnl_memory_desc_t, _ data: UnsafePointer<Float>) -> dnnl_memory_t {
        var layout = descriptor
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, &layout, engine, UnsafeMutableRawPointer(mutating: data)), "memory")
        return memory!
    }

    static func execute(_ primitive: dnnl_primitive_t, _ stream: dnnl_stream_t, _ args: [(Int32, dnnl_memory_t)]) {
        let list = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
        list.withUnsafeBufferPointer { check(dnnl_primitive_execute(primitive, stream, Int32($0.count), $0.baseAddress), "execute") }
    }

    /// This thread's stream; the first call also limits OpenMP to this thread, so oneDNN never
    /// starts threads of its own beside the engine's pool (and primitives built here are built
    /// for one thread).
    static func stream() -> dnnl_stream_t {
        if let raw = pthread_getspecific(streamKey) { return OpaquePointer(raw) }
        ompSetNumThreads?(1)
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream")
        pthread_setspecific(streamKey, UnsafeRawPointer(stream!))
        return stream!
    }

    private static let streamKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in if let raw { dnnl_stream_destroy(OpaquePointer(raw)) } }
        return key
    }()

    /// libgomp's omp_set_num_threads, found at run time (oneDNN links libgomp; its header is not
    /// on Swift's include path).
    private static let ompSetNumThreads: (@convention(c) (Int32) -> Void)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)
    }()
}
