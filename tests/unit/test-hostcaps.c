/* The libvirt connection layer and what a host tells about itself. */
#include "rhv/common.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "rhv/hostcaps.h"
#include "rhv/virt.h"
#include "virt/virt-priv.h"
#include "tap.h"

#define LONG_MS 30000

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static bool sorted_unique(char **v)
{
	for (size_t i = 0; v && v[i] && v[i + 1]; i++)
		if (strcmp(v[i], v[i + 1]) >= 0)
			return false;
	return v != NULL;
}

static size_t count(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* ---- virt ---- */

static void test_open(void)
{
	struct rhv_error err = { 0 };
	struct rhv_virt_conn *c;
	double t;
	char dir[] = "/tmp/rhv-test-virt.XXXXXX", uri[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s;

	/*
	 * "At once" and "fast" mean: without waiting for the timeout, which is
	 * long (30 s) so that a slow machine cannot make them look slow.
	 */
	t = now_ms();
	c = rhv_virt_open("test:///default", LONG_MS, &err);
	OK(c != NULL && err.code == 0, "open: test:///default");
	OK(now_ms() - t < LONG_MS, "open: in-process driver opens without waiting for the timeout");
	rhv_virt_close(c);

	t = now_ms();
	c = rhv_virt_open("qemu+unix:///session?socket=/nonexistent", LONG_MS, &err);
	OK(!c && err.code == RHV_EXIT_UNAVAILABLE, "open: missing socket is 'unavailable' (5)");
	OK(now_ms() - t < LONG_MS, "open: missing socket fails without waiting for the timeout");
	OK(!strncmp(err.message, "cannot connect to host at qemu+unix:///session?socket=/nonexistent: ", 67),
	   "open: message names the URI");
	OK(strstr(err.message, "/nonexistent': No such file or directory") != NULL, "open: libvirt's reason follows");
	OK(!strchr(err.message, '\n'), "open: one line");

	/* a daemon that accepts nothing and answers nothing */
	OK(mkdtemp(dir) != NULL, "open: scratch directory");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", dir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	OK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(s, 4) == 0, "open: silent listener");
	snprintf(uri, sizeof(uri), "qemu+unix:///session?socket=%s", sa.sun_path);
	rhv_error_clear(&err);
	t = now_ms();
	c = rhv_virt_open(uri, 300, &err);
	t = now_ms() - t;
	OK(!c && err.code == RHV_EXIT_UNAVAILABLE, "open: silent daemon is 'unavailable' (5)");
	/* never before the timeout; after it, however slow the machine, but not hung */
	OK(t >= 290 && t < LONG_MS, "open: given up after the timeout (%.0f ms)", t);
	OK(strstr(err.message, ": no answer within 300 ms") != NULL, "open: message says it timed out");
	close(s);
	unlink(sa.sun_path);
	rmdir(dir);
}

/* The domain calls of rhv/virt.h on the test driver's running domain "test". */
static void test_domains(void)
{
	struct rhv_error err = { 0 };
	_cleanup_virt_conn_ struct rhv_virt_conn *c = rhv_virt_open("test:///default", 2000, &err);
	struct rhv_virt_guest *g = NULL;
	struct rhv_virt_node_stats ns;
	struct rhv_virt_dom *d;
	enum rhv_virt_state st = RHV_VIRT_NOSTATE;
	bool io_error = true;
	size_t n = 0;
	char uuid[37] = "";

	if (!c) {
		OK(0, "domains: test driver");
		return;
	}
	OK(rhv_virt_check_alive(c, &err, "host 'test' stopped answering") == 0, "domains: the connection is alive");
	rhv_virt_node_stats(c, &ns);
	OK(ns.mem_used <= ns.mem_total, "domains: node stats read or left 0");
	OK(rhv_virt_guests(c, &g, &n) == 0 && n >= 1, "domains: the host lists its guests");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].name, "test")) {
			snprintf(uuid, sizeof(uuid), "%s", g[i].uuid);
			OK(g[i].state == RHV_VIRT_RUNNING, "domains: 'test' is listed running");
		}
	rhv_virt_guests_free(g, n);
	OK(strlen(uuid) == 36, "domains: 'test' has a UUID");

	d = rhv_virt_dom_lookup(c, "00000000-0000-4000-8000-00000000dead", &err, "cannot find VM '%s'", "x");
	OK(!d && err.code == RHV_EXIT_NOTFOUND && !strncmp(err.message, "cannot find VM 'x': ", 20),
	   "domains: an unknown UUID is 'not found' (3), our text first");
	rhv_error_clear(&err);
	OK(!rhv_virt_dom_lookup(c, "00000000-0000-4000-8000-00000000dead", NULL, NULL) && err.code == 0,
	   "domains: a lookup without err stays silent");

	d = rhv_virt_dom_lookup(c, uuid, &err, "cannot find VM 'test'");
	OK(d != NULL, "domains: 'test' found by UUID");
	if (!d)
		return;
	OK(rhv_virt_dom_state(d, &st, &io_error) == 0 && st == RHV_VIRT_RUNNING && !io_error,
	   "domains: state running, not paused on I/O error");
	{
		_cleanup_free_ char *xml = rhv_virt_dom_xml(d);

		OK(xml && strstr(xml, "<domain"), "domains: live XML");
	}
	OK(rhv_virt_dom_destroy(d, &err, "cannot power off VM 'test'") == 0, "domains: destroy");
	OK(rhv_virt_dom_state(d, &st, NULL) == 0 && st == RHV_VIRT_SHUTOFF, "domains: shut off after destroy");
	OK(rhv_virt_dom_destroy(d, &err, "cannot power off VM 'test'") == 0 && err.code == 0,
	   "domains: destroying a domain already off succeeds");
	OK(rhv_virt_dom_attach(d, "<disk/>", &err, "cannot plug disk 'd' into VM 'test'") < 0 &&
		   !strncmp(err.message, "cannot plug disk 'd' into VM 'test': ", 37),
	   "domains: a refused device change is reported with our text");
	OK(virDomainCreate(d->ptr) == 0, "domains: 'test' started again for the tests below");
	rhv_virt_dom_free(d);
}

