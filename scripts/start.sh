#!/usr/bin/env bash
# Starts a working single-node cluster on a fresh machine: installs what is missing
# (Debian packages, npm dependencies), builds the offline images once, then runs
# `k8ts server` in the foreground. Extra arguments go to `k8ts server`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
data_dir=/var/lib/k8ts
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == --data-dir ]] && data_dir="${args[$((i + 1))]}"
  [[ "${args[$i]}" == --data-dir=* ]] && data_dir="${args[$i]#--data-dir=}"
done
node bin/k8ts.js images build --data-dir "$data_dir"
exec node --max-semi-space-size=8 bin/k8ts.js server "$@"
