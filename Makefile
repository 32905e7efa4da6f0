# Two commands on a fresh machine:
#   make start   installs what is missing, builds, and runs the standalone service on $PORT (8080)
#   make test    installs what is missing, builds, lints, and runs the whole suite
SHELL := /bin/bash
export PORT ?= 8080
export NX_DAEMON = false
export NX_NO_CLOUD = true

.PHONY: start test install deps system build lint token bench bench-pdf golden clean cluster-servers cluster

start: build
	node apps/standalone/dist/main.js

test: build lint
	node scripts/run-tests.mjs

install: system deps

system:
	bash scripts/install-system.sh

# npm ci only when the lock file changed since the last install.
deps: node_modules/.install-stamp
node_modules/.install-stamp: package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

build: install
	npx tsc -b tsconfig.json

# The module-boundary rule reads Nx's project graph, so compute it first.
lint: deps
	NX_DAEMON=false NX_NO_CLOUD=true npx nx show projects >/dev/null
	npx eslint .

# While `make cluster` runs, the token comes from its auth-billing; otherwise from the standalone files.
CLUSTER_STATE = $(or $(DATA_DIR),var)/cluster
token: build
	@if [ -f $(CLUSTER_STATE)/pid ] && kill -0 $$(cat $(CLUSTER_STATE)/pid) 2>/dev/null; then \
	  AUTH_BILLING_GRPC_URL=$$(cat $(CLUSTER_STATE)/auth-billing-url) node apps/auth-billing/dist/cli/make-token.js; \
	else node apps/standalone/dist/cli/make-token.js; fi

bench: build
	node bench/run.mjs

# The searchable PDF against OCRmyPDF on the corpus's scanned PDFs.
bench-pdf: build
	node bench/searchable-pdf.mjs

# Rewrites test/golden/<document>/<format> from this build (review the diff, then commit it).
golden: build
	node scripts/update-goldens.mjs

# Installs (only) the servers the cluster shape runs: Kafka, FerretDB, s3proxy, cached outside the tree.
cluster-servers: system
	bash scripts/cluster/install-all.sh

# The cluster shape in the foreground: the servers and every service as its own process (two cpu-ocr
# workers, CPU_OCR_PROCESSES=N to change; one vlm-ocr), gateway on $PORT; Ctrl-C stops exactly what it started.
cluster: build cluster-servers
	node scripts/cluster/run-cluster.mjs

clean:
	npx tsc -b tsconfig.json --clean
