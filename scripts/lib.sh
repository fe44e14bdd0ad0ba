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

# The splitter of the browser bundle (scripts/wasm-split, a host tool with its own lock file).
WASM_SPLIT=$LOS_CACHE/target-tools/release/wasm-split
setup_wasm_split() {
  CARGO_TARGET_DIR=$LOS_CACHE/target-tools cargo build -q --release --locked \
    --manifest-path "$ROOT/scripts/wasm-split/Cargo.toml"
}

# The SMTP server the mail tests send to (server/tests/mail.rs): Python's aiosmtpd.
setup_test_tools() {
  python3 -c 'import aiosmtpd' 2>/dev/null && return 0
  say "Installing aiosmtpd (an SMTP server for the mail tests)"
  python3 -m pip install -q --disable-pip-version-check aiosmtpd 2>/dev/null \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages aiosmtpd 2>/dev/null \
    || apt_install python3-aiosmtpd
  python3 -c 'import aiosmtpd'
}

setup_build_tools() {
  setup_wasm_toolchain
  setup_wasm_bindgen
  setup_node_tools
  setup_wasm_split
}

# Builds target/site: pkg/line_of_sight.{js,_bg.wasm,css}, one split_*.wasm per page (its lazy
# route) and chunk_*.wasm for code pages share, the loader __wasm_split.*.js and its manifest, and
# the public assets. Splitting needs the linker's relocations (--emit-relocs) and runs before
# wasm-bindgen, which must keep the exports the chunks link against; wasm-opt shrinks each file.
# The bundle is rebuilt only when cargo produced a new app.wasm.
build_site() {
  say "Building the browser bundle ($WASM_MODE toolchain)"
  (cd "$ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Clink-args=--emit-relocs" \
    wasm_cargo build -q -p app --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features --features hydrate)
  local wasm="$WASM_TARGET/wasm32-unknown-unknown/wasm-release/app.wasm"
  local main="$WASM_TARGET/wasm32-unknown-unknown/wasm-release/app_split.wasm"
  local bundle="$SITE/pkg/line_of_sight_bg.wasm"
  if [ ! -f "$bundle" ] || [ "$wasm" -nt "$bundle" ]; then
    rm -rf "$SITE/pkg" && mkdir -p "$SITE/pkg"
    "$WASM_SPLIT" "$wasm" "$SITE/pkg" line_of_sight "$main"
    wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
      --out-name line_of_sight --out-dir "$SITE/pkg" "$main"
    # wasm-opt on the main module: it shrinks it by two thirds; the chunks come out of the
    # splitter already lean (-Oz gains under 0.5 % on them, at a second per file for a thousand).
    "$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals -o "$bundle" "$bundle"
  fi
  cp "$ROOT/style/main.css" "$SITE/pkg/line_of_sight.css"
  cp -r "$ROOT/public/." "$SITE/"
  # The service worker keeps the shell at install and every chunk after, so a page never opened
  # still opens offline; its caches are named after the build, so a new build replaces them.
  local build shell chunks
  build=$(cat "$SITE"/pkg/* | sha256sum | cut -c1-16)
  # The shell: the JS, CSS and main wasm, and the chunks of the offline copy's code (read_copy and
  # sync_once in app/src/offline/client.rs), which must load even when the connection is gone.
  shell=$(cd "$SITE/pkg" && { ls line_of_sight* __wasm_split.*.js; node -e '
    const m = require("./__wasm_split_manifest.json");
    for (const [k, files] of Object.entries(m))
      if (/^(read_copy|sync_once)_\d+$/.test(k)) files.forEach((f) => console.log(`${f}.wasm`));
  '; } | sort -u | sed "s|.*|'/pkg/&'|" | paste -sd, -)
  chunks=$(cd "$SITE/pkg" && ls split_*.wasm chunk_*.wasm | sed "s|.*|'/pkg/&'|" | paste -sd, -)
  sed -e "s/__BUILD__/$build/" -e "s|'__SHELL__'|$shell|" -e "s|'__CHUNKS__'|$chunks|" \
    "$ROOT/public/sw.js" > "$SITE/sw.js"
}

# Builds the server binary; prints its path.
# The SurrealDB server (tools/surreal: the surrealdb-server crate with its own lock file), for the
# tests over ws:// and the load bench. Built once, in release, with the other caches.
SURREAL_TARGET=$LOS_CACHE/target-surreal
build_surreal() {
  say "Building the SurrealDB server (tools/surreal)"
  (cd "$ROOT/tools/surreal" && CARGO_TARGET_DIR=$SURREAL_TARGET cargo build -q --release --locked)
  echo "$SURREAL_TARGET/release/surreal"
}

build_server() {
  local profile=$1
  say "Building the server ($profile)"
  (cd "$ROOT" && CARGO_TARGET_DIR=$SERVER_TARGET cargo build -q -p server --profile "$profile")
  local dir=$profile; [ "$profile" = dev ] && dir=debug
  echo "$SERVER_TARGET/$dir/line-of-sight"
}
