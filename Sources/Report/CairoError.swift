import CCairo

/// A Cairo call that returned a status other than success.
public struct CairoError: Error, CustomStringConvertible {
    /// What the renderer was doing, e.g. "write PNG /tmp/a.png".
    public var operation: String
    /// Cairo's own description of the status.
    public var reason: String

    init(_ operation: String, _ status: cairo_status_t) {
        self.operation = operation
        self.reason = String(cString: cairo_status_to_string(status))
    }

    public var description: String { "cairo: \(operation): \(reason)" }
}

/// Throws a `CairoError` unless `status` is success.
func check(_ status: cairo_status_t, _ operation: @autoclosure () -> String) throws {
    if status != CAIRO_STATUS_SUCCESS { throw CairoError(operation(), status) }
}