static void test_errors(void)
{
	struct rhv_error err = { 0 };
	struct rhv_virt_conn *vc = rhv_virt_open("test:///default", 2000, &err);
	virConnectPtr c = vc ? vc->ptr : NULL;
	virDomainPtr d;
	int saved, pipefd[2];
	char buf[256];
	ssize_t n;

	if (!c) {
		OK(0, "errors: test driver");
		return;
	}
	/* libvirt must not print: capture stderr around failing calls */
	fflush(stderr);
	saved = dup(2);
	OK(pipe(pipefd) == 0, "errors: stderr captured");
	dup2(pipefd[1], 2);

	d = virDomainLookupByName(c, "nope");
	OK(!d, "errors: lookup of a missing domain fails");
	rhv_virt_error(&err, "cannot find VM '%s'", "nope");
	OK(err.code == RHV_EXIT_NOTFOUND, "errors: no domain is 'not found' (3)");
	OK(!strncmp(err.message, "cannot find VM 'nope': ", 23) && strstr(err.message, "nope"),
	   "errors: our text, then libvirt's");
	OK(virGetLastError() == NULL, "errors: libvirt's error is reset");

	d = virDomainLookupByName(c, "test"); /* the test driver's running domain */
	rhv_error_clear(&err);
	OK(d && virDomainDestroy(d) == 0 && virDomainDestroy(d) < 0, "errors: destroying a stopped domain fails");
	rhv_virt_error(&err, "cannot stop VM 'test'");
	OK(err.code == RHV_EXIT_CONFLICT, "errors: wrong state is a conflict (4)");
	IS_STR(err.message, "cannot stop VM 'test': Requested operation is not valid: domain is not running",
	       "errors: message of a wrong state");
	if (d)
		virDomainFree(d);

	rhv_error_clear(&err);
	rhv_virt_error(&err, "nothing failed");
	OK(err.code == RHV_EXIT_FAILED && strstr(err.message, "nothing failed: "), "errors: no libvirt error is 1");

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	n = read(pipefd[0], buf, sizeof(buf));
	close(pipefd[0]);
	OK(n <= 0, "errors: libvirt printed nothing on stderr");

	OK(rhv_virt_exit_class(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU) == 3, "class: no domain 3");
	OK(rhv_virt_exit_class(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_STORAGE) == 3, "class: no volume 3");
	OK(rhv_virt_exit_class(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU) == 4, "class: operation invalid 4");
	OK(rhv_virt_exit_class(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_QEMU) == 4, "class: state change lock held 4");
	OK(rhv_virt_exit_class(VIR_ERR_DOM_EXIST, VIR_FROM_QEMU) == 4, "class: domain exists 4");
	OK(rhv_virt_exit_class(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC) == 5, "class: system error 5");
	OK(rhv_virt_exit_class(VIR_ERR_RPC, VIR_FROM_RPC) == 5, "class: RPC 5");
	OK(rhv_virt_exit_class(VIR_ERR_NO_CONNECT, VIR_FROM_NONE) == 5, "class: no connection 5");
	OK(rhv_virt_exit_class(VIR_ERR_AUTH_FAILED, VIR_FROM_REMOTE) == 5, "class: authentication 5");
	OK(rhv_virt_exit_class(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC) == 5, "class: keepalive timeout (RPC) 5");
	OK(rhv_virt_exit_class(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU) == 1, "class: internal error 1");
	OK(rhv_virt_exit_class(VIR_ERR_OPERATION_FAILED, VIR_FROM_QEMU) == 1, "class: operation failed 1");
	OK(rhv_virt_exit_class(VIR_ERR_CPU_INCOMPATIBLE, VIR_FROM_CPU) == 1, "class: CPU incompatible 1");
	OK(rhv_virt_exit_class(VIR_ERR_OPERATION_ABORTED, VIR_FROM_QEMU) == 1, "class: job aborted 1");
	rhv_virt_close(vc);
}

