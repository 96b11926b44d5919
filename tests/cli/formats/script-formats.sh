# The machine formats are a contract: scripts depend on these column keys,
# their order and their JSON types.  This file must not change except by
# adding columns at the end of a listing.
for b in rhv-dc rhv-cluster rhv-event rhv-db rhv-snap rhv-net; do
	for v in $("$b" --dump-help | sed -n 's/^verb //p'); do
		"$b" help "$v" | grep -q -- '--list-columns' || continue
		run "$b" "$v" --list-columns -o tsv -H
	done
done
