/* Fencing decisions (reference 4.2-4.6): types, options, standard input, proxies, several agents, skipping. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/fence-policy.h"
#include "tap.h"

static const char *proxy_names(const struct rhv_fence_candidate *c, size_t n, const char *prefs)
{
	static char buf[256];
	size_t out[16];
	size_t k = rhv_fence_proxy_order(c, n, prefs, out);

	buf[0] = 0;
	for (size_t i = 0; i < k; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, out[i] == RHV_FENCE_PROXY_LOCAL ? "<local>" : c[out[i]].name);
	}
	return buf;
}

static void test_types(void)
{
	struct rhv_error err = { 0 };
	const struct rhv_fence_type *t;
	size_t n = 0;

	for (t = rhv_fence_types; t->name; t++)
		n++;
	OK(n == 16, "16 types, as the reference lists them (%zu)", n);
	t = rhv_fence_type_find("drac7", &err);
	OK(t && !strcmp(t->agent, "fence_ipmilan") && t->ipmitool, "drac7 runs fence_ipmilan, through ipmitool");
	IS_STR(t ? t->defaults : NULL, "privlvl=OPERATOR,lanplus=1,delay=10", "drac7's defaults are oVirt's");
	t = rhv_fence_type_find("ilo4", &err);
	OK(t && !strcmp(t->agent, "fence_ilo4") && t->ipmitool && !strcmp(t->defaults, "power_wait=4"),
	   "ilo4: fence_ilo4 (fence_ipmilan with lanplus), power_wait=4");
	t = rhv_fence_type_find("ilo2", &err);
	OK(t && !strcmp(t->agent, "fence_ilo") && !t->ipmitool, "ilo2 is ilo, no ipmitool");
	t = rhv_fence_type_find("ipmilan", &err);
	OK(t && t->ipmitool && !t->defaults, "ipmilan: ipmitool, no defaults");
	t = rhv_fence_type_find("apc_snmp", &err);
	OK(t && !strcmp(t->agent, "fence_apc_snmp") && !t->ipmitool, "apc_snmp: fence_apc_snmp");
	t = rhv_fence_type_find("ilo_ssh", &err);
	OK(!t && err.code == RHV_EXIT_USAGE && strstr(err.message, "'ilo_ssh'") && strstr(err.hint, "apc, apc_snmp"),
	   "an unknown type is a usage error listing the types");
}

static void test_options(void)
{
	struct rhv_error err = { 0 };

	OK(rhv_fence_options_check(NULL, &err) == 0 && rhv_fence_options_check("", &err) == 0, "no options");
	OK(rhv_fence_options_check("lanplus=1,cipher=3,power_wait=0", &err) == 0, "ordinary options pass");
	OK(rhv_fence_options_check("lanplus,port=3,plug=4", &err) == 0, "a bare flag, the outlet (port, plug)");
	OK(rhv_fence_options_check("x=a=b", &err) == 0, "a value may hold '='");
	OK(rhv_fence_options_check("lanplus=1,password=x", &err) < 0 && err.code == RHV_EXIT_USAGE &&
		   strstr(err.message, "'password' is set by rhv itself"),
	   "password is refused: %s", err.message);
	rhv_error_clear(&err);
	OK(rhv_fence_options_check("ipmitool-path=/bin/x", &err) < 0, "ipmitool-path ('-' as '_') is refused");
	rhv_error_clear(&err);
	const char *reserved[] = { "action=off", "ip=1.2.3.4", "ipaddr=x", "ipport=1", "username=u", "login=u",
				   "passwd=p", "password_script=/x", NULL };
	int refused = 0;
	for (int i = 0; reserved[i]; i++) {
		refused += rhv_fence_options_check(reserved[i], &err) < 0;
		rhv_error_clear(&err);
	}
	OK(refused == 8, "every key the toolkit sets is refused (%d of 8)", refused);
	OK(rhv_fence_options_check("a=1\nb=2", &err) < 0 && strstr(err.message, "control character"),
	   "a newline cannot smuggle a line into the agent's input");
	rhv_error_clear(&err);
	OK(rhv_fence_options_check("a b=1", &err) < 0, "a key with a space is refused");
	rhv_error_clear(&err);
	OK(rhv_fence_options_check("=1", &err) < 0 && strstr(err.message, "no key"), "an empty key is refused");
	rhv_error_clear(&err);
}

static void test_stdin(void)
{
	struct rhv_error err = { 0 };
	const struct rhv_fence_type *ipmi = rhv_fence_type_find("ipmilan", &err);
	const struct rhv_fence_type *drac7 = rhv_fence_type_find("drac7", &err);
	const struct rhv_fence_type *apc = rhv_fence_type_find("apc", &err);
	struct rhv_fence_call c = {
		.type = ipmi, .action = "status", .address = "127.0.0.1", .port = 47001, .user = "admin",
		.password = "s3cret", .ipmitool_path = "/usr/libexec/rhv/rhv-ipmitool",
		.options = "lanplus=1,cipher=3,power_wait=0",
	};
	char *s = rhv_fence_stdin_lines(&c, false);

	IS_STR(s,
	       "action=status\nip=127.0.0.1\nipport=47001\nusername=admin\n"
	       "ipmitool_path=/usr/libexec/rhv/rhv-ipmitool\nlanplus=1\ncipher=3\npower_wait=0\n",
	       "ipmilan: no password line (it goes through the environment), the wrapper, the options");
	free(s);
	c.type = drac7;
	c.options = "delay=0,lanplus";
	c.port = 0;
	c.user = NULL;
	s = rhv_fence_stdin_lines(&c, false);
	IS_STR(s,
	       "action=status\nip=127.0.0.1\nipmitool_path=/usr/libexec/rhv/rhv-ipmitool\nprivlvl=OPERATOR\n"
	       "delay=0\nlanplus=1\n",
	       "drac7: the defaults the user did not set, then the user's options; no port, no user");
	free(s);
	c.type = apc;
	c.options = "port=3";
	s = rhv_fence_stdin_lines(&c, false);
	IS_STR(s, "action=status\nip=127.0.0.1\npassword=s3cret\nport=3\n",
	       "apc: the password on standard input, never the wrapper");
	free(s);
	s = rhv_fence_stdin_lines(&c, true);
	OK(!strstr(s, "s3cret") && strstr(s, "password=***"), "masked: the password shows as ***");
	free(s);
	s = rhv_fence_shell_command(ipmi);
	IS_STR(s,
	       "IFS= read -r IPMI_PASSWORD && export IPMI_PASSWORD && PATH=$PATH:/usr/sbin:/sbin PYTHONWARNINGS=ignore "
	       "exec fence_ipmilan",
	       "the command reads the password line first and execs the agent");
	free(s);
}

static void test_ssh(void)
{
	struct rhv_fence_ssh s = { .address = "127.0.0.1", .port = 45022, .user = "rhv", .key = "/k/id",
				   .known_hosts = "/k/known", .connect_timeout = 5 };
	char **v = rhv_fence_ssh_argv(&s, "exec fence_ipmilan");
	char *joined = NULL;

	for (char **p = v; *p; p++)
		rhv_xappendf(&joined, " ", "%s", *p);
	IS_STR(joined,
	       "ssh -T -o BatchMode=yes -o ConnectTimeout=5 -i /k/id -o IdentitiesOnly=yes -p 45022 "
	       "-o UserKnownHostsFile=/k/known -o StrictHostKeyChecking=yes rhv@127.0.0.1 exec fence_ipmilan",
	       "ssh argv: batch, timeout, key, port, known hosts, strict, user@address, the command as one word");
	free(joined);
	rhv_fence_argv_free(v);
	joined = NULL;
	v = rhv_fence_ssh_argv(&(struct rhv_fence_ssh){ .address = "h2" }, "true");
	for (char **p = v; *p; p++)
		rhv_xappendf(&joined, " ", "%s", *p);
	IS_STR(joined, "ssh -T -o BatchMode=yes -o ConnectTimeout=10 -p 22 -o StrictHostKeyChecking=yes root@h2 true",
	       "ssh argv defaults: port 22, root, ssh's own known hosts");
	free(joined);
	rhv_fence_argv_free(v);
}

static void test_proxies(void)
{
	struct rhv_error err = { 0 };
	struct rhv_fence_candidate c[] = {
		{ "h1", true, true, "NonResponsive", true },  /* the target */
		{ "h3", true, true, "Maintenance", false },
		{ "h2", true, true, "Up", false },
		{ "h4", true, true, "NonOperational", false },
		{ "d2", false, true, "Up", false },
		{ "d1", false, true, "Maintenance", false },
		{ "x1", false, false, "Up", false },
	};

	IS_STR(proxy_names(c, 7, NULL), "h2,h3,d2,d1",
	       "default cluster,dc: the cluster Up then Maintenance, then the data center; never the target, "
	       "never NonOperational, never another data center");
	IS_STR(proxy_names(c, 7, "dc,cluster"), "d2,h2,d1,h3", "dc first: every host of the data center, Up first");
	IS_STR(proxy_names(c, 7, "cluster,dc,local"), "h2,h3,d2,d1,<local>", "local comes last");
	IS_STR(proxy_names(c, 1, "cluster,dc,local"), "<local>", "alone in its data center: only local");
	IS_STR(proxy_names(c, 1, NULL), "", "alone and no local: no proxy");
	OK(rhv_fence_proxies_check("cluster,dc", &err) == 0 && rhv_fence_proxies_check("local", &err) == 0 &&
		   rhv_fence_proxies_check("dc,cluster,local", &err) == 0,
	   "valid preference lists");
	OK(rhv_fence_proxies_check("local,cluster", &err) < 0 && strstr(err.message, "last"), "local must be last");
	rhv_error_clear(&err);
	OK(rhv_fence_proxies_check("cluster,cluster", &err) < 0 && strstr(err.message, "twice"), "no repeats");
	rhv_error_clear(&err);
	OK(rhv_fence_proxies_check("other_dc", &err) < 0 && strstr(err.message, "'other_dc'"), "unknown preference");
	rhv_error_clear(&err);
	OK(rhv_fence_proxies_check("", &err) < 0 && rhv_fence_proxies_check(",", &err) < 0, "empty lists");
	rhv_error_clear(&err);
}

