#!/usr/bin/env bash
# Refreshes the JavaScript the explorer embeds from the npm registry, at the
# versions pinned here, with each package's licence, and checks every file
# against SHA256SUMS. With --check it only checks the files present.
# To move to a new version: change it below, run with --update, review the
# diff of SHA256SUMS and of the licences.
set -euo pipefail
cd "$(dirname "$0")"
# package@version  file-in-package  name-here
files=(
  "cytoscape@3.34.4 dist/cytoscape.min.js cytoscape.min.js"
  "layout-base@2.0.1 layout-base.js layout-base.js"
  "cose-base@2.2.0 cose-base.js cose-base.js"
  "cytoscape-fcose@2.2.0 cytoscape-fcose.js cytoscape-fcose.js"
  "codemirror@5.65.21 lib/codemirror.js codemirror.js"
  "codemirror@5.65.21 lib/codemirror.css codemirror.css"
  "codemirror@5.65.21 mode/sparql/sparql.js codemirror-sparql.js"
)
mode="${1:-}"
if [ "$mode" != "--check" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for entry in "${files[@]}"; do
    read -r spec path name <<<"$entry"
    package="${spec%@*}"
    # A package several files come from is fetched once.
    if [ ! -d "$work/$package" ]; then
      (cd "$work" && npm pack --silent "$spec" >/dev/null)
      mkdir -p "$work/$package"
      tar xzf "$work/${package}-${spec##*@}.tgz" -C "$work/$package"
    fi
    cp "$work/$package/package/$path" "$name"
    cp "$work/$package/package/LICENSE" "LICENSE.$package"
  done
fi
if [ "$mode" = "--update" ]; then
  sha256sum -- *.js *.css LICENSE.* > SHA256SUMS
fi
sha256sum --check --quiet SHA256SUMS
echo "web/vendor: every file matches SHA256SUMS"
