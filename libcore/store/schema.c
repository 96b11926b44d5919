/*
 * The schema as a sequence of versioned migrations compiled into every
 * binary.  Append only: a released migration is never edited.  Applying
 * them is migrate.c's; opening a store (conn.c) only compares versions.
 */
#include "rhv/common.h"

#include <stdio.h>

#include "store/store-priv.h"

static const struct rhv_db_migration migrations[] = {
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
	{ 6, "power management: fence agents, their passwords, proxies and SSH access of hosts",
	  "ALTER TABLE hosts"
	  "  ADD COLUMN pm_enabled boolean NOT NULL DEFAULT false,"
	  "  ADD COLUMN fence_proxies text NOT NULL DEFAULT 'cluster,dc',"
	  "  ADD COLUMN ssh_address text,"
	  "  ADD COLUMN ssh_port int CHECK (ssh_port BETWEEN 1 AND 65535),"
	  "  ADD COLUMN ssh_user text,"
	  "  ADD COLUMN ssh_key text,"
	  "  ADD COLUMN ssh_known_hosts text;"
	  /* agent_order: 'order' is a keyword */
	  "CREATE TABLE fence_agents ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  idx int NOT NULL CHECK (idx >= 1),"
	  "  agent_order int NOT NULL CHECK (agent_order BETWEEN 1 AND 100),"
	  "  type text NOT NULL,"
	  "  address text NOT NULL CHECK (char_length(address) BETWEEN 1 AND 255),"
	  "  port int CHECK (port BETWEEN 1 AND 65535),"
	  "  username text,"
	  "  options text NOT NULL DEFAULT '',"
	  "  concurrent boolean NOT NULL DEFAULT false,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CONSTRAINT fence_agents_host_idx_key UNIQUE (host_id, idx));"
	  /* apart, so that grants on the agents never reach the passwords: only the store's owner reads them */
	  "CREATE TABLE fence_agent_secrets ("
	  "  agent_id uuid PRIMARY KEY REFERENCES fence_agents (id) ON DELETE CASCADE,"
	  "  password text NOT NULL);"
	  "REVOKE ALL ON fence_agent_secrets FROM PUBLIC;" },
	{ 7, "fencing policy of clusters, host outages, soft fencing, HA restarts and power saving",
	  "ALTER TABLE clusters"
	  "  ADD COLUMN fencing_enabled boolean NOT NULL DEFAULT true,"
	  "  ADD COLUMN fencing_skip_percent int NOT NULL DEFAULT 50 CHECK (fencing_skip_percent BETWEEN 0 AND 100),"
	  "  ADD COLUMN fencing_skip_lease boolean NOT NULL DEFAULT true,"
	  "  ADD COLUMN fencing_startup_grace int NOT NULL DEFAULT 300"
	  "    CHECK (fencing_startup_grace BETWEEN 0 AND 86400);"
	  /* one outage of a host, as the monitor tracks it; cleared when it answers again */
	  "ALTER TABLE hosts"
	  "  ADD COLUMN failed_checks int NOT NULL DEFAULT 0 CHECK (failed_checks >= 0),"
	  "  ADD COLUMN soft_fenced_at timestamptz,"
	  "  ADD COLUMN nonresponsive_at timestamptz,"
	  "  ADD COLUMN fence_attempt_at timestamptz,"
	  "  ADD COLUMN recovery_note text,"
	  "  ADD COLUMN soft_fence_cmd text,"
	  "  ADD COLUMN power_saving_off boolean NOT NULL DEFAULT false;"
	  /* oVirt's HA priorities: low 1, medium 50, high 100 */
	  "ALTER TABLE vms"
	  "  ADD COLUMN ha_priority int NOT NULL DEFAULT 1 CHECK (ha_priority BETWEEN 1 AND 100),"
	  "  ADD COLUMN ha_pending_since timestamptz,"
	  "  ADD COLUMN ha_tries int NOT NULL DEFAULT 0 CHECK (ha_tries >= 0),"
	  "  ADD COLUMN ha_last_try timestamptz,"
	  "  ADD COLUMN ha_last_error text;"
	  "CREATE INDEX vms_ha_pending_idx ON vms (ha_pending_since) WHERE ha_pending_since IS NOT NULL;"
	  /* when the monitor started watching: no fencing within a cluster's startup grace of it */
	  "CREATE TABLE monitor_watch ("
	  "  id int PRIMARY KEY CHECK (id = 1),"
	  "  started_at timestamptz NOT NULL DEFAULT now(),"
	  "  last_pass_at timestamptz NOT NULL DEFAULT now());" },
	{ 8, "VM snapshots: points in time of a VM's disks and configuration, their volumes, previews and merge jobs",
	  /* the VM's configuration as it was; volumes per disk in snapshot_disks */
	  "CREATE TABLE snapshots ("
	  "  id uuid PRIMARY KEY,"
	  "  vm_id uuid NOT NULL REFERENCES vms (id) ON DELETE CASCADE,"
	  "  description text NOT NULL DEFAULT '',"
	  "  status text NOT NULL DEFAULT 'Locked' CHECK (status IN ('Locked', 'OK', 'InPreview', 'Broken')),"
	  "  operation text CHECK (operation IN ('create', 'delete', 'preview', 'commit', 'undo')),"
	  "  live boolean NOT NULL DEFAULT false,"
	  "  quiesced boolean NOT NULL DEFAULT false,"
	  "  memory bigint NOT NULL CHECK (memory > 0),"
	  "  vcpus int NOT NULL CHECK (vcpus > 0),"
	  "  nics text NOT NULL DEFAULT '',"
	  "  error text,"
	  /* a live create asks the guest to switch to the new layers: from then on it may be using them */
	  "  switching boolean NOT NULL DEFAULT false,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE INDEX snapshots_vm_idx ON snapshots (vm_id, created_at);"
	  /*
	   * volume_id holds the disk as it was (the top when the snapshot was
	   * taken, read-only since); new_volume_id the layer being made on top
	   * of it (create) or the preview layer (preview), NULL otherwise.
	   */
	  "CREATE TABLE snapshot_disks ("
	  "  snapshot_id uuid NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,"
	  "  disk_id uuid NOT NULL REFERENCES disks (id) ON DELETE CASCADE,"
	  "  volume_id uuid NOT NULL,"
	  "  new_volume_id uuid,"
	  "  PRIMARY KEY (snapshot_id, disk_id));"
	  "CREATE INDEX snapshot_disks_disk_idx ON snapshot_disks (disk_id);"
	  /* a preview: the active layer kept aside, and the VM's configuration before it */
	  "ALTER TABLE disks ADD COLUMN aside_volume_id uuid;"
	  "ALTER TABLE vms"
	  "  ADD COLUMN preview_memory bigint,"
	  "  ADD COLUMN preview_vcpus int;"
	  /*
	   * A merge (snapshot delete), one row per disk: the data of top goes
	   * into base, child (NULL: top is the active layer) is re-based on
	   * base, top goes.  The row lives until the merge is finished.
	   */
	  "CREATE TABLE snapshot_jobs ("
	  "  snapshot_id uuid NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,"
	  "  disk_id uuid NOT NULL REFERENCES disks (id) ON DELETE CASCADE,"
	  "  base_volume_id uuid NOT NULL,"
	  "  top_volume_id uuid NOT NULL,"
	  "  child_volume_id uuid,"
	  "  live boolean NOT NULL,"
	  "  phase text NOT NULL DEFAULT 'merge' CHECK (phase IN ('merge', 'pivot', 'cleanup')),"
	  "  done_bytes bigint NOT NULL DEFAULT 0,"
	  "  total_bytes bigint NOT NULL DEFAULT 0,"
	  "  error text,"
	  "  started_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (snapshot_id, disk_id));" },
	{ 9, "logical networks, their clusters and roles, vNIC profiles, MAC address pools",
	  /* a logical network of a data center (reference 3.11); name unique per data center */
	  "CREATE TABLE networks ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  dc_id uuid NOT NULL REFERENCES data_centers (id) ON DELETE CASCADE,"
	  "  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),"
	  "  description text NOT NULL DEFAULT '',"
	  "  vm_network boolean NOT NULL DEFAULT true,"
	  "  vlan int CHECK (vlan BETWEEN 0 AND 4094),"
	  "  mtu int CHECK (mtu BETWEEN 68 AND 65535),"
	  "  label text,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CONSTRAINT networks_dc_name_key UNIQUE (dc_id, name));"
	  /* a network attached to a cluster; each role on one network of the cluster at most */
	  "CREATE TABLE cluster_networks ("
	  "  cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,"
	  "  network_id uuid NOT NULL REFERENCES networks (id) ON DELETE RESTRICT,"
	  "  required boolean NOT NULL DEFAULT true,"
	  "  management boolean NOT NULL DEFAULT false,"
	  "  display boolean NOT NULL DEFAULT false,"
	  "  migration boolean NOT NULL DEFAULT false,"
	  "  PRIMARY KEY (cluster_id, network_id),"
	  "  CHECK (required OR NOT management));"
	  "CREATE INDEX cluster_networks_network_idx ON cluster_networks (network_id);"
	  "CREATE UNIQUE INDEX cluster_networks_management_key ON cluster_networks (cluster_id) WHERE management;"
	  "CREATE UNIQUE INDEX cluster_networks_display_key ON cluster_networks (cluster_id) WHERE display;"
	  "CREATE UNIQUE INDEX cluster_networks_migration_key ON cluster_networks (cluster_id) WHERE migration;"
	  /*
	   * A vNIC profile (reference 3.7, 3.14): QoS as libvirt's <bandwidth>
	   * takes it, average and peak in KiB/s, burst in KiB (NULL: none),
	   * converted as oVirt does (Mbps * 125, MiB * 1024).
	   */
	  "CREATE TABLE vnic_profiles ("
	  "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	  "  network_id uuid NOT NULL REFERENCES networks (id) ON DELETE CASCADE,"
	  "  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),"
	  "  description text NOT NULL DEFAULT '',"
	  "  port_mirroring boolean NOT NULL DEFAULT false,"
	  "  in_average bigint, in_peak bigint, in_burst bigint,"
	  "  out_average bigint, out_peak bigint, out_burst bigint,"
	  "  created_at timestamptz NOT NULL DEFAULT now(),"
	  "  updated_at timestamptz NOT NULL DEFAULT now(),"
	  "  CONSTRAINT vnic_profiles_network_name_key UNIQUE (network_id, name),"
	  "  CHECK ((in_average IS NULL) = (in_peak IS NULL) AND (in_peak IS NULL) = (in_burst IS NULL)),"
	  "  CHECK ((out_average IS NULL) = (out_peak IS NULL) AND (out_peak IS NULL) = (out_burst IS NULL)));"
	  /* MAC addresses as numbers, for the pool's ranges */
	  "CREATE FUNCTION rhv_mac_num(macaddr) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS"
	  "  $$SELECT ('x' || lpad(replace($1::text, ':', ''), 16, '0'))::bit(64)::bigint$$;"
	  "CREATE FUNCTION rhv_mac_of(bigint) RETURNS macaddr LANGUAGE sql IMMUTABLE STRICT AS"
	  "  $$SELECT lpad(to_hex($1), 12, '0')::macaddr$$;"
	  "CREATE TABLE mac_pools ("
	  "  dc_id uuid PRIMARY KEY REFERENCES data_centers (id) ON DELETE CASCADE,"
	  "  allow_duplicates boolean NOT NULL DEFAULT false,"
	  "  updated_at timestamptz NOT NULL DEFAULT now());"
	  "CREATE TABLE mac_pool_ranges ("
	  "  dc_id uuid NOT NULL REFERENCES mac_pools (dc_id) ON DELETE CASCADE,"
	  "  first_mac macaddr NOT NULL,"
	  "  last_mac macaddr NOT NULL,"
	  "  PRIMARY KEY (dc_id, first_mac),"
	  "  CHECK (first_mac <= last_mac));"
	  /* the pool hands out MACs now; uniqueness is its rule, duplicates may be allowed */
	  "ALTER TABLE vm_nics DROP CONSTRAINT vm_nics_mac_key;"
	  "CREATE INDEX vm_nics_mac_idx ON vm_nics (rhv_mac_num(mac));"
	  "ALTER TABLE vm_nics ADD COLUMN profile_id uuid REFERENCES vnic_profiles (id) ON DELETE RESTRICT;"
	  "CREATE INDEX vm_nics_profile_idx ON vm_nics (profile_id);"
	  "DROP SEQUENCE vm_mac_seq;"
	  /* what every data center and cluster has from the start, for those there are */
	  "INSERT INTO networks (dc_id, name, description) SELECT id, 'ovirtmgmt', 'Management Network'"
	  "  FROM data_centers;"
	  "INSERT INTO vnic_profiles (network_id, name) SELECT id, name FROM networks;"
	  "INSERT INTO cluster_networks (cluster_id, network_id, management, display, migration)"
	  "  SELECT c.id, n.id, true, true, true FROM clusters c JOIN networks n ON n.dc_id = c.dc_id;"
	  /* the range the sequence drew from: oVirt's default start, wider than its 150 addresses */
	  "INSERT INTO mac_pools (dc_id) SELECT id FROM data_centers;"
	  "INSERT INTO mac_pool_ranges (dc_id, first_mac, last_mac)"
	  "  SELECT dc_id, '00:1a:4a:16:01:51', '00:1a:4a:16:ff:ff' FROM mac_pools;"
	  "UPDATE vm_nics x SET profile_id = p.id FROM vms v, clusters c, networks n, vnic_profiles p"
	  "  WHERE v.id = x.vm_id AND c.id = v.cluster_id AND n.dc_id = c.dc_id AND n.name = x.network"
	  "  AND p.network_id = n.id AND p.name = n.name;"
	  "ALTER TABLE vm_nics ALTER COLUMN profile_id SET NOT NULL;" },
	{ 10, "host NICs and bonds as found on the host, the networks set up on them",
	  /*
	   * What discovery found on a host (rhv-net host-nics): NICs and bonds,
	   * replaced as a whole on every discovery; labels (reference 3.9) are the
	   * toolkit's and survive it.
	   */
	  "CREATE TABLE host_nics ("
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 15),"
	  "  kind text NOT NULL CHECK (kind IN ('nic', 'bond')),"
	  "  bond text,"
	  "  bond_mode int CHECK (bond_mode BETWEEN 0 AND 6),"
	  "  mac macaddr,"
	  "  mtu int,"
	  "  speed_mbps int,"
	  "  link_up boolean NOT NULL DEFAULT false,"
	  "  addresses text[] NOT NULL DEFAULT '{}',"
	  "  labels text[] NOT NULL DEFAULT '{}',"
	  "  seen_at timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (host_id, name),"
	  "  CHECK ((kind = 'bond') = (bond_mode IS NOT NULL)),"
	  "  CHECK (kind = 'nic' OR bond IS NULL));"
	  /*
	   * A network set up on a host (rhv-net host-setup): the NIC or bond under
	   * it, the bridge guests' taps join (VM networks; NULL otherwise), and the
	   * VLAN and MTU as applied, which sync compares with the definition.
	   */
	  "CREATE TABLE host_networks ("
	  "  host_id uuid NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,"
	  "  network_id uuid NOT NULL REFERENCES networks (id) ON DELETE CASCADE,"
	  "  nic text NOT NULL,"
	  "  bridge text,"
	  "  vlan int CHECK (vlan BETWEEN 0 AND 4094),"
	  "  mtu int CHECK (mtu BETWEEN 68 AND 65535),"
	  "  address text,"
	  "  in_sync boolean NOT NULL DEFAULT true,"
	  "  sync_reason text,"
	  "  applied_at timestamptz NOT NULL DEFAULT now(),"
	  "  PRIMARY KEY (host_id, network_id),"
	  "  CHECK (in_sync = (sync_reason IS NULL)));"
	  "CREATE INDEX host_networks_network_idx ON host_networks (network_id);"
	  "CREATE UNIQUE INDEX host_networks_bridge_key ON host_networks (host_id, bridge);" },
	{ 11, "the guest memory a VM snapshot saves, its restore at the first start of a preview, NICs restored by previews",
	  /*
	   * The memory image (reference 8.2) is an image of its own on the domain
	   * of the snapshot's first disk, named at the claim so an interrupted
	   * create knows what to remove.  restore_memory: the previewed snapshot's
	   * memory is to be restored at the VM's next start (once).
	   */
	  "ALTER TABLE snapshots"
	  /* a domain removed takes the image with it: the snapshot keeps its disks */
	  "  ADD COLUMN memory_domain_id uuid REFERENCES storage_domains (id) ON DELETE SET NULL,"
	  "  ADD COLUMN memory_image_id uuid,"
	  "  ADD COLUMN memory_volume_id uuid,"
	  "  ADD COLUMN memory_bytes bigint CHECK (memory_bytes >= 0),"
	  "  ADD COLUMN restore_memory boolean NOT NULL DEFAULT false,"
	  "  ADD CHECK ((memory_image_id IS NULL) = (memory_volume_id IS NULL)),"
	  "  ADD CHECK (NOT restore_memory OR memory_domain_id IS NOT NULL);"
	  /*
	   * The VM's NICs as a snapshot took them (vm_nics rows without vm_id),
	   * which a preview gives the VM; the VM's own are kept aside meanwhile.
	   * NULL: a snapshot taken before, whose preview leaves the NICs alone.
	   */
	  "ALTER TABLE snapshots ADD COLUMN nic_rows jsonb;"
	  "ALTER TABLE vms ADD COLUMN preview_nics jsonb;" },
	{ 12, "a VM's Linux boot options (a kernel, an initrd and kernel parameters on the host) and serial console",
	  /* paths on the hosts, as RHV's boot options take them; parameters need a kernel */
	  "ALTER TABLE vms ADD COLUMN kernel text CHECK (kernel LIKE '/%'),"
	  "  ADD COLUMN initrd text CHECK (initrd LIKE '/%'),"
	  "  ADD COLUMN kernel_params text,"
	  "  ADD CONSTRAINT vms_boot_options_need_kernel"
	  "   CHECK (kernel IS NOT NULL OR (initrd IS NULL AND kernel_params IS NULL)),"
	  "  ADD COLUMN serial_console boolean NOT NULL DEFAULT false;" },
};

const struct rhv_db_migration *rhv_db_migrations(size_t *n)
{
	*n = RHV_ARRAY_SIZE(migrations);
	return migrations;
}

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
