#!/usr/bin/env bash
# Runs one end-to-end case: copies tests/e2e/<group>/<case>/ to a scratch folder, runs its
# optional `setup`, runs the real chatctl with the arguments in `args` (one per line; blank
# lines and lines starting with '#' are skipped; @ROOT@ is the repository root, @TMP@ the
# scratch folder), and compares stdout, stderr and the exit code with expected.stdout,
# expected.stderr and expected.exit. Paths of the scratch folder and the repository are
# replaced by @TMP@ and @ROOT@ before comparing.
#
# A case may hold a `script` instead of `args`: a bash script run in the scratch folder with
# $CHATCTL (the binary) and $ROOT (the repository) set, for stories of several commands; its
# stdout, stderr and exit code are compared the same way.
#
# usage: run_case.sh CHATCTL CASE_DIR [--update]
set -u
chatctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case_dir=$(cd "$2" && pwd)
update=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$case_dir/." "$work/"
cd "$work" || exit 1

export CHATCTL="$chatctl" ROOT="$root" NO_COLOR=1 TZ=UTC LC_ALL=C
if [ -f setup ]; then
  if ! bash ./setup > setup.log 2>&1; then
    echo "setup failed:"; cat setup.log; exit 1
  fi
fi

input=/dev/null
[ -f stdin ] && input=stdin

if [ -f script ]; then
  bash ./script < "$input" > actual.stdout 2> actual.stderr
  echo $? > actual.exit
else
  args=()
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    line=${line//@ROOT@/$root}
    line=${line//@TMP@/$work}
    args+=("$line")
  done < args
  "$chatctl" "${args[@]}" < "$input" > actual.stdout 2> actual.stderr
  echo $? > actual.exit
fi

normalize() { sed -e "s|$work|@TMP@|g" -e "s|$root|@ROOT@|g" "$1"; }

status=0
for stream in stdout stderr exit; do
  normalize "actual.$stream" > "normalized.$stream"
  if [ "$update" = "--update" ]; then
    cp "normalized.$stream" "$case_dir/expected.$stream"
  elif ! diff -u --label "expected.$stream" --label "actual.$stream" \
      "$case_dir/expected.$stream" "normalized.$stream"; then
    status=1
  fi
done
exit $status
