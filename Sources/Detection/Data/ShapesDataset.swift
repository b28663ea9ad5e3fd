import CCairo
import Engine
import Foundation

/// The built-in dataset `shapes`, drawn with Cairo from a seed in one of two presets.
///
/// `hard` (the default): 8 classes of filled shapes in random colours, rotations and sizes (a few
/// pixels to most of the image), partly occluding each other, on textured and noisy backgrounds with
/// clutter that is not an object (lines, arcs, specks). `easy`: 4 classes (circle, square, triangle,
/// star), 1–3 large shapes that never overlap, on a flat background they stand out from — a set a
/// detector learns in minutes, for showing the workflow. Image i of a split depends only on (seed,
/// preset, split, i), so the same seed gives the same bytes whatever the thread count.
public enum ShapesDataset {
    public static let names = ["circle", "square", "triangle", "star", "ring", "cross", "hexagon", "ellipse"]

    /// How hard the generated images are.
    public enum Preset: String, Sendable, CaseIterable {
        case hard, easy

        /// The class names, in class-id order (the first of `ShapesDataset.names`).
        public var names: [String] { self == .hard ? ShapesDataset.names : Array(ShapesDataset.names.prefix(4)) }
    }

    /// One generated image and its labels.
    public struct Image {
        public var rgb: RGBImage
        public var labels: [YOLOLabel]
    }

