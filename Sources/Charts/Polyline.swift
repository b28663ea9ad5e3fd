/// Polyline simplification: a 1000-point curve drawn on 200 points of width needs far fewer
/// vertices, which keeps SVG and PDF small and rendering fast.
public enum Polyline {
    /// Ramer–Douglas–Peucker: drops vertices closer than `tolerance` to the simplified line;
    /// the endpoints always stay. Iterative, so long curves do not recurse deeply.
    public static func simplify(_ points: [Point], tolerance: Double) -> [Point] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var worst = 0.0, index = first
            for i in (first + 1)..<last {
                let d = distance(points[i], points[first], points[last])
                if d > worst { (worst, index) = (d, i) }
            }
            if worst > tolerance {
                keep[index] = true
                stack.append((first, index))
                stack.append((index, last))
            }
        }
        return zip(points, keep).compactMap { $1 ? $0 : nil }
    }

    /// Distance from `p` to the segment a–b.
    static func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        let t = length2 == 0 ? 0 : max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2))
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }
}
