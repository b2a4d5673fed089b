// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LFP",
    products: [
        .library(name: "LFP", targets: ["LFP"]),
        .library(name: "Rewards", targets: ["Rewards"]),
        .library(name: "RunLog", targets: ["RunLog"]),
        .executable(name: "lfp", targets: ["lfp"]),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "LFP", dependencies: ["CBLAS", "CZlib"], path: "Sources/LFP"),
        .target(name: "Rewards", dependencies: ["LFP"], path: "Rewards",
                exclude: ["Examples"]),
        .target(name: "RunLog", dependencies: ["LFP", "CSQLite"], path: "Sources/RunLog"),
        .executableTarget(name: "lfp", dependencies: ["LFP", "Rewards", "RunLog"], path: "Sources/lfp"),
        .testTarget(name: "LFPTests", dependencies: ["LFP"], path: "Tests/LFPTests"),
        .testTarget(name: "RewardsTests", dependencies: ["Rewards", "LFP"], path: "Tests/RewardsTests"),
        .testTarget(name: "RunLogTests", dependencies: ["RunLog", "LFP"], path: "Tests/RunLogTests"),
        .testTarget(name: "CLITests", dependencies: ["LFP", "RunLog", "CSQLite"], path: "Tests/CLITests"),
    ]
)
