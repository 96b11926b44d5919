# What a data center refuses, each with its exit code and nothing changed.
run rhv-dc create Default
run rhv-dc create Default
run rhv-dc create 'Default '
run rhv-dc create 01234567890123456789012345678901234567890
run rhv-dc create "$(printf 'a\033[31mred')"
run rhv-dc create x --storage-type nfs
run rhv-dc create x --compat-version 5.0
run rhv-dc create x --description "$(printf 'line\nbreak')"
run rhv-dc show nope
run rhv-dc edit nope --description x
run rhv-dc edit Default
run rhv-dc remove nope
run rhv-cluster create c1 --dc Default --cpu-type haswell
run rhv-dc remove Default
run rhv-dc edit Default --storage-type local
run rhv-dc create Other
run rhv-dc edit Other --name Default
run counts