    /// Writes `train` and `val` images (PNG) with labels and a data.yaml into `folder`, in the
    /// Ultralytics layout; files are written under temporary names and renamed.
    public static func write(to folder: String, train: Int, val: Int, imageSize: Int, seed: UInt64, preset: Preset = .hard) throws {
        let fm = FileManager.default
        for split in ["train", "val"] {
            try fm.createDirectory(atPath: "\(folder)/images/\(split)", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: "\(folder)/labels/\(split)", withIntermediateDirectories: true)
        }
        let jobs = (0..<train).map { ("train", 0, $0) } + (0..<val).map { ("val", 1, $0) }
        let failures = Loading.map(jobs.map { [$0.1, $0.2] }) { job -> String? in
            let split = job[0] == 0 ? "train" : "val"
            let image = preset == .hard ? make(index: job[1], split: job[0], imageSize: imageSize, seed: seed)
                : makeEasy(index: job[1], split: job[0], imageSize: imageSize, seed: seed)
            let name = String(format: "%06d", job[1])
            do {
                let png = try PNGCodec.encode(image.rgb)
                try writeAtomically(Data(png), to: "\(folder)/images/\(split)/\(name).png")
                let text = image.labels.map {
                    String(format: "%d %.6f %.6f %.6f %.6f", $0.classID, $0.box.cx, $0.box.cy, $0.box.w, $0.box.h)
                }.joined(separator: "\n")
                try writeAtomically(Data((text.isEmpty ? "" : text + "\n").utf8), to: "\(folder)/labels/\(split)/\(name).txt")
                return nil
            } catch {
                return "\(folder)/images/\(split)/\(name).png: \(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw InputProblem(file: folder, "cannot write: \(failure)") }
        let kind = preset == .hard ? "" : ", preset \(preset.rawValue)"
        var yaml = "# studyctl built-in dataset 'shapes' (seed \(seed), \(train) train, \(val) val, \(imageSize) px\(kind))\n"
        yaml += "path: .\ntrain: images/train\nval: images/val\nnames:\n"
        for (i, name) in preset.names.enumerated() { yaml += "  \(i): \(name)\n" }
        try writeAtomically(Data(yaml.utf8), to: "\(folder)/data.yaml")
    }

    /// Writes `data` to `path` through a temporary file in the same folder and a rename.
    ///
    /// Unlike the run files' writers it does not fsync each of thousands of images: a dataset is
    /// made again from its seed, and data.yaml, written last, is what says it is complete.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        try data.write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw InputProblem(file: path, "cannot rename into place: \(String(cString: strerror(errno)))") }
    }

    /// Image `index` of split `split` (0 train, 1 val): at most `imageSize` on its longer side.
    public static func make(index: Int, split: Int, imageSize s: Int, seed: UInt64) -> Image {
        var rng = SampleRandom(seed: seed &+ 0x5348_4150_4553, epoch: split, index: index)
        return render(s, noise: 2...14, &rng) { cr, w, h, rng in
            drawBackground(cr, w, h, &rng)
            var labels: [YOLOLabel] = []
            var boxes: [(Double, Double, Double, Double)] = []
            let objects = 1 + rng.int(below: 8)
            var attempts = 0
            while labels.count < objects && attempts < 40 {
                attempts += 1
                let cls = rng.int(below: names.count)
                // size log-uniform from 5 px to 80 % of the shorter side
                let size = 5 * pow(Double(min(w, h)) * 0.8 / 5, rng.random())
                let cx = rng.uniform(-0.1, 1.1) * Double(w), cy = rng.uniform(-0.1, 1.1) * Double(h)
                let angle = rng.uniform(0, 2 * Double.pi)
                let aspect = rng.uniform(0.35, 0.7)
                let outline = shapeOutline(cls, cx: cx, cy: cy, size: size, angle: angle, aspect: aspect)
                let full = bounds(outline)
                let box = (max(full.0, 0), max(full.1, 0), min(full.2, Double(w)), min(full.3, Double(h)))
                let visible = (box.2 - box.0) * (box.3 - box.1), area = (full.2 - full.0) * (full.3 - full.1)
                guard box.2 - box.0 >= 3, box.3 - box.1 >= 3, visible >= 0.5 * area else { continue }
                // a new shape may hide part of an earlier one, never most of it
                let hidesTooMuch = boxes.contains { b in
                    let iw = min(b.2, box.2) - max(b.0, box.0), ih = min(b.3, box.3) - max(b.1, box.1)
                    return iw > 0 && ih > 0 && iw * ih > 0.45 * (b.2 - b.0) * (b.3 - b.1)
                }
                guard !hidesTooMuch else { continue }
                setRandomColour(cr, &rng, alpha: 1)
                fill(cr, outline, evenOdd: cls == 4)
                if rng.random() < 0.3 {
                    setRandomColour(cr, &rng, alpha: 1)
                    cairo_set_line_width(cr, max(1, size * 0.06))
                    stroke(cr, outline)
                }
                boxes.append(box)
                labels.append(label(cls, box, w, h))
            }
            drawClutter(cr, w, h, &rng)
            return labels
        }
    }

    /// An image of `s` px on its longer side (the shorter 75–100 % of it, either way round),
    /// drawn by `draw` on a Cairo canvas, which returns the labels; then uniform pixel noise of an
    /// amplitude drawn from `noise`. The draws come from `rng` in that order.
    static func render(_ s: Int, noise: ClosedRange<Double>, _ rng: inout SampleRandom,
                       draw: (OpaquePointer, Int, Int, inout SampleRandom) -> [YOLOLabel]) -> Image {
        let long = s, short = Int(Double(s) * rng.uniform(0.75, 1.0)) / 2 * 2
        let (w, h) = rng.random() < 0.5 ? (long, short) : (short, long)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY)
        let labels = draw(cr, w, h, &rng)
        cairo_surface_flush(surface)
        let rgb = pixels(surface, w, h, noise: rng.uniform(noise.lowerBound, noise.upperBound), &rng)
        return Image(rgb: rgb, labels: labels)
    }

    /// The label of a shape of class `cls` whose box (x1, y1, x2, y2) lies in a `w` × `h` image.
    static func label(_ cls: Int, _ box: (Double, Double, Double, Double), _ w: Int, _ h: Int) -> YOLOLabel {
        YOLOLabel(classID: cls, box: NormalizedBox(cx: (box.0 + box.2) / 2 / Double(w), cy: (box.1 + box.3) / 2 / Double(h),
                                                   w: (box.2 - box.0) / Double(w), h: (box.3 - box.1) / Double(h)))
    }

