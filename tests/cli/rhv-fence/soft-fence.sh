# The soft fence command of a host: what the monitor runs over SSH to
# restart its management daemon (reference 4.5), the default unless set.
rhv-dc create Default -q
rhv-cluster create c1 --dc Default --cpu-type nehalem -q
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT 'h' || i, c.id, 'qemu+ssh://root@h' || i || '/system', 'Up'
     FROM clusters c, generate_series(1, 2) i" >/dev/null
run rhv-fence show h1 -c host,soft_fence_command
run rhv-fence setup h1 --soft-fence-command 'systemctl restart libvirtd virtlogd'
run rhv-fence setup h2 --ssh-address 127.0.0.1 --soft-fence-command "$(printf 'sh -c \x27sleep 1;\tsystemctl restart libvirtd\x27')"
run rhv-fence list -c host,soft_fence_command
run rhv-fence show h1 -o json -c host,soft_fence_command
run rhv-fence show h2 -o tsv -c host,soft_fence_command
run sql "SELECT name, soft_fence_cmd FROM hosts ORDER BY name"
# "" resets it: NULL in the store, the default shown
run rhv-fence setup h1 --soft-fence-command ''
run sql "SELECT name, soft_fence_cmd IS NULL FROM hosts ORDER BY name"
run rhv-fence show h1 -c host,soft_fence_command
# bad values: exit 2, one line, nothing changed
sql "SELECT count(*) FROM events" >"$CASE_TMP/before"
run rhv-fence setup h2 --soft-fence-command "$(printf 'systemctl restart libvirtd\nreboot')"
run rhv-fence setup h2 --soft-fence-command "$(printf 'x\r')"
run rhv-fence setup h2 --soft-fence-command '   '
run sh -c 'rhv-fence setup h2 --soft-fence-command "$(head -c 1025 /dev/zero | tr "\0" a)"'
run sh -c 'rhv-fence setup h2 --soft-fence-command "$(printf "\377")"'
run rhv-fence setup nowhere --soft-fence-command 'true'
sql "SELECT count(*) FROM events" >"$CASE_TMP/after"
run diff "$CASE_TMP/before" "$CASE_TMP/after"
run rhv-fence show h2 -c host,soft_fence_command
# 1024 characters is the longest
rhv-fence setup h2 --soft-fence-command "$(printf 'é%.0s' $(seq 1024))" -q
run sql "SELECT char_length(soft_fence_cmd) FROM hosts WHERE name = 'h2'"
run rhv-event list --object host -c object,action,message
