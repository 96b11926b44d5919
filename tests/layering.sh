#!/bin/bash
# The layering rules of libcore (libcore/README), checked on the built tree.
# Prints TAP.  Run from tests/run, or alone after `make`:  bash tests/layering.sh
#
#   1. a folder cannot include a library it may not use: the compiler says so
#   2. SQL text only in store/, libvirt XML only in virt/
#   3. no data center, host or VM in engine/
#   4. calls go down the folders, never up (nm of the objects):
#      util <- policy <- store, virt <- storage <- ops, and util <- engine <- ops
#   5. every exported symbol has the rhv_ prefix; no weak symbols
#   6. no two files call each other (a cycle of two objects, nm again)
# Files still listed in the Makefile's LEGACY are exempt from 2-5; the test
# says which, so the list can only shrink.  Check 6 holds for every file,
# LEGACY or not, but for the pairs in its own allowlist.
cd "$(dirname "$0")/.." || exit 1
n=0
ok() { n=$((n + 1)); echo "ok $n - layering: $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - layering: $*"; }
check() { # description, then a command whose output lists the offenders
	local what=$1 out
	shift
	out=$("$@")
	if [ -z "$out" ]; then ok "$what"; else not_ok "$what"; sed 's/^/#   /' <<<"$out"; fi
}