    /// Image `index` of split `split` in the easy preset: 1–3 shapes of 30–65 % of the shorter
    /// side, wholly inside the image and apart from each other, in colours far from the flat
    /// background's, with light noise and nothing else.
    public static func makeEasy(index: Int, split: Int, imageSize s: Int, seed: UInt64) -> Image {
        var rng = SampleRandom(seed: seed &+ 0x4541_5359, epoch: split, index: index)
        return render(s, noise: 2...6, &rng) { cr, w, h, rng in
            let background = (rng.random(), rng.random(), rng.random())
            cairo_set_source_rgb(cr, background.0, background.1, background.2)
            cairo_paint(cr)
            var labels: [YOLOLabel] = []
            var boxes: [(Double, Double, Double, Double)] = []
            let objects = 1 + rng.int(below: 3)
            var attempts = 0
            while labels.count < objects && attempts < 40 {
                attempts += 1
                let cls = rng.int(below: Preset.easy.names.count)
                let size = Double(min(w, h)) * rng.uniform(0.3, 0.65)
                let cx = rng.uniform(0, Double(w)), cy = rng.uniform(0, Double(h))
                let outline = shapeOutline(cls, cx: cx, cy: cy, size: size, angle: rng.uniform(0, 2 * Double.pi), aspect: 1)
                let box = bounds(outline)
                guard box.0 >= 0, box.1 >= 0, box.2 <= Double(w), box.3 <= Double(h) else { continue }
                let touches = boxes.contains { b in min(b.2, box.2) > max(b.0, box.0) && min(b.3, box.3) > max(b.1, box.1) }
                guard !touches else { continue }
                var colour = (rng.random(), rng.random(), rng.random())
                // far from the background: at least 0.35 apart in the largest channel difference
                while max(abs(colour.0 - background.0), abs(colour.1 - background.1), abs(colour.2 - background.2)) < 0.35 {
                    colour = (rng.random(), rng.random(), rng.random())
                }
                cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
                fill(cr, outline, evenOdd: false)
                boxes.append(box)
                labels.append(label(cls, box, w, h))
            }
            return labels
        }
    }

