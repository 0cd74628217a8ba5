#!/usr/bin/env bash
# Fail (exit 1) if any Go file is not gofmt-formatted; lists the offenders.
# Checks the files git tracks (plus untracked, not-ignored ones, so a local
# run sees new files before they are added); outside a git checkout, every
# .go file below the current directory except vendor/ and testdata/.
set -euo pipefail

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard -- '*.go')
else
    mapfile -d '' files < <(find . -name '*.go' -not -path '*/vendor/*' -not -path '*/testdata/*' -not -path '*/.git/*' -print0)
fi

existing=()
for f in "${files[@]}"; do [[ -f $f ]] && existing+=("$f"); done
if [[ ${#existing[@]} -eq 0 ]]; then
    echo "gofmt: no Go files" >&2
    exit 0
fi

unformatted=$(printf '%s\0' "${existing[@]}" | xargs -0 gofmt -l)
if [[ -n $unformatted ]]; then
    echo "gofmt: these files need formatting (run: gofmt -w FILE):" >&2
    printf '  %s\n' $unformatted >&2
    exit 1
fi
echo "gofmt: ${#existing[@]} files ok" >&2
