import Foundation

/// Checks that text meant for a JSON column parses as JSON, so that notebooks can always read it.
enum JSONValidation {
    /// Throws `.invalidInput` naming `field` unless `text` is a JSON document.
    static func require(_ text: String, field: String) throws {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw RunLogError.invalidInput("\(field) is not valid JSON")
        }
    }
}