static void test_combine(void)
{
	enum rhv_fence_result both_off[] = { RHV_FENCE_RES_DONE, RHV_FENCE_RES_DONE };
	enum rhv_fence_result one_failed[] = { RHV_FENCE_RES_DONE, RHV_FENCE_RES_FAILED };
	enum rhv_fence_result st_on_failed[] = { RHV_FENCE_RES_FAILED, RHV_FENCE_RES_ON };
	enum rhv_fence_result st_off_failed[] = { RHV_FENCE_RES_OFF, RHV_FENCE_RES_FAILED };
	enum rhv_fence_result st_off_off[] = { RHV_FENCE_RES_OFF, RHV_FENCE_RES_OFF };
	enum rhv_fence_result st_on_off[] = { RHV_FENCE_RES_OFF, RHV_FENCE_RES_ON };

	OK(rhv_fence_result_of(RHV_FENCE_OP_STATUS, 0) == RHV_FENCE_RES_ON &&
		   rhv_fence_result_of(RHV_FENCE_OP_STATUS, 2) == RHV_FENCE_RES_OFF &&
		   rhv_fence_result_of(RHV_FENCE_OP_STATUS, 1) == RHV_FENCE_RES_FAILED &&
		   rhv_fence_result_of(RHV_FENCE_OP_OFF, 0) == RHV_FENCE_RES_DONE &&
		   rhv_fence_result_of(RHV_FENCE_OP_ON, 2) == RHV_FENCE_RES_FAILED,
	   "exit statuses: status 0 on, 2 off, else failed; on/off 0 done");
	OK(rhv_fence_combine(RHV_FENCE_OP_OFF, both_off, 2) == RHV_FENCE_DONE, "stop: both agents off -> done");
	OK(rhv_fence_combine(RHV_FENCE_OP_OFF, one_failed, 2) == RHV_FENCE_FAILED, "stop: one failed -> failed");
	OK(rhv_fence_combine(RHV_FENCE_OP_ON, one_failed, 2) == RHV_FENCE_DONE, "start: one on suffices");
	OK(rhv_fence_combine(RHV_FENCE_OP_ON, one_failed + 1, 1) == RHV_FENCE_FAILED, "start: none -> failed");
	OK(rhv_fence_combine(RHV_FENCE_OP_STATUS, st_on_failed, 2) == RHV_FENCE_ON, "status: on if any says on");
	OK(rhv_fence_combine(RHV_FENCE_OP_STATUS, st_on_off, 2) == RHV_FENCE_ON, "status: on and off -> on");
	OK(rhv_fence_combine(RHV_FENCE_OP_STATUS, st_off_failed, 2) == RHV_FENCE_FAILED,
	   "status: off and failed -> failed (unknown)");
	OK(rhv_fence_combine(RHV_FENCE_OP_STATUS, st_off_off, 2) == RHV_FENCE_OFF, "status: all off -> off");
	OK(rhv_fence_combine(RHV_FENCE_OP_STATUS, NULL, 0) == RHV_FENCE_FAILED, "no agents: failed");
}

