#!/usr/bin/env bash
# Layering and circles of the library (scripts/check-layers on the objects
# of $BUILD): every file in a layer folder, no include or call from a lower
# layer to a higher one or between sibling folders, no two files calling
# each other (but the one inherent pair it names), the CLI on the public API.
. "$(dirname "$0")/../lib.sh"
command -v python3 > /dev/null || { echo "SKIP lint/layers: python3 not installed"; exit 0; }
command -v nm > /dev/null || { echo "SKIP lint/layers: nm not installed"; exit 0; }
python3 "$BTFKIT_SRC/scripts/check-layers" "$BTFKIT_BUILD"
