/// The hyperparameters of YOLOv5's loss, as `ComputeLoss` receives them: the box, objectness and
/// class gains already scaled by `train.py` for the number of levels, classes and the image size.
public struct LossHyperparameters: Sendable, Equatable {
    public var box: Float
    public var obj: Float
    public var cls: Float
    /// BCE positive weights of the class and objectness terms.
    public var clsPositiveWeight: Float
    public var objPositiveWeight: Float
    /// A target is assigned to anchors whose width and height ratios are below this.
    public var anchorT: Float
    /// Class targets become 1 − ε/2 and ε/2 (utils/loss.py smooth_BCE).
    public var labelSmoothing: Float

    public init(box: Float, obj: Float, cls: Float, clsPositiveWeight: Float = 1, objPositiveWeight: Float = 1,
                anchorT: Float = 4, labelSmoothing: Float = 0) {
        (self.box, self.obj, self.cls) = (box, obj, cls)
        (self.clsPositiveWeight, self.objPositiveWeight) = (clsPositiveWeight, objPositiveWeight)
        (self.anchorT, self.labelSmoothing) = (anchorT, labelSmoothing)
    }

    /// The gains as `train.py` scales hyp.yaml's: box × 3/nl, cls × nc/80 × 3/nl,
    /// obj × (imgsz/640)² × 3/nl.
    // yolov5 v7.0 train.py "Model attributes"
    public static func scaled(box: Double, obj: Double, cls: Double, levels: Int, classes: Int, imageSize: Int,
                              clsPositiveWeight: Double, objPositiveWeight: Double, anchorT: Double,
                              labelSmoothing: Double) -> LossHyperparameters {
        let perLevel = 3 / Double(levels)
        return LossHyperparameters(
            box: Float(box * perLevel), obj: Float(obj * pow2(Double(imageSize) / 640) * perLevel),
            cls: Float(cls * Double(classes) / 80 * perLevel), clsPositiveWeight: Float(clsPositiveWeight),
            objPositiveWeight: Float(objPositiveWeight), anchorT: Float(anchorT), labelSmoothing: Float(labelSmoothing))
    }

    private static func pow2(_ x: Double) -> Double { x * x }
}
