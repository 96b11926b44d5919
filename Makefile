# rhv: a KVM data center from the shell.  See README.md.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
LIBEXECDIR = /usr/libexec/rhv
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/vendor-completions

CC ?= cc
PKG_CONFIG ?= pkg-config
# Read-only verbs must not pay for loading libvirt: only binaries that talk
# to hosts link it.
BASE_PKGS = libpq popt json-c
VIRT_PKGS = $(BASE_PKGS) libvirt libxml-2.0

WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
       -Wno-missing-field-initializers -Werror
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong
OPT ?= -O2 -g
ifeq ($(ASAN),1)
OPT = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
LDSAN = -fsanitize=address,undefined
endif
CFLAGS ?=
CFLAGS += -std=gnu11 $(OPT) $(WARN) $(HARDEN)
LDFLAGS += -Wl,--as-needed $(LDSAN)
BASE_LIBS = $(shell $(PKG_CONFIG) --libs $(BASE_PKGS))
VIRT_LIBS = $(shell $(PKG_CONFIG) --libs $(VIRT_PKGS)) -lm -pthread

# The layering rules of libcore (libcore/README), kept by the compiler: each
# folder is compiled with the flags of the libraries it may use and nothing
# more, and libcore/poison/<lib>/ shadows the headers of a library it may not
# use (libvirt and json-c sit on the default include path, so leaving their
# flags out would not be enough).  A forbidden #include stops the build with
# a message naming the rule.
PQ_CFLAGS = $(shell $(PKG_CONFIG) --cflags libpq)
VIRT_CFLAGS = $(shell $(PKG_CONFIG) --cflags libvirt libxml-2.0)
JSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags json-c)
POPT_CFLAGS = $(shell $(PKG_CONFIG) --cflags popt)
POISON = $(foreach l,$(1),-Ilibcore/poison/$(l))
INC = -Ilibcore/include -Ilibcore
# folder     may use              shadowed
util_FLAGS    = $(INC)                 $(call POISON,libpq libvirt json-c popt)
engine_FLAGS  = $(INC) $(POPT_CFLAGS) $(JSON_CFLAGS) $(call POISON,libpq libvirt)
store_FLAGS   = $(INC) $(PQ_CFLAGS)    $(call POISON,libvirt json-c popt)
virt_FLAGS    = $(INC) $(VIRT_CFLAGS)  $(call POISON,libpq json-c popt)
policy_FLAGS  = $(INC)                 $(call POISON,libpq libvirt json-c popt)
storage_FLAGS = $(INC) $(JSON_CFLAGS)  $(call POISON,libpq libvirt popt)
ops_FLAGS     = $(INC) $(JSON_CFLAGS)  $(call POISON,libpq libvirt popt)
cmd_FLAGS     = -Ilibcore/include $(call POISON,libpq libvirt json-c popt)
# Files that still break their folder's rules while the layering is being
# finished; compiled with every library.  tests/layering lists what each breaks.
LEGACY_FLAGS  = $(INC) $(PQ_CFLAGS) $(VIRT_CFLAGS) $(JSON_CFLAGS) $(POPT_CFLAGS)
LEGACY = \
	# (end)
FOLDERS = util engine store virt policy storage ops
UNIT_FLAGS = $(INC) $(PQ_CFLAGS) $(VIRT_CFLAGS) $(JSON_CFLAGS) $(POPT_CFLAGS) -Itests/unit

# One line per binary: its name.  Each is cmd/<name>.c linked with libcore.a;
# those in VIRT_BINS also link libvirt.
BINS = rhv-db rhv-dc rhv-cluster rhv-event rhv-host rhv-vm rhv-balance rhv-sd rhv-disk rhv-fence rhv-snap rhv-net
VIRT_BINS = rhv-host rhv-vm rhv-balance rhv-sd rhv-disk rhv-fence rhv-snap
# Helpers the binaries run, not users: bin/helpers/ in the tree, LIBEXECDIR installed.
HELPERS = rhv-ipmitool

