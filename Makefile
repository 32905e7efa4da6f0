# Two commands on a fresh machine:
#   make start   installs what is missing, builds, and runs the standalone service on $PORT (8080)
#   make test    installs what is missing, builds, lints, and runs the whole suite
SHELL := /bin/bash
export PORT ?= 8080
export NX_DAEMON = false
export NX_NO_CLOUD = true

.PHONY: start test install deps system test-system build web lint token bench bench-pdf golden clean deploy-check cluster-servers cluster

start: build
	node apps/standalone/dist/main.js

test: test-system build lint
	node scripts/run-tests.mjs

install: system deps

# What the service needs to run; make start installs only this.
system:
	bash scripts/install-system.sh service

# What only the tests and benchmarks use (LibreOffice, Chromium, OCRmyPDF, fonts, qpdf, Python
# requests) and schemathesis in its own venv under $$OCR_TOOLS_DIR.
test-system:
	bash scripts/install-system.sh test
	bash scripts/install-schemathesis.sh

# npm ci only when the lock file changed since the last install.
deps: node_modules/.install-stamp
node_modules/.install-stamp: package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

build: install
	npx tsc -b tsconfig.json
	$(MAKE) --no-print-directory web

# The document web app (apps/web): type-checked, then bundled by vite into apps/web/dist, which the
# service serves as static files.
web: deps
	npm run --silent build -w @ocr/app-web

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

bench: test-system build
	node bench/run.mjs
	node bench/tables.mjs
	node bench/auto-scripts.mjs
	node bench/auto-documents.mjs

# The searchable PDF against OCRmyPDF on the corpus's scanned PDFs.
bench-pdf: test-system build
	node bench/pdf.mjs

# Rewrites test/golden/<document>/<format> from this build (review the diff, then commit it).
golden: build
	node scripts/update-goldens.mjs

# Installs (only) the servers the cluster shape runs: Kafka, FerretDB, s3proxy, cached outside the tree.
cluster-servers: system
	bash scripts/cluster/install-all.sh

# The Helm chart: lint, render, validate offline, install into a real kube-apiserver (docs/DEPLOY.md).
# Builds helm, kubeconform, etcd and kube-apiserver from the Go proxy the first time (cached in
# $${OCR_TOOLS_DIR:-~/.cache/ocr-chat-tools}). Also run by `make test` (test/e2e/deploy-check.test.ts).
deploy-check:
	bash scripts/k8s/deploy-check.sh

# The cluster shape in the foreground: the servers and every service as its own process (two cpu-ocr
# workers, CPU_OCR_PROCESSES=N to change; one vlm-ocr), gateway on $PORT; Ctrl-C stops exactly what it started.
cluster: build cluster-servers
	node scripts/cluster/run-cluster.mjs

clean:
	npx tsc -b tsconfig.json --clean
	rm -rf apps/web/dist
