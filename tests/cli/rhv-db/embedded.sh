# The embedded default: nothing configured, rhv-db init creates a private
# PostgreSQL cluster; any command starts it on demand.
export XDG_DATA_HOME="$CASE_TMP/xdg" XDG_CONFIG_HOME="$CASE_TMP/conf"
unset RHV_DB
run rhv-dc list
run rhv-db init
run rhv-db status -c source,data_directory,reachable,schema_state
run rhv-dc create Default
run rhv-db stop
run rhv-db status -c reachable
run rhv-dc list -c name
run rhv-db start
run rhv-db init
run stat -c '%A' "$XDG_DATA_HOME/rhv/pg"
run rhv-db stop
# a config file names another store and wins over the embedded default
mkdir -p "$XDG_CONFIG_HOME/rhv"
echo "db = host=/nonexistent dbname=elsewhere" >"$XDG_CONFIG_HOME/rhv/rhv.conf"
run rhv-db status -c source,config_file,conninfo,reachable
run rhv-db start
echo "database = host=x" >"$XDG_CONFIG_HOME/rhv/rhv.conf"
run rhv-dc list
echo "db" >"$XDG_CONFIG_HOME/rhv/rhv.conf"
run rhv-dc list
rm "$XDG_CONFIG_HOME/rhv/rhv.conf"
run rhv-db stop
run rhv-event list -c object_type,action,message
run rhv-db stop
