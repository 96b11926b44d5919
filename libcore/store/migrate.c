/*
 * The schema as a sequence of versioned migrations compiled into every
 * binary.  Append only: a released migration is never edited.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "store/store-priv.h"
#include "rhv/event.h"

struct migration {
	int version;
	const char *description;
	const char *sql; /* DDL only: no values, so PQexec's multi-statement form is safe */
};

static const struct migration migrations[] = {
	{ 1, "data centers, clusters and the audit log",
	  "CREATE TABLE IF NOT EXISTS rhv_schema_version ("
	  "  version int PRIMARY KEY,"
	  "  description text NOT NULL,"
	  "  applied_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE TABLE data_centers ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  name text NOT NULL CONSTRAINT data_centers_name_key UNIQUE"
	  "    CHECK (char_length(name) BETWEEN 1 AND 40),"
	  "  description text NOT NULL DEFAULT '',"
	  "  storage_type text NOT NULL DEFAULT 'shared' CHECK (storage_type IN ('shared', 'local')),"
	  "  compat_version text NOT NULL,"
	  "  status text NOT NULL DEFAULT 'Uninitialized',"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE TABLE clusters ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  name text NOT NULL CONSTRAINT clusters_name_key UNIQUE"
	  "    CHECK (char_length(name) BETWEEN 1 AND 40),"
	  "  dc_id uuid NOT NULL REFERENCES data_centers (id) ON DELETE RESTRICT,"
	  "  description text NOT NULL DEFAULT '',"
	  "  cpu_type text NOT NULL,"
	  "  compat_version text NOT NULL,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE INDEX clusters_dc_idx ON clusters (dc_id);"
	  "CREATE TABLE events ("
	  "  id bigserial PRIMARY KEY,"
	  "  time timestamptz NOT NULL DEFAULT clock_timestamp(),"
	  "  actor text NOT NULL,"
	  "  db_user text NOT NULL DEFAULT session_user,"
	  "  severity text NOT NULL CHECK (severity IN ('NORMAL', 'WARNING', 'ERROR', 'ALERT')),"
	  "  object_type text NOT NULL,"
	  "  object_id uuid,"
	  "  object_name text,"
	  "  action text NOT NULL,"
	  "  message text NOT NULL);"
	  "CREATE INDEX events_time_idx ON events (time);"
	  "CREATE INDEX events_object_idx ON events (object_type, object_name);" },
	{ 2, "cluster scheduling policies and HA reservation",
	  "ALTER TABLE clusters"
	  "  ADD COLUMN scheduling_policy text NOT NULL DEFAULT 'none',"
	  "  ADD COLUMN ha_reservation boolean NOT NULL DEFAULT false;"
	  "CREATE TABLE cluster_policy_params ("
	  "  cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,"
	  "  key text NOT NULL,"
	  "  value text NOT NULL,"
	  "  PRIMARY KEY (cluster_id, key));" },
	{ 3, "hosts, virtual machines, usage samples and settings",
	  "CREATE TABLE settings ("
	  "  key text PRIMARY KEY,"
	  "  value text NOT NULL,"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE TABLE hosts ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  name text NOT NULL CONSTRAINT hosts_name_key UNIQUE CHECK (char_length(name) BETWEEN 1 AND 255),"
	  "  cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,"
	  "  uri text NOT NULL CONSTRAINT hosts_uri_key UNIQUE,"
	  "  spm_priority int NOT NULL DEFAULT 5 CHECK (spm_priority BETWEEN -1 AND 10),"
	  "  memory_limit bigint CHECK (memory_limit > 0),"
	  "  emulated boolean NOT NULL DEFAULT false,"
	  "  state text NOT NULL,"
	  "  state_reason text,"
	  "  state_since timestamptz NOT NULL DEFAULT now(),"
	  "  unreachable_since timestamptz,"
	  "  is_spm boolean NOT NULL DEFAULT false,"
	  "  libvirt_uuid uuid,"
	  "  hostname text,"
	  "  cpu_vendor text, cpu_model text, cpu_flags text[],"
	  "  sockets int, cores int, threads int, cpus int,"
	  "  memory bigint,"
	  "  kvm boolean,"
	  "  libvirt_version text, qemu_version text,"
	  "  cpu_pct real, mem_used bigint,"
	  "  cpu_ticks_total bigint, cpu_ticks_idle bigint,"
	  "  last_seen timestamptz,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE INDEX hosts_cluster_idx ON hosts (cluster_id);"
	  "CREATE TABLE vms ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  name text NOT NULL CONSTRAINT vms_name_key UNIQUE CHECK (char_length(name) BETWEEN 1 AND 64),"
	  "  cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,"
	  "  description text NOT NULL DEFAULT '',"
	  "  memory bigint NOT NULL CHECK (memory > 0),"
	  "  vcpus int NOT NULL CHECK (vcpus BETWEEN 1 AND 288),"
	  "  graphics text, video text, sound text,"
	  "  balloon boolean NOT NULL DEFAULT false,"
	  "  ha boolean NOT NULL DEFAULT false,"
	  "  pin_host_id uuid REFERENCES hosts (id) ON DELETE RESTRICT,"
	  "  state text NOT NULL DEFAULT 'Down',"
	  "  state_since timestamptz NOT NULL DEFAULT now(),"
	  /* one host at a time: a VM's place is a column, not a row per host */
	  "  host_id uuid REFERENCES hosts (id) ON DELETE RESTRICT,"
	  "  migrating_to uuid REFERENCES hosts (id) ON DELETE RESTRICT,"
	  "  run_token bigint NOT NULL DEFAULT 0,"
	  "  cpu_pct real, mem_used bigint, cpu_time bigint,"
	  "  last_sample timestamptz,"
	  "  last_migration timestamptz,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CHECK ((state = 'Down') = (host_id IS NULL)),"
	  "  CHECK (migrating_to IS NULL OR state = 'MigratingFrom'));"
	  "CREATE INDEX vms_cluster_idx ON vms (cluster_id);"
	  "CREATE INDEX vms_host_idx ON vms (host_id);"
	  "CREATE INDEX vms_migrating_idx ON vms (migrating_to) WHERE migrating_to IS NOT NULL;"
	  /* oVirt's MAC pool prefix; a wider range than its default 150 addresses */
	  "CREATE SEQUENCE vm_mac_seq START 337 MINVALUE 337 MAXVALUE 65535;"
	  "CREATE TABLE vm_nics ("
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  idx int NOT NULL,"
	  "  network text NOT NULL,"
	  "  model text NOT NULL,"
	  "  mac macaddr NOT NULL CONSTRAINT vm_nics_mac_key UNIQUE,"
	  "  PRIMARY KEY (vm_id, idx));"
	  "CREATE TABLE vm_addresses ("
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  key text NOT NULL,"
	  "  address text NOT NULL,"
	  "  PRIMARY KEY (vm_id, key));"
	  "CREATE TABLE host_samples ("
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  time timestamptz NOT NULL DEFAULT now(),"
	  "  cpu_pct real NOT NULL,"
	  "  mem_used bigint NOT NULL,"
	  "  vms int NOT NULL);"
	  "CREATE INDEX host_samples_idx ON host_samples (host_id, time);"
	  "CREATE TABLE vm_samples ("
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  time timestamptz NOT NULL DEFAULT now(),"
	  "  host_id uuid,"
	  "  cpu_pct real NOT NULL,"
	  "  mem_used bigint NOT NULL);"
	  "CREATE INDEX vm_samples_idx ON vm_samples (vm_id, time);"
	  "CREATE TABLE unknown_guests ("
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  uuid uuid NOT NULL,"
	  "  name text NOT NULL,"
	  "  first_seen timestamptz NOT NULL DEFAULT now(),"
	  "  last_seen timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (host_id, uuid));" },
	{ 4, "storage domains, the SPM, disks",
	  /* The id is the one in the domain's metadata on storage (import keeps it). */
	  "CREATE TABLE storage_domains ("
	  "  id uuid PRIMARY KEY,"
	  "  name text NOT NULL CONSTRAINT storage_domains_name_key UNIQUE"
	  "    CHECK (char_length(name) BETWEEN 1 AND 50),"
	  "  description text NOT NULL DEFAULT '',"
	  "  role text NOT NULL CHECK (role IN ('data', 'iso', 'export')),"
	  "  kind text NOT NULL CHECK (kind IN ('nfs', 'posixfs', 'glusterfs', 'local', 'iscsi', 'fcp')),"
	  "  path text CONSTRAINT storage_domains_path_key UNIQUE,"
	  "  size bigint, free bigint,"
	  "  checked_at timestamptz,"
	  "  warning_pct int NOT NULL DEFAULT 10 CHECK (warning_pct BETWEEN 0 AND 100),"
	  "  critical_gib int NOT NULL DEFAULT 5 CHECK (critical_gib >= 0),"
	  "  below_critical boolean NOT NULL DEFAULT false,"
	  "  extend_chunk_mib int NOT NULL DEFAULT 2560 CHECK (extend_chunk_mib BETWEEN 128 AND 65536),"
	  "  extend_threshold_pct int NOT NULL DEFAULT 20 CHECK (extend_threshold_pct BETWEEN 1 AND 99),"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CHECK ((kind IN ('iscsi', 'fcp')) = (path IS NULL)),"
	  "  CHECK (role = 'data' OR kind NOT IN ('iscsi', 'fcp')));"
	  "CREATE TABLE storage_domain_luns ("
	  "  domain_id uuid NOT NULL REFERENCES storage_domains (id) ON DELETE CASCADE,"
	  "  lun_id text NOT NULL CONSTRAINT storage_domain_luns_lun_key UNIQUE,"
	  "  size bigint NOT NULL CHECK (size > 0),"
	  "  PRIMARY KEY (domain_id, lun_id));"
	  /* role is a copy of the domain's, so the attachment rules can be constraints */
	  "CREATE TABLE storage_domain_dc ("
	  "  domain_id uuid NOT NULL REFERENCES storage_domains (id) ON DELETE CASCADE,"
	  "  dc_id uuid NOT NULL REFERENCES data_centers (id) ON DELETE RESTRICT,"
	  "  role text NOT NULL,"
	  "  status text NOT NULL DEFAULT 'Maintenance'"
	  "    CHECK (status IN ('Maintenance', 'Active', 'Inactive', 'Locked')),"
	  "  status_reason text,"
	  "  status_since timestamptz NOT NULL DEFAULT now(),"
	  "  is_master boolean NOT NULL DEFAULT false,"
	  "  PRIMARY KEY (domain_id, dc_id),"
	  "  CHECK (NOT is_master OR role = 'data'));"
	  "CREATE UNIQUE INDEX storage_domain_dc_data_key ON storage_domain_dc (domain_id) WHERE role = 'data';"
	  "CREATE UNIQUE INDEX storage_domain_dc_export_key ON storage_domain_dc (domain_id)"
	  "  WHERE role = 'export' AND status = 'Active';"
	  "CREATE UNIQUE INDEX storage_domain_dc_master_key ON storage_domain_dc (dc_id) WHERE is_master;"
	  "CREATE INDEX storage_domain_dc_dc_idx ON storage_domain_dc (dc_id);"
	  "ALTER TABLE data_centers"
	  "  ADD COLUMN spm_host_id uuid REFERENCES hosts (id) ON DELETE SET NULL,"
	  "  ADD COLUMN spm_generation bigint NOT NULL DEFAULT 0 CHECK (spm_generation >= 0),"
	  "  ADD COLUMN spm_since timestamptz;"
	  "ALTER TABLE hosts ADD COLUMN confirmed_down_at timestamptz;"
	  /* sanlock-style host ids (1..2000) for the lease, one namespace per data center */
	  "CREATE TABLE spm_host_ids ("
	  "  dc_id uuid NOT NULL REFERENCES data_centers (id) ON DELETE CASCADE,"
	  "  host_id uuid NOT NULL CONSTRAINT spm_host_ids_host_key UNIQUE REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  spm_id int NOT NULL CHECK (spm_id BETWEEN 1 AND 2000),"
	  "  PRIMARY KEY (dc_id, spm_id));"
	  "CREATE TABLE spm_failed ("
	  "  dc_id uuid NOT NULL REFERENCES data_centers (id) ON DELETE CASCADE,"
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  reason text NOT NULL,"
	  "  failed_at timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (dc_id, host_id));"
	  "CREATE TABLE host_domain_status ("
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  domain_id uuid NOT NULL REFERENCES storage_domains (id) ON DELETE CASCADE,"
	  "  reachable boolean NOT NULL,"
	  "  error text,"
	  "  checked_at timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (host_id, domain_id));"
	  /* A disk is an image; volume_id is its top volume (the chain is in the domain's metadata). */
	  "CREATE TABLE disks ("
	  "  id uuid PRIMARY KEY,"
	  "  name text NOT NULL CONSTRAINT disks_name_key UNIQUE CHECK (char_length(name) BETWEEN 1 AND 255),"
	  "  description text NOT NULL DEFAULT '',"
	  "  domain_id uuid NOT NULL REFERENCES storage_domains (id) ON DELETE RESTRICT,"
	  "  volume_id uuid NOT NULL,"
	  "  format text NOT NULL CHECK (format IN ('raw', 'qcow2')),"
	  "  allocation text NOT NULL CHECK (allocation IN ('sparse', 'preallocated')),"
	  "  size bigint NOT NULL CHECK (size > 0),"
	  "  actual bigint,"
	  "  status text NOT NULL DEFAULT 'Locked' CHECK (status IN ('Locked', 'OK', 'Illegal')),"
	  "  operation text,"
	  "  target_domain_id uuid REFERENCES storage_domains (id) ON DELETE RESTRICT,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CHECK (format = 'raw' OR allocation = 'sparse'));"
	  "CREATE INDEX disks_domain_idx ON disks (domain_id);"
	  "CREATE TABLE vm_disks ("
	  "  disk_id uuid PRIMARY KEY REFERENCES disks (id) ON DELETE RESTRICT,"
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  interface text NOT NULL CHECK (interface IN ('virtio', 'ide')),"
	  "  target text NOT NULL,"
	  "  bootable boolean NOT NULL DEFAULT false,"
	  "  CONSTRAINT vm_disks_target_key UNIQUE (vm_id, target));"
	  "ALTER TABLE vms"
	  "  ADD COLUMN cdrom_domain_id uuid REFERENCES storage_domains (id) ON DELETE RESTRICT,"
	  "  ADD COLUMN cdrom_file text,"
	  "  ADD COLUMN cdrom_target text,"
	  "  ADD COLUMN paused_reason text,"
	  "  ADD CHECK ((cdrom_domain_id IS NULL) = (cdrom_file IS NULL));"
	  "CREATE TABLE vm_disk_samples ("
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  disk_id uuid NOT NULL REFERENCES disks (id) ON DELETE CASCADE,"
	  "  time timestamptz NOT NULL DEFAULT now(),"
	  "  capacity bigint, allocation bigint, physical bigint,"
	  "  PRIMARY KEY (vm_id, disk_id));" },
	{ 5, "clusters take their CPU type from their first host; hosts record the types they can run",
	  "ALTER TABLE clusters ALTER COLUMN cpu_type DROP NOT NULL;"
	  "ALTER TABLE hosts ADD COLUMN cpu_types text[];" },
};

