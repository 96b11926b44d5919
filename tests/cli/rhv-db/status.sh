# Where the store is and what state it is in.
run rhv-db status -c source,reachable,schema_version,program_schema_version,schema_state
run rhv-db status -o json -c source,reachable,schema_state
run rhv-db init
run rhv-db upgrade
run rhv-db upgrade --schema-version 1
run rhv-db upgrade --schema-version 99
run rhv-db upgrade --schema-version x
run rhv-db status --db 'host=/nonexistent dbname=x' -c source,conninfo,reachable
run rhv-db status --db 'postgresql://rhv:s3cret@/nonexistent?host=/nonexistent' -c conninfo,reachable
run rhv-dc list --db 'host=/nonexistent dbname=x'
run rhv-db start
run rhv-db stop
