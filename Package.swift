// swift-tools-version:6.0
import PackageDescription

/// studyctl: train and compare YOLOv5n-style detectors with lightweight backbones on the CPU.
/// Module layout and data flow: README.md, "Repository layout".
/// The kernels are built for x86-64 with AVX2 and FMA (Haswell and later, every Zen): the SIMD16
/// code paths lower to real vector instructions only when the target CPU has them.
let cpu = SwiftSetting.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))
let release: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
    cpu,
]

let package = Package(
    name: "studyctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "studyctl", targets: ["studyctl"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The generated Sources/Export/ONNX/onnx.pb.swift was made with this version's protoc-gen-swift.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        // TorchCheckpoint reads torch.save's zip format with it (entries read into memory, never extracted).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CPango", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),

        .target(name: "Engine", dependencies: ["CBLAS", "CDNNL"], swiftSettings: release),
        .target(name: "Zoo", dependencies: ["Engine"]),
        // Detection keeps Swift's checks (array bounds, overflow, `require`): its work is data
        // loading, the loss and metrics, where a wrong index must stop, not corrupt memory; its speed
        // cost was measured as noise (docs/engine.md, "Build flags").
        .target(
            name: "Detection",
            dependencies: ["Engine", "Zoo", "CTurboJPEG", "CPNG", "CCairo", .product(name: "Yams", package: "Yams")],
            swiftSettings: [cpu]
        ),
        .target(
            name: "Training",
            dependencies: ["Engine", "Zoo", "Detection", "Results", "TorchCheckpoint", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "Results"),
        .target(
            name: "Study",
            dependencies: ["Engine", "Zoo", "Detection", "Training", "Results", "Export", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "Export", dependencies: ["Engine", "Zoo", "Results", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "Charts"),
        // TorchCheckpoint parses untrusted .pt files: Swift's checks stay on in every configuration.
        .target(name: "TorchCheckpoint", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "Report", dependencies: ["Results", "Charts", "CCairo", "CPango"]),
        .executableTarget(
            name: "studyctl",
            dependencies: [
                "Engine", "Zoo", "Detection", "Training", "Study", "Results", "Charts", "Report", "Export",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "EngineTests", dependencies: ["Engine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ZooTests", dependencies: ["Zoo", "Engine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "Results", "Engine"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Detection", "Engine", "Zoo"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Results", "Charts"]),
        .testTarget(name: "StudyctlTests", dependencies: ["studyctl", "Detection", "Results", "Export"]),
        .testTarget(name: "TorchCheckpointTests", dependencies: ["TorchCheckpoint"], resources: [.copy("Fixtures")]),
    ]
)
