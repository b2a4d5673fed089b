/// The version of the `lfp` tool, recorded with every logged run.
enum ToolVersion {
    static let current = "0.1.0"
}