/* ---- hostcaps ---- */

static void test_parse_lab(void)
{
	char *caps = tap_fixture("caps-lab.xml");
	struct rhv_hostcaps hc = { 0 };
	struct rhv_error err = { 0 };

	OK(caps != NULL, "caps: fixture found");
	if (!caps)
		return;
	OK(rhv_hostcaps_parse(caps, &hc, &err) == 0, "caps: lab host capabilities parse");
	IS_STR(hc.arch, "x86_64", "caps: arch");
	IS_STR(hc.vendor, "Intel", "caps: vendor");
	IS_STR(hc.model, "Broadwell", "caps: model");
	OK(sorted_unique(hc.features), "caps: features sorted and unique");
	OK(count(hc.features) == 56, "caps: the 56 features listed on top of the model");
	OK(!hc.features_expanded, "caps: not expanded by parsing alone");
	OK(rhv_hostcaps_has(&hc, "avx512f") && rhv_hostcaps_has(&hc, "pdpe1gb"), "caps: has listed features");
	OK(!rhv_hostcaps_has(&hc, "vmx") && !rhv_hostcaps_has(&hc, "svm"), "caps: the lab CPU shows no vmx nor svm");
	OK(!rhv_hostcaps_has(&hc, "avx5"), "caps: no prefix matches");
	OK(hc.sockets == 1 && hc.dies == 1 && hc.cores == 2 && hc.threads == 1, "caps: topology 1/1/2/1");
	OK(hc.cpus == 2, "caps: CPUs summed over cells");
	OK(hc.memory == 5204172ULL * 1024, "caps: memory in bytes");
	OK(hc.kvm, "caps: yet libvirt offers kvm for x86_64");
	IS_STR(hc.domain_type, "kvm", "caps: guests there are kvm");
	IS_STR(hc.uuid, "4dfd416f-f058-4070-bfa0-6d3b28e57865", "caps: host uuid");
	OK(!hc.hostname && !hc.cpu_models, "caps: nothing that needs the daemon");
	rhv_hostcaps_clear(&hc);
	OK(!hc.arch && !hc.features, "caps: clear frees and zeroes");

	/* the same host where KVM is not usable */
	for (char *p; (p = strstr(caps, "<domain type='kvm'/>"));)
		memcpy(p, "<!-- no kvm here -->", 20);
	OK(rhv_hostcaps_parse(caps, &hc, &err) == 0 && !hc.kvm, "caps: no kvm domain type, no kvm");
	IS_STR(hc.domain_type, "qemu", "caps: guests there are TCG");
	rhv_hostcaps_clear(&hc);
	free(caps);

	OK(rhv_hostcaps_parse("<capabilities", &hc, &err) < 0 && err.code == RHV_EXIT_FAILED,
	   "caps: broken XML refused");
	OK(!strchr(err.message, '\n'), "caps: parser message on one line");
	rhv_error_clear(&err);
	OK(rhv_hostcaps_parse("<domain/>", &hc, &err) < 0 && err.code == RHV_EXIT_FAILED, "caps: other XML refused");
	rhv_error_clear(&err);
	OK(rhv_hostcaps_parse("", &hc, &err) < 0, "caps: empty refused");
}

