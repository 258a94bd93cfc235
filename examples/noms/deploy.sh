#!/usr/bin/env bash
# What CI runs for a pushed tag: the stack's [deploy] channels send devbuild-*
# to the dev workspace and release-* to prod; a tag of neither form is
# refused with the list of channels. Usage: ./deploy.sh TAG (RECONCILE: the
# binary, default `reconcile` on PATH; extra arguments go to `reconcile deploy`).
set -euo pipefail
tag=${1:?usage: deploy.sh TAG [deploy arguments]}
shift
cd "$(dirname "$0")"
exec "${RECONCILE:-reconcile}" deploy --tag "$tag" --auto-approve "$@"
