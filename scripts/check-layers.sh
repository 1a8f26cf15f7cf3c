#!/usr/bin/env bash
# Grep-based check of the layers of DESIGN.md §1 (ESLint enforces the same; this catches
# requires and dynamic imports that slip past it). Uses the handout's checker when present.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/../shared/checks/layers.sh" ]; then
  exec bash "$here/../shared/checks/layers.sh"
fi
echo "layers: handout checker not found beside the project; ESLint's import rules still apply"
