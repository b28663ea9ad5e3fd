import Foundation
import Testing

import TorchCheckpoint

/// Tensors found where checkpoints keep them, named as `state_dict()` names them.
@Suite struct LayoutTests {
    @Test func wrappedStateDictIsFoundUnderItsKey() throws {
        let wrapped = try Fixtures.read("wrapped_zip.pt")
        let plain = try Fixtures.read("tiny_zip.pt")
        #expect(wrapped.layout == .wrappedStateDict(key: "state_dict"))
        #expect(wrapped.topLevelKeys == ["state_dict", "epoch", "arch"])
        #expect(wrapped.tensorKeys == ["state_dict"])
        #expect(wrapped.tensors.map(\.name) == plain.tensors.map(\.name))
        #expect(wrapped.tensors.map(\.tensor) == plain.tensors.map(\.tensor))
        #expect(plain.layout == .stateDict)
        #expect(
            plain.tensors.map(\.name) == [
                "conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
                "fc.weight", "fc.bias",
            ])
    }

    @Test func yolov5CheckpointGivesTheStateDictNamesOfItsModel() throws {
        let file = "yolov5_tiny_zip.pt"
        let expected = try #require(Fixtures.expected[file])
        let c = try Fixtures.read(file)
        #expect(c.layout == .moduleTree(key: "model", className: "models.yolo.DetectionModel"))
        #expect(
            c.topLevelKeys == ["epoch", "best_fitness", "model", "ema", "updates", "optimizer", "opt", "git", "date"])
        #expect(c.tensorKeys == ["model", "ema"])
        #expect(c.tensors.first?.name == "model.0.conv.weight")
        #expect(c.tensors.last?.name == "model.9.m.1.bias")
        #expect(c.tensors.map(\.name) == expected.tensors?.map(\.name))
        #expect(c["model.0.conv.weight"]?.dtype == "float16")  // train.py saves the model in half precision
        #expect(c["model.0.conv.weight"]?.isParameter == true)
        #expect(c["model.0.bn.num_batches_tracked"]?.dtype == "int64")
        // Model() runs one forward pass in training mode to find the strides, the fixture one more
        #expect(c["model.0.bn.num_batches_tracked"]?.values == [2])
        // Detect's anchors are a buffer; its stride and grids are plain attributes, not in state_dict
        #expect(c["model.9.anchors"]?.shape == [2, 3, 2])
        #expect(c["model.9.anchors"]?.isParameter == false)

        let ema = try Fixtures.read(file, key: "ema")
        #expect(ema.layout == .moduleTree(key: "ema", className: "models.yolo.DetectionModel"))
        Fixtures.compare(ema.tensors, try #require(expected.ema), file: file + " ema")
    }

    @Test func yolov5CheckpointNeedsOnlyTheAllowedGlobals() throws {
        // What torch.save emits for YOLOv5 v7.0's train.py checkpoint, as pickletools saw it.
        let globals = try #require(Fixtures.expected["yolov5_tiny_zip.pt"]?.globals)
        #expect(globals.contains("models.yolo.DetectionModel"))
        for g in globals {
            let dot = try #require(g.lastIndex(of: "."))
            #expect(
                AllowList.resolve(module: String(g[..<dot]), name: String(g[g.index(after: dot)...])) != nil, "\(g)")
        }
    }

    @Test(arguments: ["sequential_zip.pt", "sequential_legacy.pt"])
    func wholeModuleAtTheTopLevel(file: String) throws {
        let c = try Fixtures.read(file)
        #expect(c.layout == .moduleTree(key: nil, className: "torch.nn.modules.container.Sequential"))
        #expect(
            c.tensors.map(\.name) == [
                "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            ])
        #expect(c.topLevelKeys.isEmpty)
    }

    @Test func anAbsentKeyIsNamedWithTheKeysThereAre() throws {
        let error = try #require(throws: TorchCheckpointError.self) { try Fixtures.read("wrapped_zip.pt", key: "ema") }
        #expect(error.message.contains("no key \"ema\""))
        #expect(error.message.contains("state_dict, epoch, arch"))
    }
}
