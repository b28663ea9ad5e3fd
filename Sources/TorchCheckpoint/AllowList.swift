/// A pickle global this reader accepts, resolved from its module and name; anything else is refused.
/// Why two lists: tensors need a handful of torch functions (as torch.load(weights_only=True)
/// allows); YOLOv5's checkpoints also pickle their module tree, whose classes become inert records.
package enum Global: Equatable, Sendable {
    case orderedDict
    // torch/_utils.py: the functions Tensor.__reduce_ex__ and Parameter.__reduce_ex__ name.
    case rebuildTensorV2
    case rebuildTensor
    case rebuildParameter
    case rebuildParameterWithState
    // torch/_tensor.py: wraps a rebuild for tensors that carry a __dict__ or are a subclass.
    case rebuildFromTypeV2
    /// `torch.FloatStorage` and friends: the storage type in a persistent id.
    case storageType(StorageDType, String)
    /// `torch.float16` and friends: inert values.
    case dtype(String)
    /// `torch.Tensor`, `torch.nn.parameter.Parameter`: the type argument of `_rebuild_from_type_v2`.
    case tensorType(String)
    case torchSize
    case torchDevice
    /// `builtins.set` / `frozenset`: module attributes such as `_non_persistent_buffers_set`.
    case set
    /// `_codecs.encode(text, "latin1")`: how protocol 2 pickles bytes.
    case codecsEncode
    /// A module class from the second list: NEWOBJ makes an inert record of it.
    case moduleClass(String)
    /// numpy's reconstructors and pathlib's paths: YOLOv5's train.py stores `best_fitness` as an array.
    case metadataClass(String)

    package var name: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildTensor: return "torch._utils._rebuild_tensor"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case .storageType(_, let name): return "torch.\(name)"
        case .dtype(let name): return "torch.\(name)"
        case .tensorType(let name): return name
        case .torchSize: return "torch.Size"
        case .torchDevice: return "torch.device"
        case .set: return "builtins.set"
        case .codecsEncode: return "_codecs.encode"
        case .moduleClass(let name), .metadataClass(let name): return name
        }
    }
}

package enum AllowList {
    /// The global for `module.name`, or nil when it is on neither list.
    package static func resolve(module rawModule: String, name: String) -> Global? {
        // Lib/_compat_pickle.py: protocol 2 writes Python 3's builtins under Python 2's names.
        let module = rawModule == "__builtin__" ? "builtins" : rawModule
        let full = module + "." + name
        if let g = tensorGlobals[full] { return g }
        if module == "torch", let dtype = storageTypes[name] { return .storageType(dtype, name) }
        if module == "torch", dtypeNames.contains(name) { return .dtype(name) }
        if moduleClasses.contains(full) { return .moduleClass(full) }
        if metadataClasses.contains(full) { return .metadataClass(full) }
        return nil
    }

    /// torch/_weights_only_unpickler.py `_get_allowed_globals`, the part a state dict needs.
    static let tensorGlobals: [String: Global] = [
        "collections.OrderedDict": .orderedDict,
        "torch._utils._rebuild_tensor_v2": .rebuildTensorV2,
        "torch._utils._rebuild_tensor": .rebuildTensor,
        "torch._utils._rebuild_parameter": .rebuildParameter,
        "torch._utils._rebuild_parameter_with_state": .rebuildParameterWithState,
        "torch._tensor._rebuild_from_type_v2": .rebuildFromTypeV2,
        "torch.Tensor": .tensorType("torch.Tensor"),
        "torch.nn.parameter.Parameter": .tensorType("torch.nn.parameter.Parameter"),
        "torch.Size": .torchSize,
        "torch.device": .torchDevice,
        "builtins.set": .set,
        "builtins.frozenset": .set,
        "_codecs.encode": .codecsEncode,
    ]

    /// torch/storage.py `_dtype_to_storage_type_map`, the real-valued ones; UntypedStorage holds bytes.
    static let storageTypes: [String: StorageDType] = [
        "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "DoubleStorage": .float64, "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16,
        "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool, "UntypedStorage": .uint8,
    ]

    static let dtypeNames: Set<String> = [
        "float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64", "long",
        "int32", "int", "int16", "short", "int8", "uint8", "bool",
    ]

    /// The module classes a YOLOv5 v7.0 checkpoint pickles (models/yolo.py, models/common.py; under
    /// `yolov5.models.…` when trained with the PyPI package yolov5==7.0.x) and the torch.nn classes
    /// they are built from; each becomes an inert record, nothing is constructed.
    static let moduleClasses: Set<String> = {
        var names: Set<String> = []
        for n in [
            "DetectionModel", "Model", "BaseModel", "Detect", "Segment", "SegmentationModel",
            "ClassificationModel",
        ] {
            names.insert("models.yolo.\(n)")
            names.insert("yolov5.models.yolo.\(n)")
        }
        for n in [
            "Conv", "DWConv", "DWConvTranspose2d", "Bottleneck", "BottleneckCSP", "CrossConv", "C3", "C3x",
            "C3TR", "C3SPP", "C3Ghost", "SPP", "SPPF", "Focus", "GhostConv", "GhostBottleneck", "Contract",
            "Expand", "Concat", "Proto", "Classify", "TransformerLayer", "TransformerBlock",
        ] {
            names.insert("models.common.\(n)")
            names.insert("yolov5.models.common.\(n)")
        }
        let nn: [String: [String]] = [
            "conv": ["Conv1d", "Conv2d", "ConvTranspose2d"],
            "batchnorm": ["BatchNorm1d", "BatchNorm2d", "SyncBatchNorm"],
            "activation": [
                "SiLU", "ReLU", "ReLU6", "LeakyReLU", "Hardswish", "Hardsigmoid", "Sigmoid", "Tanh",
                "GELU",
            ],
            "pooling": ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d"],
            "upsampling": ["Upsample"],
            "container": ["Sequential", "ModuleList", "ModuleDict"],
            "linear": ["Linear", "Identity"],
            "dropout": ["Dropout"],
            "flatten": ["Flatten"],
        ]
        for (file, classes) in nn {
            for c in classes { names.insert("torch.nn.modules.\(file).\(c)") }
        }
        return names
    }()

    /// numpy's reconstructors (numpy 1 `core`, numpy 2 `_core`) and pathlib's paths: metadata beside the
    /// weights (YOLOv5's `best_fitness` array, paths in a training script's options), kept as inert records.
    static let metadataClasses: Set<String> = [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.ndarray", "numpy.dtype",
        "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
        "pathlib._local.PosixPath", "pathlib._local.WindowsPath",  // Python ≥ 3.13
    ]
}
