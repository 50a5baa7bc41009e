#!/usr/bin/env bash
# dist/ is what runners execute: it must be exactly what `npm run build` makes from src/, and so
# must the manifest validator the build generates into src/. One check, called by .ci/run and by
# every workflow that checks the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
paths=(dist src/inputs/manifest-validator.generated.js src/inputs/manifest-validator.generated.d.ts)
if [ -n "$(git status --porcelain -- "${paths[@]}")" ]; then
  git status --porcelain -- "${paths[@]}"
  git diff --stat -- "${paths[@]}"
  echo "::error::dist/ (or the generated manifest validator) does not match src/: run 'npm run build' and commit the result"
  exit 1
fi
