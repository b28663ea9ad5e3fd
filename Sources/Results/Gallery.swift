/// What a run's best weights detect on its first validation images: the report's gallery.
///
/// Written as `gallery.json` beside the images it names (`gallery/<k>.png`, the validation images
/// at the training size), whenever an epoch is the best so far, so it always matches best weights.
public struct Gallery: Codable, Sendable, Equatable {
    /// The epoch whose EMA weights made the detections (the best so far).
    public var epoch: Int
    /// Detections below this confidence are left out (detect.py's default, 0.25).
    public var confidence: Double
    public var names: [String]
    public var images: [Image]

    public init(epoch: Int, confidence: Double, names: [String], images: [Image]) {
        (self.epoch, self.confidence, self.names, self.images) = (epoch, confidence, names, images)
    }

    /// One validation image with its labels and detections.
    public struct Image: Codable, Sendable, Equatable {
        /// The PNG, relative to the run folder.
        public var file: String
        /// The dataset image it shows: its file name (not its path, so the file is the same bytes
        /// wherever the dataset and the output folder are).
        public var source: String
        public var labels: [Box]
        public var detections: [Box]

        public init(file: String, source: String, labels: [Box], detections: [Box]) {
            (self.file, self.source, self.labels, self.detections) = (file, source, labels, detections)
        }
    }

    /// A box in coordinates normalised to the image (0...1), corners.
    public struct Box: Codable, Sendable, Equatable {
        public var classID: Int
        /// nil for a label.
        public var confidence: Double?
        public var x1: Double, y1: Double, x2: Double, y2: Double

        public init(classID: Int, confidence: Double?, x1: Double, y1: Double, x2: Double, y2: Double) {
            (self.classID, self.confidence, self.x1, self.y1, self.x2, self.y2) = (classID, confidence, x1, y1, x2, y2)
        }
    }
}
