# bash completion for the rhv-* tools.  Nothing here knows a verb or an
# option: every answer comes from the binary's own command table
# ("rhv-x __complete -- WORDS..."), object names from the store.

_rhv() {
	local cur words cword
	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n =: cur words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
	fi
	local IFS=$'\n' c
	COMPREPLY=()
	for c in $("${words[0]}" __complete -- "${words[@]:1:cword}" 2>/dev/null); do
		COMPREPLY+=("$(printf '%q' "$c")")
	done
	# after "--opt=" bash replaces only the part past the '='
	if [[ $cur == --*=* ]] && [[ $COMP_WORDBREAKS == *=* ]]; then
		COMPREPLY=("${COMPREPLY[@]#"${cur%%=*}="}")
	fi
}

complete -o default -F _rhv rhv-db rhv-dc rhv-cluster rhv-event rhv-host rhv-vm rhv-balance rhv-sd rhv-disk rhv-fence rhv-snap rhv-net
