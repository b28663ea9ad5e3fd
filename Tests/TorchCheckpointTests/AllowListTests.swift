import Testing
import TorchCheckpoint

/// A YOLOv5 v7.0 checkpoint names its classes `models.yolo.…` when trained from the repository and
/// `yolov5.models.yolo.…` when trained with the PyPI package (yolov5==7.0.14): both are read as inert
/// records; anything else in those modules, or a look-alike module, is not.
struct AllowListTests {
    @Test func bothYOLOv5LayoutsAreModuleClasses() {
        for module in ["models.yolo", "yolov5.models.yolo"] {
            #expect(AllowList.resolve(module: module, name: "DetectionModel") != nil, "\(module)")
        }
        for module in ["models.common", "yolov5.models.common"] {
            #expect(AllowList.resolve(module: module, name: "C3") != nil, "\(module)")
        }
        #expect(AllowList.resolve(module: "yolov5.models.yolo", name: "attempt_load") == nil)
        #expect(AllowList.resolve(module: "evil.yolov5.models.yolo", name: "DetectionModel") == nil)
        #expect(AllowList.resolve(module: "yolov5.utils.general", name: "check_requirements") == nil)
    }
}
