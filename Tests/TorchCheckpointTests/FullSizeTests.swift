import Foundation
import Testing

import TorchCheckpoint

/// Full-size checkpoints of every reference model (bench/torch_fixtures.py --full DIR), when
/// TORCH_CHECKPOINT_FULL=DIR is set: too large to commit, so off in CI.
@Suite struct FullSizeTests {
    static let folder = ProcessInfo.processInfo.environment["TORCH_CHECKPOINT_FULL"]

    @Test(.enabled(if: folder != nil, "set TORCH_CHECKPOINT_FULL to a folder written by torch_fixtures.py --full"))
    func everyReferenceCheckpointEqualsTorchsReading() throws {
        let folder = try #require(Self.folder)
        struct Root: Decodable { let files: [String: ExpectedFile] }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        let files = try JSONDecoder().decode(Root.self, from: data).files
        #expect(!files.isEmpty)
        for (file, expected) in files.sorted(by: { $0.key < $1.key }) {
            let checkpoint = try TorchCheckpoint.read(contentsOf: folder + "/" + file)
            #expect(Fixtures.spelled(checkpoint.layout) == expected.layout, "\(file)")
            Fixtures.compare(checkpoint.tensors, try #require(expected.tensors), file: file)
        }
    }
}