facts=$(make -s layering-facts) || { not_ok "make layering-facts failed"; echo "1..$n"; exit 1; }
flags_of() { awk -F'\t' -v d="$1" '$1 == d { print $2 }' <<<"$facts"; }
read -r -a legacy <<<"$(flags_of legacy)"
is_legacy() { local f; for f in "${legacy[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }
# the sources a rule applies to: a folder's files, legacy ones left out
sources() {
	local f
	for f in libcore/"$1"/*.[ch]; do is_legacy "$f" || echo "$f"; done
}

# ---- 1. includes, by construction -------------------------------------------
CC=${CC:-cc}
probe() { # folder header -> 0 when it compiles
	# shellcheck disable=SC2046
	printf '#include <%s>\nint rhv_layering_probe;\n' "$2" |
		$CC -std=gnu11 $(flags_of "$1") -fsyntax-only -x c - 2>/dev/null
}
# folder: the libraries it may use (the rest must fail to compile)
allowed() {
	case $1 in
	engine) echo "popt json-c" ;;
	store) echo "libpq" ;;
	virt) echo "libvirt libxml2" ;;
	storage | ops) echo "json-c" ;;
	*) echo "" ;;
	esac
}
declare -A header=([libpq]=libpq-fe.h [libpq-pg]=postgresql/libpq-fe.h [libvirt]=libvirt/libvirt.h
	[libxml2]=libxml/tree.h [json-c]=json-c/json.h [popt]=popt.h)
for d in util engine store virt policy storage ops cmd; do
	for lib in libpq libpq-pg libvirt libxml2 json-c popt; do
		want=no
		[[ " $(allowed "$d") " == *" ${lib%-pg} "* ]] && want=yes
		if probe "$d" "${header[$lib]}"; then got=yes; else got=no; fi
		if [ $want = $got ]; then
			[ $want = yes ] && ok "$d/ may include <${header[$lib]}>" || ok "$d/ cannot include <${header[$lib]}>"
		else
			[ $want = yes ] && not_ok "$d/ should be able to include <${header[$lib]}>" ||
				not_ok "$d/ can include <${header[$lib]}>, which its rules forbid"
		fi
	done
done

# ---- 2. SQL and XML in their rooms ------------------------------------------
sql='"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX)|ALTER TABLE|LOCK TABLE|FOR (UPDATE|SHARE)|WHERE [a-z_.]+ ?=)'
xml='"[^"]*(<[a-z]+ [a-z_]+=|</[a-z]+>|<[a-z]+/>)|\bxml[A-Z][A-Za-z]*\('
grep_outside() { # pattern, folder allowed
	local d
	for d in util engine store virt policy storage ops; do
		[ "$d" = "$2" ] && continue
		sources "$d"
	done | xargs -r grep -nE "$1" | cut -c1-160
	grep -nE "$1" cmd/*.c | cut -c1-160
}
check "no SQL text outside libcore/store/" grep_outside "$sql" store
check "no libvirt XML outside libcore/virt/" grep_outside "$xml" virt
objects='\brhv_(dc|cluster|host|vm|sd|disk|iso|event|spm|settings|bal|cpu_type|policy|lease|net|fence|snap)_[a-z_]+|RHV_COMP_(DC|CLUSTER|HOST|VM|SD|DISK|ISO|NETWORK|POLICY|CPU_TYPE|SEVERITY|SETTING)'
engine_names() {
	# the engine's public headers count once none of its files is exempt
	{ sources engine; [[ " ${legacy[*]} " == *" libcore/engine/"* ]] || echo libcore/include/rhv/{cli,output}.h; } |
		xargs grep -nE "$objects" | cut -c1-160
}
check "libcore/engine/ knows rows, columns and options, not the objects" engine_names

# ---- 3. calls go down the folders -------------------------------------------
# folder: the folders whose symbols it may use (besides its own)
may_call() {
	case $1 in
	util) echo "" ;;
	engine | policy) echo "util" ;;
	store | virt) echo "util policy" ;;
	storage) echo "util policy store virt" ;;
	ops) echo "util policy store virt storage engine" ;;
	esac
}
objects_of_sources() { local c; for c in libcore/*/*.c; do [ -f "${c%.c}.o" ] && echo "${c%.c}.o"; done; }
nm_table=$(for o in $(objects_of_sources); do
	d=${o#libcore/}
	d=${d%%/*}
	nm -g --defined-only "$o" 2>/dev/null | awk -v d="$d" -v o="$o" 'NF == 3 { print "D", $3, d, o }'
	nm -u "$o" 2>/dev/null | awk -v d="$d" -v o="$o" '{ print "U", $NF, d, o }'
done)
upward() {
	local line
	awk '$1 == "D" { home[$2] = $3 } $1 == "U" && ($2 in home) { print $4, $3, home[$2], $2 }' < <(sort -s -k1,1 <<<"$nm_table") |
		while read -r o from to sym; do
			[ "$from" = "$to" ] && continue
			is_legacy "${o%.o}.c" && continue
			[[ " $(may_call "$from") " == *" $to "* ]] && continue
			echo "${o%.o}.c calls $to/'s $sym"
		done | sort -u
}
check "calls go down the folders (util <- policy <- store, virt <- storage <- ops; util <- engine <- ops)" upward

# ---- 4. names and symbols -----------------------------------------------------
unprefixed() {
	awk '$1 == "D" && $2 !~ /^(rhv_|RHV_)/ { print $4 ": " $2 }' <<<"$nm_table" | sort -u |
		while read -r o sym; do is_legacy "${o%.o:}.c" || echo "$o $sym"; done
}
check "every exported symbol of libcore has the rhv_ prefix" unprefixed
weak() { for o in $(objects_of_sources); do is_legacy "${o%.o}.c" || nm "$o" | awk -v o="$o" '$1 ~ /^[wWvV]$/ && $2 !~ /^_/ { print o ": weak " $2 }'; done; }
check "no weak symbols in libcore" weak

# ---- 5. no two files call each other ---------------------------------------
# A pair of objects that use each other's symbols is one concern in two
# files, or two concerns tangled: split what both use into a third file.
# LEGACY files are not exempt.  Pairs being untangled right now, each to be
# struck off when its fix lands (the test says when one no longer shows):
mutual_allowed=(
)
# the D lines first (sort -s -k1,1): a file may use a symbol of one listed after it
mutual_pairs() { # "a.c b.c<TAB>a's symbol from b<TAB>b's symbol from a", a < b
	awk '$1 == "D" { home[$2] = $4 }
	     $1 == "U" && ($2 in home) && home[$2] != $4 && !(($4, home[$2]) in use) { use[$4, home[$2]] = $2 }
	     END {
		for (k in use) {
			split(k, ab, SUBSEP)
			if (ab[1] < ab[2] && ((ab[2], ab[1]) in use)) {
				a = ab[1]; b = ab[2]
				sub(/\.o$/, ".c", a); sub(/\.o$/, ".c", b)
				printf "%s %s\t%s\t%s\n", a, b, use[ab[1], ab[2]], use[ab[2], ab[1]]
			}
		}
	     }' < <(sort -s -k1,1 <<<"$nm_table") | sort
}
mutual=$(mutual_pairs)
allowed_pair() { # allowlist entry, pair: the same two files in either order
	local a=${1% *} b=${1#* }
	[ "$2" = "$a $b" ] || [ "$2" = "$b $a" ]
}
mutual_calls() {
	local pair a_uses b_uses p
	while IFS=$'\t' read -r pair a_uses b_uses; do
		[ -n "$pair" ] || continue
		for p in "${mutual_allowed[@]}"; do allowed_pair "$p" "$pair" && continue 2; done
		echo "${pair% *} calls ${pair#* }'s $a_uses and ${pair#* } calls ${pair% *}'s $b_uses"
	done <<<"$mutual"
}
check "no two libcore files call each other" mutual_calls
for p in "${mutual_allowed[@]}"; do
	grep -q -e "^$p	" -e "^${p#* } ${p% *}	" <<<"$mutual" || echo "# allowed pair no longer calls each other, strike it off: $p"
done

if [ ${#legacy[@]} -gt 0 ]; then
	echo "# still exempt (Makefile LEGACY): ${legacy[*]}"
fi
echo "1..$n"
