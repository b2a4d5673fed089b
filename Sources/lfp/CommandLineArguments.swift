/// Parsed `--name value` options, `--flag` switches and positional words of one subcommand.
/// Unknown options, missing values and malformed numbers become `CLIError.usage`.
struct CommandLineArguments {
    private(set) var options: [String: String] = [:]
    private(set) var repeated: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Parses `words` against the option names that take a value and the flags that do not.
    /// Options named in `repeatable` may appear several times.
    init(_ words: [String], options valued: Set<String>, flags allowed: Set<String>,
         repeatable: Set<String> = []) throws {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                positionals.append(contentsOf: words[(i + 1)...])
                break
            }
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var inlineValue: String?
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valued.contains(name) || repeatable.contains(name) {
                    let value: String
                    if let inlineValue { value = inlineValue } else {
                        guard i + 1 < words.count else { throw CLIError.usage("option --\(name) needs a value") }
                        value = words[i + 1]
                        i += 1
                    }
                    if repeatable.contains(name) { repeated[name, default: []].append(value) }
                    else { options[name] = value }
                } else if allowed.contains(name) {
                    guard inlineValue == nil else { throw CLIError.usage("flag --\(name) takes no value") }
                    flags.insert(name)
                } else {
                    throw CLIError.usage("unknown option --\(name) (see --help)")
                }
            } else {
                positionals.append(word)
            }
            i += 1
        }
    }

    /// The string value of an option, if given.
    func string(_ name: String) -> String? { options[name] }

    /// All values of a repeatable option, in order.
    func all(_ name: String) -> [String] { repeated[name] ?? [] }

    /// Whether a flag was given.
    func has(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option, checked against a lower bound.
    func int(_ name: String, min lower: Int = Int.min) throws -> Int? {
        guard let text = options[name] else { return nil }
        guard let value = Int(text) else { throw CLIError.usage("--\(name) expects an integer, got '\(text)'") }
        guard value >= lower else { throw CLIError.usage("--\(name) must be at least \(lower), got \(value)") }
        return value
    }

    /// A finite floating-point option, checked against a lower bound.
    func double(_ name: String, min lower: Double = -Double.infinity) throws -> Double? {
        guard let text = options[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw CLIError.usage("--\(name) expects a number, got '\(text)'")
        }
        guard value >= lower else { throw CLIError.usage("--\(name) must be at least \(lower), got \(value)") }
        return value
    }

    /// An option restricted to a set of words.
    func choice(_ name: String, from allowed: [String]) throws -> String? {
        guard let text = options[name] else { return nil }
        guard allowed.contains(text) else {
            throw CLIError.usage("--\(name) must be one of \(allowed.joined(separator: ", ")), got '\(text)'")
        }
        return text
    }
}
