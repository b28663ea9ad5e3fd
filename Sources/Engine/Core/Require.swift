/// Stops with `message` when `condition` is false: the engine's check for programmer errors
/// (shape mismatches, invalid op arguments).
///
/// The Engine builds with -Ounchecked, which removes `precondition`; `fatalError` stays, so these
/// checks and their messages naming the op and the shapes survive release builds.
@inline(__always)
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
