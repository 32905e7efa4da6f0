# Two commands on a fresh machine:
#   make start   installs what is missing, builds, and runs the standalone service on $PORT (8080)
#   make test    installs what is missing, builds, lints, and runs the whole suite
SHELL := /bin/bash
export PORT ?= 8080
export NX_DAEMON = false
export NX_NO_CLOUD = true

.PHONY: start test install deps system build lint token bench bench-pdf golden clean cluster-servers

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

token: build
	@node apps/standalone/dist/cli/make-token.js

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

clean:
	npx tsc -b tsconfig.json --clean
