#!/bin/sh
# Differential check of mail-inspect against Python's email package
# (policy=default) on every corpus file, in LF and CRLF form.
# Usage: crates/mime/tests/tools/diff_python.sh [FILES...]
set -u
cd "$(dirname "$0")/../../../.." || exit 2
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-mime}"
cargo build -q -p mailwire --no-default-features --features mime --example mail-inspect || exit 2
bin="$CARGO_TARGET_DIR/debug/examples/mail-inspect"
[ $# -gt 0 ] || set -- crates/mime/tests/corpus/*.eml
status=0
for f in "$@"; do
  python3 crates/mime/tests/tools/compare.py "$bin" "$f" || status=1
done
exit $status
