#!/usr/bin/env bash
# Release check of the core (core/README.md): `cargo package` with its
# verification build, the package's contents (README, both licences), the
# unpacked crate built on its own for Cortex-M4F and Cortex-M0, its doctests,
# and the minimum supported Rust version (`rust-version`, 1.88) building the
# core for the Cortex-M4F.
set -euo pipefail

# 1. Package and verify (builds the packaged sources, as `cargo publish` would).
cargo package -p saorsa-nn --allow-dirty
crate=target/package/saorsa-nn-0.1.0.crate
listing=$(tar tzf "$crate")
for f in README.md LICENSE-MIT LICENSE-APACHE Cargo.toml src/lib.rs src/checkpoint/state.rs; do
    grep -qx "saorsa-nn-0.1.0/$f" <<<"$listing" || { echo "55-package: $f is not in the package" >&2; exit 1; }
done

# 2. The unpacked crate on its own (outside this workspace), for the thumb targets.
rustup target add thumbv7em-none-eabihf thumbv6m-none-eabi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$crate" -C "$work"
manifest=$work/saorsa-nn-0.1.0/Cargo.toml
cargo build --manifest-path "$manifest" --target-dir target/package-check --target thumbv7em-none-eabihf
cargo build --manifest-path "$manifest" --target-dir target/package-check --target thumbv6m-none-eabi --release

# 3. The MSRV: `rust-version` in Cargo.toml.
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
rustup toolchain install "$msrv" --profile minimal
rustup target add --toolchain "$msrv" thumbv7em-none-eabihf
cargo "+$msrv" build -p saorsa-nn --target thumbv7em-none-eabihf --target-dir target/msrv
