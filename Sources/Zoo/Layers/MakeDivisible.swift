/// Rounds `value` to the nearest multiple of `divisor` (at least `minValue`, default `divisor`),
/// going up one step when rounding down would lose more than 10 % — the `_make_divisible` of
/// torchvision (mobilenetv2.py), timm (`make_divisible`) and MnasNet's `_round_to_multiple_of`.
public func makeDivisible(_ value: Double, _ divisor: Int = 8, minValue: Int? = nil) -> Int {
    let d = Double(divisor)
    var rounded = max(minValue ?? divisor, Int(value + d / 2) / divisor * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
}
