#!/usr/bin/env bash
# Rebuild the vendored front-end assets in static/vendor/ (what `make assets` runs).
#
# Needs node + npm and access to the npm registry. Nothing here runs when the app runs:
# the output files are committed and served as plain static files.
# See static/vendor/VERSIONS.md for versions, licences and what is deliberately left out.
set -euo pipefail

# Pinned exact versions. Change them here and in static/vendor/VERSIONS.md together.
GOVUK_FRONTEND_VERSION="6.6.0"
HTMX_VERSION="2.0.11"
SASS_VERSION="1.108.2"

# Run from the repository root, wherever the script is called from.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root="$(pwd)"
vendor="$repo_root/static/vendor"
entry="$repo_root/scripts/assets.scss"

build_dir="$(mktemp -d -t assets-build.XXXXXX)"
trap 'rm -rf "$build_dir"' EXIT

echo "==> npm install (in $build_dir)"
(
  cd "$build_dir"
  npm init -y >/dev/null
  npm install --save-exact --no-audit --no-fund --ignore-scripts --loglevel=error \
    "sass@$SASS_VERSION" \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
    "htmx.org@$HTMX_VERSION"
)
nm="$build_dir/node_modules"
govuk_dist="$nm/govuk-frontend/dist/govuk"

# Refuse to continue if npm resolved something other than the pinned versions.
check_version() {
  local pkg="$1" want="$2" got
  got="$(node -p "require('$nm/$pkg/package.json').version")"
  if [[ "$got" != "$want" ]]; then
    echo "error: $pkg is $got, expected $want" >&2
    exit 1
  fi
}
check_version govuk-frontend "$GOVUK_FRONTEND_VERSION"
check_version htmx.org "$HTMX_VERSION"
check_version sass "$SASS_VERSION"

echo "==> clearing old output"
rm -rf "$vendor/govuk-frontend" "$vendor/htmx"
mkdir -p "$vendor/govuk-frontend" "$vendor/htmx"

echo "==> GOV.UK Frontend $GOVUK_FRONTEND_VERSION: compiling CSS (Arial, no source map)"
"$nm/.bin/sass" --style=compressed --no-source-map --load-path="$nm" \
  "$entry" "$vendor/govuk-frontend/govuk-frontend.min.css"

css="$vendor/govuk-frontend/govuk-frontend.min.css"
if grep -q "GDS Transport" "$css" || grep -q "@font-face" "$css"; then
  echo "error: compiled CSS still contains GDS Transport / @font-face" >&2
  exit 1
fi
if grep -o 'url([^)]*)' "$css" | grep -v '^url("/static/vendor/govuk-frontend/assets/' | grep -q .; then
  echo "error: compiled CSS has asset URLs outside /static/vendor/govuk-frontend/assets/" >&2
  exit 1
fi

echo "==> GOV.UK Frontend $GOVUK_FRONTEND_VERSION: JS (ES module)"
cp "$govuk_dist/govuk-frontend.min.js" "$vendor/govuk-frontend/govuk-frontend.min.js"

echo "==> GOV.UK Frontend $GOVUK_FRONTEND_VERSION: assets"
# Left out on purpose:
#   fonts/                  GDS Transport, reserved for GOV.UK; we use Arial.
#   images/favicon.*        GOV.UK crown.
#   images/govuk-*          crown icons, crown + "GOV.UK" opengraph image, Royal Arms crest.
#   manifest.json           only lists the crown icons above.
# Anything else in dist/govuk/assets/ is copied. With $GOVUK_FRONTEND_VERSION nothing else
# exists, so no assets/ folder is written. Check new files by eye when bumping the version.
kept=0
while IFS= read -r -d '' file; do
  rel="${file#"$govuk_dist/assets/"}"
  case "$rel" in
    fonts/* | images/favicon.* | images/govuk-* | manifest.json)
      echo "    skipped $rel"
      ;;
    *)
      mkdir -p "$(dirname "$vendor/govuk-frontend/assets/$rel")"
      cp "$file" "$vendor/govuk-frontend/assets/$rel"
      echo "    kept    $rel"
      kept=$((kept + 1))
      ;;
  esac
done < <(find "$govuk_dist/assets" -type f -print0 | sort -z)
echo "    $kept asset file(s) kept"

echo "==> htmx $HTMX_VERSION"
cp "$nm/htmx.org/dist/htmx.min.js" "$vendor/htmx/htmx.min.js"

echo "==> done:"
(cd "$vendor" && find . -type f | sort | xargs ls -l)
