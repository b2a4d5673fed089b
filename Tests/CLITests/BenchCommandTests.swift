import Foundation
import Testing

@Suite("lfp bench")
struct BenchCommandTests {
    @Test("--json prints one object with the timing fields for each model")
    func jsonReportHasEveryField() throws {
        let result = try CLIRunner.run(["bench", "--models", "toy", "--steps", "20", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try result.lastJSONObject()
        let toy = try #require(json["toy"] as? [String: Any])
        for key in ["lfp_ms", "gradient_ms", "lfp_over_gradient", "lfp_samples_per_s", "sgemm_gflops",
                    "lfp_gflops", "sgemm_fraction"] {
            let value = try #require(toy[key] as? Double, "missing \(key)")
            #expect(value > 0 && value.isFinite, "\(key) = \(value)")
        }
    }
}
