#!/usr/bin/env bash
# Regenerate the bundled economy registry and default data with innoscope's
# own importers.
#
#   scripts/regenerate-bundle.sh [DATA_DIR]
#
# DATA_DIR holds country-codes/, wdi/, ncses/tidy/ and unctad-wir2022/ in the
# layouts of the project's shared data (default: ../shared/data). Point it at
# fresh downloads in the same layouts to refresh the bundle. Only openly
# licensed series are bundled (World Bank CC BY 4.0, NCSES public domain,
# UNCTAD with attribution); WIPO data are never bundled.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
# Fixed timestamp so a regenerated bundle is byte-identical for identical inputs.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1780000000}"
cargo build --quiet --bin innoscope
./target/debug/innoscope bundle registry --shared "$data" --registry data/registry
# The registry is compiled in: rebuild before importing with it.
cargo build --quiet --bin innoscope
./target/debug/innoscope bundle data --shared "$data" --out data/bundled
./target/debug/innoscope datasets --no-bundled --data-dir data/bundled