static void test_groups(void)
{
	int order[] = { 2, 1, 2, 3, 1 };
	size_t idx[5], end[5];
	size_t g = rhv_fence_groups(order, 5, idx, end);

	OK(g == 3 && end[0] == 2 && end[1] == 4 && end[2] == 5, "three groups of 2, 2, 1 agents");
	OK(idx[0] == 1 && idx[1] == 4 && idx[2] == 0 && idx[3] == 2 && idx[4] == 3,
	   "lowest order first, stable within an order");
	g = rhv_fence_groups(order, 0, idx, end);
	OK(g == 0, "no agents, no groups");
}

static void test_skip(void)
{
	OK(!rhv_fence_skip_connectivity(3, 1, 50), "1 of 3 unreachable: fence");
	OK(rhv_fence_skip_connectivity(4, 2, 50), "2 of 4 unreachable (50 %%): skip");
	OK(rhv_fence_skip_connectivity(3, 2, 50), "2 of 3: skip");
	OK(!rhv_fence_skip_connectivity(10, 4, 50), "4 of 10: fence");
	OK(rhv_fence_skip_connectivity(10, 3, 30) && !rhv_fence_skip_connectivity(10, 2, 30), "threshold 30 %%");
	OK(rhv_fence_skip_connectivity(0, 0, 50), "no hosts: skip");
}

int main(void)
{
	test_types();
	test_options();
	test_stdin();
	test_ssh();
	test_proxies();
	test_combine();
	test_groups();
	test_skip();
	return tap_done();
}
