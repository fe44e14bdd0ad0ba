# Shared by scripts/run and scripts/test: the tool set-up and the site build.
# Idempotent: each step checks first and installs only what is missing.
set -euo pipefail
shopt -s inherit_errexit # a failing build inside $(...) stops the script too

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build caches live outside the clone, so a fresh clone on the same machine builds warm.
LOS_CACHE=${LOS_CACHE:-$HOME/.cache/line-of-sight}
SERVER_TARGET=$LOS_CACHE/target
WASM_TARGET=$LOS_CACHE/target-wasm
SITE=$ROOT/target/site
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The browser build: rustup's wasm32 target where it is installed or can be added, else Debian's
# rustc-web with the standard library built from source (-Zbuild-std) and linked by wasm-ld.
WASM_MODE=""
setup_wasm_toolchain() {
  if rustup target list --installed 2>/dev/null | grep -x wasm32-unknown-unknown >/dev/null; then
    WASM_MODE=rustup; return
  fi
  if dpkg -s rustc-web cargo-web rust-web-src lld >/dev/null 2>&1; then
    WASM_MODE=debian; return
  fi
  if command -v rustup >/dev/null && timeout 45 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    WASM_MODE=rustup; return
  fi
  apt_install rustc-web cargo-web rust-web-src lld
  WASM_MODE=debian
}

wasm_cargo() {
  if [ "$WASM_MODE" = rustup ]; then
    CARGO_TARGET_DIR=$WASM_TARGET cargo "$@"
  else
    CARGO_TARGET_DIR=$WASM_TARGET RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
      /usr/bin/cargo "$@" -Zbuild-std=std,panic_abort
  fi
}

# wasm-bindgen's CLI must be the exact version of the wasm-bindgen crate in Cargo.lock.
setup_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "Installing wasm-bindgen-cli $want"
    cargo install -q wasm-bindgen-cli --version "=$want" --force
  fi
}

# Node tools: Playwright (end2end tests) and binaryen's wasm-opt (smaller browser bundle).
setup_node_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="$ROOT/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    say "Installing Node packages for end2end and wasm-opt"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_build_tools() {
  setup_wasm_toolchain
  setup_wasm_bindgen
  setup_node_tools
}

# Builds target/site: pkg/line_of_sight.{js,_bg.wasm,css} and the public assets. wasm-bindgen and
# wasm-opt run only when cargo produced a new app.wasm.
build_site() {
  say "Building the browser bundle ($WASM_MODE toolchain)"
  (cd "$ROOT" && wasm_cargo build -q -p app --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features --features hydrate)
  local wasm="$WASM_TARGET/wasm32-unknown-unknown/wasm-release/app.wasm"
  local bundle="$SITE/pkg/line_of_sight_bg.wasm"
  if [ ! -f "$bundle" ] || [ "$wasm" -nt "$bundle" ]; then
    rm -rf "$SITE/pkg" && mkdir -p "$SITE/pkg"
    wasm-bindgen --target web --no-typescript --out-name line_of_sight --out-dir "$SITE/pkg" "$wasm"
    "$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals -o "$bundle" "$bundle"
  fi
  cp "$ROOT/style/main.css" "$SITE/pkg/line_of_sight.css"
  cp -r "$ROOT/public/." "$SITE/"
  # The service worker's caches are named after the build, so a new build replaces them.
  local build
  build=$(cat "$SITE"/pkg/* | sha256sum | cut -c1-16)
  sed "s/__BUILD__/$build/" "$ROOT/public/sw.js" > "$SITE/sw.js"
}

# Builds the server binary; prints its path.
build_server() {
  local profile=$1
  say "Building the server ($profile)"
  (cd "$ROOT" && CARGO_TARGET_DIR=$SERVER_TARGET cargo build -q -p server --profile "$profile")
  local dir=$profile; [ "$profile" = dev ] && dir=debug
  echo "$SERVER_TARGET/$dir/line-of-sight"
}
