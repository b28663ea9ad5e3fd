# studyctl — the two set-up commands are `make demo` and `make test`; both install what is missing.
SWIFT      ?= swift
DEB_PKGS   := pkg-config libcairo2-dev libopenblas-dev libturbojpeg0-dev libpng-dev libdnnl-dev fonts-dejavu-core poppler-utils libpango1.0-dev fonts-noto-cjk chromium slurm-wlm munge python3-venv
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN        := .build/release/studyctl

.PHONY: deps build test demo clean

## deps: install the Debian packages studyctl builds against, only those that are missing
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## build: release build of the studyctl binary
build: deps
	$(SWIFT) build -c release
	@git rev-parse HEAD 2>/dev/null > $(BIN).commit || true

## test: the whole test suite, in release (numeric code is 10-100x slower in debug), then a study
## on a single-node Slurm cluster started for the test (about 2 minutes), then every architecture
## exported to ONNX and checked in ONNX Runtime (about 1 minute; a pinned Python venv made once)
test: deps
	$(SWIFT) build -c release --build-tests
	$(SWIFT) test -c release --skip-build
	bash .ci/slurm/study-test.sh
	bash .ci/onnx/check.sh

## demo: build, check the machine, run the quickstart study (it resumes if interrupted) and say where its results are
demo: build
	$(BIN) doctor
	$(BIN) run studies/quickstart.toml
	@echo "The report: output/quickstart/report.pdf (and report.html); the recommendation: output/quickstart/recommendation.json"
	@echo "Start over: $(BIN) run studies/quickstart.toml --fresh"

clean:
	rm -rf .build
