/// Stops with `message` when `condition` is false: the check for programmer errors (shape
/// mismatches, invalid op arguments, an index out of range) of the modules built for speed.
///
/// Engine builds with -Ounchecked, which removes `precondition`; `fatalError` stays, so these
/// checks and their messages naming the op and the shapes survive release builds.
@inlinable @inline(__always)
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