    /// A shape's outline as closed polygons (circles and ellipses as 64-gons), rotated about its centre.
    static func shapeOutline(_ cls: Int, cx: Double, cy: Double, size: Double, angle: Double, aspect: Double) -> [[(Double, Double)]] {
        let r = size / 2
        func polygon(_ radii: [Double], start: Double = 0, sx: Double = 1, sy: Double = 1) -> [(Double, Double)] {
            radii.enumerated().map { k, rad in
                let t = start + 2 * Double.pi * Double(k) / Double(radii.count)
                let x = rad * Foundation.cos(t) * sx, y = rad * Foundation.sin(t) * sy
                return (cx + x * Foundation.cos(angle) - y * Foundation.sin(angle), cy + x * Foundation.sin(angle) + y * Foundation.cos(angle))
            }
        }
        switch cls {
        case 0: return [polygon(Array(repeating: r, count: 64))]
        case 1: return [polygon(Array(repeating: r, count: 4), start: Double.pi / 4)]
        case 2: return [polygon(Array(repeating: r, count: 3), start: -Double.pi / 2)]
        case 3: return [polygon((0..<10).map { $0 % 2 == 0 ? r : r * 0.42 }, start: -Double.pi / 2)]
        case 4: return [polygon(Array(repeating: r, count: 64)), polygon(Array(repeating: r * 0.55, count: 64))]
        case 5:
            let a = r, b = r * 0.32
            let pts: [(Double, Double)] = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b)]
            return [pts.map { p in (cx + p.0 * Foundation.cos(angle) - p.1 * Foundation.sin(angle), cy + p.0 * Foundation.sin(angle) + p.1 * Foundation.cos(angle)) }]
        case 6: return [polygon(Array(repeating: r, count: 6))]
        default: return [polygon(Array(repeating: r, count: 64), sy: aspect)]
        }
    }

    static func bounds(_ outline: [[(Double, Double)]]) -> (Double, Double, Double, Double) {
        let points = outline.flatMap { $0 }
        return (points.map(\.0).min()!, points.map(\.1).min()!, points.map(\.0).max()!, points.map(\.1).max()!)
    }

    static func trace(_ cr: OpaquePointer, _ outline: [[(Double, Double)]]) {
        for ring in outline {
            cairo_move_to(cr, ring[0].0, ring[0].1)
            for p in ring.dropFirst() { cairo_line_to(cr, p.0, p.1) }
            cairo_close_path(cr)
        }
    }

    static func fill(_ cr: OpaquePointer, _ outline: [[(Double, Double)]], evenOdd: Bool) {
        cairo_set_fill_rule(cr, evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
        trace(cr, outline)
        cairo_fill(cr)
    }

    static func stroke(_ cr: OpaquePointer, _ outline: [[(Double, Double)]]) {
        trace(cr, outline)
        cairo_stroke(cr)
    }

    static func setRandomColour(_ cr: OpaquePointer, _ rng: inout SampleRandom, alpha: Double) {
        cairo_set_source_rgba(cr, rng.random(), rng.random(), rng.random(), alpha)
    }

    /// A two-colour gradient under stripes or blotches of texture.
    static func drawBackground(_ cr: OpaquePointer, _ w: Int, _ h: Int, _ rng: inout SampleRandom) {
        let gradient = cairo_pattern_create_linear(0, 0, rng.uniform(0, Double(w)), Double(h))!
        cairo_pattern_add_color_stop_rgb(gradient, 0, rng.random(), rng.random(), rng.random())
        cairo_pattern_add_color_stop_rgb(gradient, 1, rng.random(), rng.random(), rng.random())
        cairo_set_source(cr, gradient)
        cairo_paint(cr)
        cairo_pattern_destroy(gradient)
        let textures = rng.int(below: 40)
        for _ in 0..<textures {
            setRandomColour(cr, &rng, alpha: rng.uniform(0.05, 0.3))
            if rng.random() < 0.5 {
                cairo_rectangle(cr, rng.uniform(0, Double(w)), rng.uniform(0, Double(h)), rng.uniform(2, Double(w) / 2), rng.uniform(1, 6))
            } else {
                cairo_arc(cr, rng.uniform(0, Double(w)), rng.uniform(0, Double(h)), rng.uniform(2, Double(w) / 4), 0, 2 * Double.pi)
            }
            cairo_fill(cr)
        }
    }

    /// Things that are not objects: lines, open arcs (half rings), scribbles and specks.
    static func drawClutter(_ cr: OpaquePointer, _ w: Int, _ h: Int, _ rng: inout SampleRandom) {
        let count = rng.int(below: 10)
        for _ in 0..<count {
            setRandomColour(cr, &rng, alpha: rng.uniform(0.5, 1))
            cairo_set_line_width(cr, rng.uniform(0.8, 3))
            let x = rng.uniform(0, Double(w)), y = rng.uniform(0, Double(h))
            switch rng.int(below: 4) {
            case 0:
                cairo_move_to(cr, x, y)
                cairo_line_to(cr, rng.uniform(0, Double(w)), rng.uniform(0, Double(h)))
                cairo_stroke(cr)
            case 1:
                let start = rng.uniform(0, 2 * Double.pi)
                cairo_arc(cr, x, y, rng.uniform(3, Double(min(w, h)) / 4), start, start + rng.uniform(0.5, 3.5))
                cairo_stroke(cr)
            case 2:
                cairo_move_to(cr, x, y)
                for _ in 0..<4 { cairo_rel_line_to(cr, rng.uniform(-12, 12), rng.uniform(-12, 12)) }
                cairo_stroke(cr)
            default:
                cairo_arc(cr, x, y, rng.uniform(0.8, 2.5), 0, 2 * Double.pi)
                cairo_fill(cr)
            }
        }
    }

    /// The surface's pixels as RGB with uniform noise of ± `noise` grey levels.
    static func pixels(_ surface: OpaquePointer, _ w: Int, _ h: Int, noise: Double, _ rng: inout SampleRandom) -> RGBImage {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            let row = (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for x in 0..<w {
                let p = row[x]
                let rgb = [Int((p >> 16) & 255), Int((p >> 8) & 255), Int(p & 255)]
                for c in 0..<3 {
                    let v = Double(rgb[c]) + (rng.random() * 2 - 1) * noise
                    out[(y * w + x) * 3 + c] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}
