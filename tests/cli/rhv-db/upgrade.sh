# A store at an older schema: refused with the command to run; upgrade keeps data.
sql "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
run rhv-dc list
run rhv-db init --schema-version 1
run rhv-db status -c schema_version,schema_state
sql "INSERT INTO data_centers (name, compat_version) VALUES ('Legacy', '4.0')"
sql "INSERT INTO clusters (name, dc_id, cpu_type, compat_version) SELECT 'old', id, 'penryn', '4.0' FROM data_centers"
run rhv-dc list -c name
run rhv-dc create New
run rhv-db upgrade
run rhv-dc list -c name,clusters,compat_version
run rhv-cluster show old -c name,policy,ha_reservation
run sql "SELECT version, description FROM rhv_schema_version ORDER BY version"
# a schema newer than this program: reads work, writes are refused
sql "INSERT INTO rhv_schema_version (version, description) VALUES (99, 'from the future')"
run rhv-dc list -c name
run rhv-dc create Future
run rhv-db upgrade
run counts
run rhv-event list --object store -c object_type,action,message
