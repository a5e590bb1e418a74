#!/usr/bin/env bash
# Vendor ECharts (Apache-2.0) into the static files at install time, not into the repository:
# `npm pack echarts@5` from the npm registry, then dist/echarts.min.js → src/propdesk/static/vendor/
# (git-ignored). Skipped when the file is already there. Without it the quality dashboard still shows
# every figure and its trend as tables; only the charts are missing.
set -euo pipefail
dest="src/propdesk/static/vendor/echarts.min.js"
[ -s "$dest" ] && exit 0
if ! command -v npm >/dev/null; then
  echo "vendor-echarts: npm not found; the KPI trend charts will show as tables" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack --silent echarts@5 >/dev/null 2>&1); then
  echo "vendor-echarts: npm pack echarts@5 failed; the KPI trend charts will show as tables" >&2
  exit 0
fi
tar -xzf "$tmp"/echarts-*.tgz -C "$tmp" package/dist/echarts.min.js
mkdir -p "$(dirname "$dest")"
cp "$tmp/package/dist/echarts.min.js" "$dest"
