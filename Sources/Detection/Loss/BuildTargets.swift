/// The predictions each target is assigned to at one detection level, and what they regress to.
///
/// Entries are in YOLOv5's order (neighbour offset, then anchor, then target), which decides
/// which IoU wins when two targets land on the same prediction.
public struct LevelTargets: Sendable, Equatable {
    /// Image in the batch, anchor, grid row and column of each assigned prediction.
    public var image: [Int] = [], anchor: [Int] = [], gridY: [Int] = [], gridX: [Int] = []
    /// The target box in grid units relative to its cell: x − i, y − j, w, h (4 per entry).
    public var box: [Float] = []
    /// The assigned anchor's width and height in grid units (2 per entry).
    public var anchorWH: [Float] = []
    /// The target's class.
    public var classID: [Int] = []

    public var count: Int { image.count }
}

/// YOLOv5's target assignment: each target goes to every anchor whose width and height ratios are
/// within `anchorT`, in its own cell and in the one or two neighbouring cells whose centre lies
/// within half a cell (g = 0.5).
///
/// - anchors: per level [w, h] × 3 in grid units (Detect's anchors / stride).
/// - grids: per level (height, width) of the prediction grid.
// yolov5 v7.0 utils/loss.py ComputeLoss.build_targets (arithmetic in Float32, as torch does)
public func buildTargets(
    _ targets: [TargetBox], anchors: [[Float]], grids: [(h: Int, w: Int)], anchorT: Float
) -> [LevelTargets] {
    let na = 3
    let g: Float = 0.5
    let offsets: [(Float, Float)] = [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)]
    var levels: [LevelTargets] = []
    for (level, grid) in grids.enumerated() {
        let gw = Float(grid.w), gh = Float(grid.h)
        // t = targets · gain, kept where max(r, 1/r) < anchor_t for both sides (anchor-major order)
        struct Candidate { var target: Int; var anchor: Int; var x, y, w, h: Float }
        var kept: [Candidate] = []
        for a in 0..<na {
            let aw = anchors[level][2 * a], ah = anchors[level][2 * a + 1]
            for (k, t) in targets.enumerated() {
                let x = t.cx * gw, y = t.cy * gh, w = t.w * gw, h = t.h * gh
                let rw = w / aw, rh = h / ah
                let worst = Swift.max(Swift.max(rw, 1 / rw), Swift.max(rh, 1 / rh))
                if worst < anchorT { kept.append(Candidate(target: k, anchor: a, x: x, y: y, w: w, h: h)) }
            }
        }
        var out = LevelTargets()
        for (o, offset) in offsets.enumerated() {
            for c in kept {
                let xi = gw - c.x, yi = gh - c.y
                let use: Bool
                switch o {
                case 0: use = true
                case 1: use = c.x.truncatingRemainder(dividingBy: 1) < g && c.x > 1
                case 2: use = c.y.truncatingRemainder(dividingBy: 1) < g && c.y > 1
                case 3: use = xi.truncatingRemainder(dividingBy: 1) < g && xi > 1
                default: use = yi.truncatingRemainder(dividingBy: 1) < g && yi > 1
                }
                guard use else { continue }
                // gij = (gxy − offsets).long(), clamped in place to the grid before tbox uses it
                let i = Swift.min(Swift.max(Int(c.x - offset.0 * g), 0), grid.w - 1)
                let j = Swift.min(Swift.max(Int(c.y - offset.1 * g), 0), grid.h - 1)
                out.image.append(targets[c.target].image)
                out.anchor.append(c.anchor)
                out.gridY.append(j)
                out.gridX.append(i)
                out.box += [c.x - Float(i), c.y - Float(j), c.w, c.h]
                out.anchorWH += [anchors[level][2 * c.anchor], anchors[level][2 * c.anchor + 1]]
                out.classID.append(targets[c.target].classID)
            }
        }
        levels.append(out)
    }
    return levels
}