# C made from other files: the shell script rhv-net sends to hosts, kept as
# a script (readable, checked by sh -n) and compiled in as a string
GEN_SRCS = libcore/ops/hostnet-script.c
LIBCORE_SRCS = $(sort $(foreach d,$(FOLDERS),$(wildcard libcore/$(d)/*.c)) $(GEN_SRCS))
LIBCORE_OBJS = $(LIBCORE_SRCS:.c=.o)
LIBCORE_HDRS = $(wildcard libcore/*/*.h libcore/include/rhv/*.h)
UNIT_SRCS = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=tests/unit/bin/%)

folder_of = $(word 2,$(subst /, ,$(1)))
flags_of = $(if $(filter $(1),$(LEGACY)),$(LEGACY_FLAGS),$($(call folder_of,$(1))_FLAGS))

all: $(addprefix bin/,$(BINS)) $(addprefix bin/helpers/,$(HELPERS))

libcore/%.o: libcore/%.c $(LIBCORE_HDRS)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(call flags_of,$<) -c -o $@ $<

libcore/ops/hostnet-script.c: libcore/ops/hostnet-host.sh
	@echo "  GEN     $@"
	@sh -n $<
	@{ echo '/* Made by make from hostnet-host.sh: do not edit. */'; \
	  echo '#include "ops/hostnet-priv.h"'; echo 'const char rhv_hostnet_script[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } >$@

# q, not r: two folders may hold files of one name (store/vm.c, ops/vm.c),
# and r would let the second replace the first in the archive
libcore/libcore.a: $(LIBCORE_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@ar qcs $@ $^

bin/%: cmd/%.c libcore/libcore.a $(LIBCORE_HDRS)
	@mkdir -p bin
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(cmd_FLAGS) -o $@ $< libcore/libcore.a $(LDFLAGS) \
		$(if $(filter $*,$(VIRT_BINS)),$(VIRT_LIBS),$(BASE_LIBS))

# libc only: it runs between a fence agent and ipmitool
bin/helpers/%: cmd/%.c libcore/include/rhv/common.h
	@mkdir -p bin/helpers
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(cmd_FLAGS) -o $@ $< $(LDFLAGS)

tests/unit/bin/%: tests/unit/%.c tests/unit/tap.h libcore/libcore.a $(LIBCORE_HDRS)
	@mkdir -p tests/unit/bin
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(UNIT_FLAGS) -o $@ $< libcore/libcore.a $(LDFLAGS) $(VIRT_LIBS)

# What tests/layering needs to know: each folder's compile flags, the files
# still exempt, and the objects.
layering-facts:
	@$(foreach d,$(FOLDERS) cmd,echo '$(d)	$($(d)_FLAGS)';)
	@echo 'legacy	$(LEGACY)'

unit: $(UNIT_BINS)

check: deps all unit
	tests/run

demo: deps all
	tests/demo.sh

deps:
	@tests/deps.sh

bench: all
	tests/bench/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 $(addprefix bin/,$(BINS)) $(DESTDIR)$(BINDIR)
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 0755 $(addprefix bin/helpers/,$(HELPERS)) $(DESTDIR)$(LIBEXECDIR)
	install -m 0644 $(addprefix man/,$(addsuffix .1,$(BINS))) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/rhv.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 completions/rhv.bash $(DESTDIR)$(BASHCOMPDIR)/rhv
	for b in $(BINS); do ln -sf rhv $(DESTDIR)$(BASHCOMPDIR)/$$b; done
	install -m 0644 completions/_rhv $(DESTDIR)$(ZSHCOMPDIR)/_rhv

clean:
	rm -rf bin libcore/*/*.o libcore/libcore.a tests/unit/bin $(GEN_SRCS)

.PHONY: all unit check demo deps bench install clean layering-facts
.SECONDARY: $(LIBCORE_OBJS)
