// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "collapse",
    products: [
        .library(name: "CollapseKit", targets: ["CollapseKit"]),
        .executable(name: "collapse", targets: ["collapse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // GSL (Debian's libgsl-dev) as a system library; shim.h adds inline accessors.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // zlib (Debian's zlib1g-dev), for `output.metrics_file: csv.gz`.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The d > 16 nearest-neighbour kernels: AVX-512 / AVX2 fused multiply-adds
        // (target attributes, chosen at run time) with an exact recheck; x86-64 only.
        .target(name: "CNearest"),
        // The engine: no printing, no exit(), no decisions about where files live.
        .target(
            name: "CollapseKit",
            dependencies: ["CGSL", "CZlib", "CNearest", .product(name: "Yams", package: "Yams"),
                           .product(name: "CSV", package: "CSV.swift"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The command-line interface. BuildStamp embeds the git commit it is built from.
        .executableTarget(
            name: "collapse",
            dependencies: [
                "CollapseKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildStamp"]
        ),
        // The build-time tool BuildStamp runs: `git rev-parse HEAD` and `git status` of the
        // package directory into a generated Swift file.
        .executableTarget(name: "build-stamp"),
        .plugin(name: "BuildStamp", capability: .buildTool(), dependencies: ["build-stamp"]),
        .testTarget(name: "CollapseKitTests", dependencies: ["CollapseKit"]),
        .testTarget(name: "CLITests", dependencies: ["collapse", "build-stamp"], exclude: ["Golden", "Generators"]),
    ]
)
