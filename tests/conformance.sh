#!/bin/bash
# The same checks for every rhv-* binary (prints TAP): help, version, bad
# options, the command-table self-test, man pages in sync with the tables,
# completion, and a golden test for every verb.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

# The lines the CLI cases run (comment lines and trailing comments dropped),
# and the places a command starts in them: a verb merely mentioned in a
# comment or completed by complete_words has no golden test.
sed -E -e '/^[[:space:]]*#/d' -e 's/[[:space:]]#.*$//' "$top"/tests/cli/*/*.sh >"$tmp/case-lines"
cmd_start="(^|[;&|(]|sh -c [\"']|(^|[[:space:]])(run|do|then|else|time|!))[[:space:]]*"
cmd_end="([[:space:];&|)\"']|$)"

deroff() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$1"; }
max_width() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }

exit_status_ref=$(sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$top/man/rhv.7" | sed '$d')
ok "$([ -n "$exit_status_ref" ]; echo $?)" "rhv.7 has an EXIT STATUS section"

for bin in "$top"/bin/rhv-*; do
	b=$(basename "$bin")
	man="$top/man/$b.1"

	"$bin" --help >"$tmp/out" 2>"$tmp/err"
	ok "$(($? != 0 || $(wc -c <"$tmp/err") != 0))" "$b --help exits 0 and writes only stdout"
	ok "$(($(max_width <"$tmp/out") > 80))" "$b --help fits 80 columns"
	"$bin" --version >"$tmp/out" 2>&1
	ok "$(($? != 0))" "$b --version exits 0"
	grep -qx "$b (rhv) [0-9.]*" "$tmp/out"
	ok $? "$b --version prints name, package and version"
	"$bin" --no-such-option >"$tmp/out" 2>"$tmp/err"
	rc=$?
	ok "$((rc != 2 || $(wc -c <"$tmp/out") != 0))" "$b --no-such-option exits 2 with nothing on stdout"
	grep -q "^$b: error: unknown option '--no-such-option'$" "$tmp/err"
	ok $? "$b --no-such-option says so once on stderr"
	"$bin" no-such-verb >/dev/null 2>"$tmp/err"
	ok "$(($? != 2))" "$b no-such-verb exits 2"
	"$bin" >/dev/null 2>&1
	ok "$(($? != 2))" "$b with no verb exits 2"
	"$bin" --self-test >"$tmp/out" 2>&1
	rc=$?
	ok $rc "$b --self-test passes"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/out"

	"$bin" --dump-help >"$tmp/dump"
	verbs=$(sed -n 's/^verb //p' "$tmp/dump")
	"$bin" __complete -- '' | sort >"$tmp/complete"
	{ echo "$verbs"; echo help; } | sort >"$tmp/want"
	diff -q "$tmp/complete" "$tmp/want" >/dev/null
	ok $? "$b completion offers exactly its verbs"
	for v in $verbs; do
		"$bin" help "$v" >"$tmp/h1" 2>&1
		rc=$?
		"$bin" "$v" --help >"$tmp/h2" 2>&1
		ok "$((rc != 0 || $? != 0))" "$b help $v and $b $v --help exit 0"
		cmp -s "$tmp/h1" "$tmp/h2"
		ok $? "$b help $v is the same as $b $v --help"
		ok "$(($(max_width <"$tmp/h1") > 80))" "$b help $v fits 80 columns"
		"$bin" "$v" --no-such-option >/dev/null 2>&1
		ok "$(($? != 2))" "$b $v --no-such-option exits 2"
		grep -qE "$cmd_start$b $v$cmd_end" "$tmp/case-lines"
		ok $? "$b $v has a golden CLI test that runs it"
	done

	[ -f "$man" ]
	ok $? "$b has a man page"
	[ -f "$man" ] || continue
	deroff "$man" >"$tmp/man"
	# each .SS VERB is followed by its synopsis in .nf/.fi, wrapped as the page likes
	awk '/^\.SS /{ want = 1; next } want && /^\.nf/{ grab = 1; line = ""; next }
	     grab && /^\.fi/{ print line; grab = 0; want = 0; next }
	     grab { sub(/^[ \t]+/, ""); line = line (line == "" ? "" : " ") $0 }' "$tmp/man" >"$tmp/mansyn"
	missing=0
	while IFS= read -r line; do
		grep -qxF -- "$line" "$tmp/mansyn" || { echo "# $b.1 lacks: $line"; missing=1; }
	done < <(sed -n 's/^synopsis //p' "$tmp/dump")
	ok "$missing" "$b.1 carries every verb's synopsis (after its .SS)"
	sed -n 's/^option //p' "$tmp/dump" | sort -u >"$tmp/opts"
	grep -o -- '--[a-z][a-z-]*' "$tmp/man" | sort -u >"$tmp/manopts"
	extra=$(comm -13 "$tmp/opts" "$tmp/manopts" | grep -vxE -- '--(version|dump-help|self-test)')
	lacking=$(comm -23 "$tmp/opts" "$tmp/manopts")
	[ -z "$extra$lacking" ]
	ok $? "$b.1 documents exactly the options of $b"
	[ -z "$extra$lacking" ] || echo "# lacking: $lacking; not options: $extra"
	[ "$(sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$man" | sed '$d')" = "$exit_status_ref" ]
	ok $? "$b.1 has the shared EXIT STATUS section"
done

bash -n "$top/completions/rhv.bash"
ok $? "bash completion script parses"
for bin in "$top"/bin/rhv-*; do
	b=$(basename "$bin")
	grep -q "^complete .* $b\( \|$\)" "$top/completions/rhv.bash" && grep -q "^#compdef .*$b\( \|$\)" "$top/completions/_rhv"
	ok $? "$b is registered in the bash and zsh completion scripts"
done
# bash completion through the real script, as a shell would call it
out=$(bash -c '. "$1/completions/rhv.bash"; COMP_WORDS=(rhv-dc sh); COMP_CWORD=1; _rhv; printf "%s\n" "${COMPREPLY[@]}"' _ "$top")
[ "$out" = show ]
ok $? "bash completion completes 'rhv-dc sh' to 'show'"
echo "1..$n"