/* Serializes concurrent migrations across processes ("rhv" in ASCII). */
static const char MIGRATION_LOCK[] = "7497846";

int rhv_db_schema_latest(void)
{
	return migrations[RHV_ARRAY_SIZE(migrations) - 1].version;
}

int rhv_db_migrations_check(char *why, size_t len)
{
	for (size_t i = 0; i < RHV_ARRAY_SIZE(migrations); i++) {
		if (migrations[i].version != (int)i + 1)
			return snprintf(why, len, "migration %zu has version %d", i, migrations[i].version), -1;
		if (!migrations[i].description[0] || !migrations[i].sql[0])
			return snprintf(why, len, "migration %d is empty", migrations[i].version), -1;
	}
	return 0;
}

struct step {
	const struct migration *m;
	bool applied;
};

static int apply_one(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct step *s = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	PGresult *ddl;
	char version[16];

	if (rhv_db_exec(db, "SELECT pg_advisory_xact_lock($1::bigint)", RHV_PARAMS(MIGRATION_LOCK), NULL, err) < 0)
		return -1;
	/* Re-read under the lock: another process may have applied it already. */
	PGresult *probe = PQexec(db->conn, "SELECT to_regclass('rhv_schema_version') IS NOT NULL AS t");
	bool have_table = PQresultStatus(probe) == PGRES_TUPLES_OK && rhv_pq_bool(probe, 0, "t");

	PQclear(probe);
	snprintf(version, sizeof(version), "%d", s->m->version);
	if (have_table) {
		if (rhv_db_exec(db, "SELECT 1 FROM rhv_schema_version WHERE version = $1::int", RHV_PARAMS(version),
				&r, err) < 0)
			return -1;
		if (PQntuples(r) > 0)
			return 0;
	}
	ddl = PQexec(db->conn, s->m->sql);
	if (PQresultStatus(ddl) != PGRES_COMMAND_OK) {
		rhv_db_map_error(db, ddl, err);
		rhv_error_detail(err, "while applying schema migration %d (%s)", s->m->version, s->m->description);
		PQclear(ddl);
		return -1;
	}
	PQclear(ddl);
	if (rhv_db_exec(db, "INSERT INTO rhv_schema_version (version, description) VALUES ($1::int, $2)",
			RHV_PARAMS(version, s->m->description), NULL, err) < 0)
		return -1;
	s->applied = true;
	return rhv_event_add(db, RHV_SEV_NORMAL, "store", NULL, NULL, "upgrade", err,
			     "schema migration %d applied: %s", s->m->version, s->m->description);
}

int rhv_db_migrate(struct rhv_db *db, int target, int *from, int *to, struct rhv_error *err)
{
	int latest = rhv_db_schema_latest();

	if (target <= 0)
		target = latest;
	if (target > latest)
		return rhv_error_usage(err, "invalid schema version %d: this program knows versions 1 to %d", target,
				       latest);
	*from = *to = db->schema_version;
	if (db->schema_version > latest) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store's schema is version %d, newer than this program's %d",
			      db->schema_version, latest);
		return -1;
	}
	if (target < db->schema_version) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store's schema is already at version %d; downgrades are not supported",
			      db->schema_version);
		return -1;
	}
	for (size_t i = 0; i < RHV_ARRAY_SIZE(migrations); i++) {
		struct step s = { &migrations[i], false };

		if (migrations[i].version <= db->schema_version || migrations[i].version > target)
			continue;
		if (rhv_db_txn(db, apply_one, &s, err) < 0)
			return -1;
		db->schema_version = migrations[i].version;
		*to = db->schema_version;
	}
	return 0;
}
