import Testing
import Training

/// The learning rate per epoch against what yolov5 v7.0 train.py logged, warm-up and the LambdaLR offset included.
struct LRScheduleTests {
    // x/lr0 (biases) and x/lr1 (weights) of results.csv from `bench/yolov5_train.sh`: yolov5 7.0.14, 872 images,
    // batch 16 (55 batches per epoch, warm-up 165 iterations), 30 epochs, hyp.scratch-low (lr0 0.01, lrf 0.01).
    static let torchBias = [0.070545, 0.040327, 0.0098895, 0.00901]
    static let torchWeights = [0.0032727, 0.0063881, 0.0092834, 0.00901, 0.00901, 0.00868, 0.00835, 0.00802, 0.00769, 0.00736,
                               0.00703, 0.0067, 0.00637, 0.00604, 0.00571, 0.00538, 0.00505, 0.00472, 0.00439, 0.00406,
                               0.00373, 0.0034, 0.00307, 0.00274, 0.00241, 0.00208, 0.00175, 0.00142, 0.00109, 0.00076]

    /// The rate after an epoch's last batch, which is what train.py logs.
    func logged(_ group: Int, _ epoch: Int) -> Double {
        LRSchedule(epochs: 30, lrf: 0.01, cosine: false)
            .learningRate(group: group, iteration: 55 * epoch + 54, epoch: epoch, batchesPerEpoch: 55, warmupIterations: 165,
                          lr0: 0.01, warmupBiasLR: 0.1)
    }

    @Test func matchesTheRatesYOLOv5Logged() {
        for (epoch, expected) in Self.torchWeights.enumerated() {
            #expect(abs(logged(1, epoch) - expected) <= 5e-5 * expected, "epoch \(epoch): \(logged(1, epoch)) vs \(expected)")
        }
        for (epoch, expected) in Self.torchBias.enumerated() {
            #expect(abs(logged(0, epoch) - expected) <= 5e-5 * expected, "bias, epoch \(epoch): \(logged(0, epoch)) vs \(expected)")
        }
    }

    @Test func theEpochWhereWarmUpEndsKeepsItsOwnFactor() {
        let schedule = LRSchedule(epochs: 10, lrf: 0.1, cosine: false)
        // 40 batches per epoch, warm-up 100 iterations: it ends at iteration 100, inside epoch 2.
        let afterWarmUp = schedule.learningRate(group: 1, iteration: 101, epoch: 2, batchesPerEpoch: 40, warmupIterations: 100, lr0: 1, warmupBiasLR: 0.1)
        let nextEpoch = schedule.learningRate(group: 1, iteration: 120, epoch: 3, batchesPerEpoch: 40, warmupIterations: 100, lr0: 1, warmupBiasLR: 0.1)
        #expect(abs(afterWarmUp - schedule.factor(2)) < 1e-12 && abs(nextEpoch - schedule.factor(2)) < 1e-12)
        #expect(abs(schedule.factor(2) - 0.82) < 1e-12)
    }
}
