#!/bin/bash
# make demo: a short scripted tour on the embedded default store.
# It prints each command before running it.  Safe to run again: it first
# removes what an earlier run left.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/bin:$PATH"

bold='' plain=''
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
step() {
	printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"
	"$@"
}

# an earlier run's objects (ignore "not found")
rhv-cluster remove demo-web -q 2>/dev/null || true
rhv-cluster remove demo-batch -q 2>/dev/null || true
rhv-dc remove Demo -q 2>/dev/null || true

step rhv-db init
step rhv-db status
step rhv-dc create Demo --description 'demo data center'
step rhv-cluster create demo-web --dc Demo --cpu-type haswell --description 'web tier'
step rhv-cluster create demo-batch --dc Demo --cpu-type 'AMD Opteron G5'
step rhv-cluster policy demo-web --policy evenly_distributed --param HighUtilization=75 --ha-reservation on
step rhv-cluster policy demo-batch --policy vm_evenly_distributed --param HighVmCount=20
step rhv-dc list
step rhv-cluster list --dc Demo -c +cpu_vendor
step rhv-cluster params demo-web
step rhv-dc show Demo -o json
printf '\n# what a script sees: TSV without headers\n'
step rhv-cluster list --dc Demo -o tsv -H -c name,policy
printf '\n# refusals come with an exit code and one line on stderr\n'
step rhv-dc remove Demo || echo "(exit $?)"
step rhv-cluster policy demo-web --param HighUtilization=120 || echo "(exit $?)"
step rhv-event list --object cluster --limit 5
printf '\nDemo done.  The store stays in %s; remove the demo objects with\n' \
	"$(rhv-db status -o tsv -H -c data_directory)"
echo "  rhv-cluster remove demo-web; rhv-cluster remove demo-batch; rhv-dc remove Demo"
