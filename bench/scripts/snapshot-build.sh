#!/bin/sh
# Copies the built dist/ of every runtime package into DIR/node_modules/@attograd/<pkg>, a
# self-contained copy of the current build that a later build can be timed against in the same
# process (bench:training-step --baseline=DIR). Usage: bench/scripts/snapshot-build.sh DIR
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: snapshot-build.sh DIR}
for pkg in tensor ops gradcheck attention nn optim; do
  mkdir -p "$dir/node_modules/@attograd/$pkg"
  cp "$root/packages/$pkg/package.json" "$dir/node_modules/@attograd/$pkg/"
  rm -rf "$dir/node_modules/@attograd/$pkg/dist"
  cp -r "$root/packages/$pkg/dist" "$dir/node_modules/@attograd/$pkg/dist"
done
echo "snapshot of $root's build in $dir"
