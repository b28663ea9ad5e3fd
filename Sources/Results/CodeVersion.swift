/// The version of studyctl that wrote a result file.
///
/// Recorded in every manifest so a report says which code produced its numbers.
public enum CodeVersion {
    public static let string = "0.1.0"
}