static void test_domcaps(void)
{
	char *kvm = tap_fixture("domcaps-lab-kvm.xml"), *tcg = tap_fixture("domcaps-lab-tcg.xml");
	struct rhv_hostcaps hc = { 0 };
	struct rhv_error err = { 0 };

	OK(kvm && tcg, "domcaps: fixtures found");
	if (!kvm || !tcg)
		return;
	OK(rhv_hostcaps_parse_domcaps(tcg, &hc, &err) == 0 && sorted_unique(hc.cpu_models), "domcaps: TCG parses");
	OK(rhv_hostcaps_model_usable(&hc, "Nehalem") && rhv_hostcaps_model_usable(&hc, "Westmere") &&
		   rhv_hostcaps_model_usable(&hc, "Conroe"),
	   "domcaps: TCG runs Nehalem, Westmere, Conroe");
	OK(!rhv_hostcaps_model_usable(&hc, "Haswell-noTSX") && !rhv_hostcaps_model_usable(&hc, "SandyBridge"),
	   "domcaps: TCG cannot run Haswell-noTSX nor SandyBridge");
	OK(rhv_hostcaps_parse_domcaps(kvm, &hc, &err) == 0, "domcaps: nested KVM parses");
	OK(count(hc.cpu_models) == 4 && rhv_hostcaps_model_usable(&hc, "pentium3") &&
		   !rhv_hostcaps_model_usable(&hc, "Conroe"),
	   "domcaps: nested KVM runs only 486 and the pentiums");
	rhv_hostcaps_clear(&hc);
	free(kvm);
	free(tcg);
}

static void test_read(void)
{
	struct rhv_error err = { 0 };
	struct rhv_virt_conn *vc = rhv_virt_open("test:///default", 2000, &err);
	virConnectPtr c = vc ? vc->ptr : NULL;
	struct rhv_hostcaps hc = { 0 };
	char want[32];
	unsigned long v = 0;

	if (!c) {
		OK(0, "read: test driver");
		return;
	}
	OK(rhv_hostcaps_read(vc, &hc, &err) == 0, "read: from the test driver");
	OK(hc.arch && hc.cpus == 16 && hc.memory > 0, "read: node info (16 CPUs)");
	OK(hc.sockets > 0 && hc.cores > 0 && hc.threads > 0, "read: topology from node info when caps have none");
	OK(!hc.kvm && !strcmp(hc.domain_type, "qemu"), "read: the test driver offers no kvm");
	virConnectGetLibVersion(c, &v);
	snprintf(want, sizeof(want), "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000, v % 1000);
	IS_STR(hc.libvirt_version, want, "read: libvirt version");
	IS_STR(hc.qemu_version, "", "read: no QEMU version on the test driver");
	OK(hc.hostname && *hc.hostname, "read: host name");
	OK(hc.features && !hc.features_expanded, "read: unexpanded where the driver cannot expand");
	OK(rhv_hostcaps_read(vc, &hc, &err) == 0, "read: again into a filled struct");
	rhv_hostcaps_clear(&hc);
	rhv_virt_close(vc);
}

int main(void)
{
	test_open();
	test_domains();
	test_errors();
	test_parse_lab();
	test_domcaps();
	test_read();
	return tap_done();
}
