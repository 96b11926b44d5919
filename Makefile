# rhv: a KVM data center from the shell.  See README.md.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
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
CFLAGS += -std=gnu11 $(OPT) $(WARN) $(HARDEN) -Ilibcore/include -Ilibcore \
          $(shell $(PKG_CONFIG) --cflags $(VIRT_PKGS))
LDFLAGS += -Wl,--as-needed $(LDSAN)
BASE_LIBS = $(shell $(PKG_CONFIG) --libs $(BASE_PKGS))
VIRT_LIBS = $(shell $(PKG_CONFIG) --libs $(VIRT_PKGS)) -lm -pthread

# One line per binary: its name.  Each is cmd/<name>.c linked with libcore.a;
# those in VIRT_BINS also link libvirt.
BINS = rhv-db rhv-dc rhv-cluster rhv-event rhv-host rhv-vm rhv-balance rhv-sd rhv-disk
VIRT_BINS = rhv-host rhv-vm rhv-balance rhv-sd rhv-disk

LIBCORE_SRCS = $(sort $(wildcard libcore/*.c))
LIBCORE_OBJS = $(LIBCORE_SRCS:.c=.o)
LIBCORE_HDRS = $(wildcard libcore/*.h libcore/include/rhv/*.h)
UNIT_SRCS = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=tests/unit/bin/%)

all: $(addprefix bin/,$(BINS))

libcore/%.o: libcore/%.c $(LIBCORE_HDRS)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -c -o $@ $<

libcore/libcore.a: $(LIBCORE_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

bin/%: cmd/%.c libcore/libcore.a $(LIBCORE_HDRS)
	@mkdir -p bin
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $< libcore/libcore.a $(LDFLAGS) \
		$(if $(filter $*,$(VIRT_BINS)),$(VIRT_LIBS),$(BASE_LIBS))

tests/unit/bin/%: tests/unit/%.c tests/unit/tap.h libcore/libcore.a $(LIBCORE_HDRS)
	@mkdir -p tests/unit/bin
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< libcore/libcore.a $(LDFLAGS) $(VIRT_LIBS)

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
	install -m 0644 $(addprefix man/,$(addsuffix .1,$(BINS))) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/rhv.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 completions/rhv.bash $(DESTDIR)$(BASHCOMPDIR)/rhv
	for b in $(BINS); do ln -sf rhv $(DESTDIR)$(BASHCOMPDIR)/$$b; done
	install -m 0644 completions/_rhv $(DESTDIR)$(ZSHCOMPDIR)/_rhv

clean:
	rm -rf bin libcore/*.o libcore/libcore.a tests/unit/bin

.PHONY: all unit check demo deps bench install clean
.SECONDARY: $(LIBCORE_OBJS)
