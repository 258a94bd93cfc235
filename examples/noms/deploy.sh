#!/usr/bin/env bash
# What CI runs for a pushed tag: devbuild-* goes to the dev workspace,
# release-* to prod. Usage: ./deploy.sh TAG   (RECONCILE: the binary, default
# `reconcile` on PATH; extra arguments go to `reconcile apply`).
set -euo pipefail
tag=${1:?usage: deploy.sh TAG [apply arguments]}
shift
reconcile=${RECONCILE:-reconcile}
case "$tag" in
  devbuild-*) channel=dev ;;
  release-*) channel=prod ;;
  *) echo "deploy.sh: $tag is neither devbuild-* nor release-*: nothing to deploy" >&2; exit 1 ;;
esac
cd "$(dirname "$0")"
"$reconcile" workspace select "$channel" 2>/dev/null || "$reconcile" workspace new "$channel"
echo "Deploying $tag to $channel"
"$reconcile" apply --auto-approve --var "release_tag=$tag" "$@"
