// swift-tools-version:6.0
import PackageDescription

// An example of a reward plugin in its own package: it depends on the LFP library product of the
// root package (three folders up) and trains a toy model with a custom reward through `Trainer`.
let package = Package(
    name: "MarginRewardExample",
    dependencies: [
        .package(name: "LFP", path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "MarginReward",
            dependencies: [.product(name: "LFP", package: "LFP")],
            path: "Sources/MarginReward"),
    ]
)
