# Sourced by the embed tests: installs the build into a temporary prefix
# ($prefix) inside a work directory ($work) removed on exit.
#   source installed.sh BUILD_DIR SOURCE_DIR
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$prefix/lib
# A copy of the quickstart stack in $work/NAME.
quickstart() {
  cp -r "$src/examples/quickstart" "$work/$1"
  echo "$work/$1"
}
