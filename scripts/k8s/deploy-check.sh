#!/usr/bin/env bash
# make deploy-check: the Helm chart checked offline and against a real kube-apiserver.
#   1. helm lint --strict (default values, production-like values, KEDA off)
#   2. helm template of each (and with worker autoscaling off), every object validated by kubeconform against Kubernetes' and
#      KEDA's schemas (a missing schema fails; the counts must add up)
#   3. bad values are refused by values.schema.json before anything is rendered
#   4. etcd + kube-apiserver on free loopback ports, KEDA's CRDs installed, the chart installed
#      and upgraded (KEDA off), its objects read back from the server; a bad ScaledObject is
#      refused BY THE SERVER (schema validation skipped on the client)
# Tools come from scripts/k8s/*.sh (registries only, cached in $OCR_TOOLS_DIR).
# Prints one "ok - ..." line per assertion and "deploy-check: passed" at the end; exits non-zero
# at the first failure, stopping the servers it started.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chart="$root/deploy/helm/ocr-chat"
prod="$chart/ci/production-values.yaml"
KUBE_VERSION="${KUBE_VERSION:-1.36.3}"

for cmd in go python3 openssl curl; do
  command -v "$cmd" >/dev/null || { echo "deploy-check: '$cmd' is required (Go builds helm, kubeconform, etcd and kube-apiserver)" >&2; exit 1; }
done

ok() { echo "ok - $*"; }
fail() { echo "not ok - $*" >&2; exit 1; }
step_start=0
step() { step_start=$(date +%s); echo "# $*"; }
step_done() { echo "# ... $(( $(date +%s) - step_start ))s"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ocr-deploy-check.XXXXXX")"
pids=()
# Stops what this script started, newest first (kube-apiserver before its etcd: without etcd its
# graceful shutdown never ends), SIGKILL after 10 s.
cleanup() {
  local i pid
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    pid="${pids[$i]}"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

step "tools (built once from the registries, then cached)"
helm="$("$here/helm.sh")"
kubeconform="$("$here/kubeconform.sh")"
k8s_schemas="$("$here/k8s-schemas.sh")"
keda="$("$here/keda-crds.sh")"
etcd="$("$here/etcd.sh")"
apiserver="$("$here/kube-apiserver.sh")"
step_done
export HELM_CACHE_HOME="$work/helm/cache" HELM_CONFIG_HOME="$work/helm/config" HELM_DATA_HOME="$work/helm/data"

# ---------------------------------------------------------------------------------------------
step "helm lint --strict"
"$helm" lint --strict "$chart" >"$work/lint.out" 2>&1 || { cat "$work/lint.out"; fail "helm lint --strict (default values)"; }
ok "helm lint --strict, default values"
"$helm" lint --strict "$chart" -f "$prod" >"$work/lint.out" 2>&1 || { cat "$work/lint.out"; fail "helm lint --strict (production values)"; }
ok "helm lint --strict, production values"
"$helm" lint --strict "$chart" --set autoscaling.keda.enabled=false >"$work/lint.out" 2>&1 || { cat "$work/lint.out"; fail "helm lint --strict (KEDA off)"; }
ok "helm lint --strict, KEDA off"
step_done

# ---------------------------------------------------------------------------------------------
step "helm template + kubeconform"
render() { # name, extra helm args...
  local name="$1"; shift
  "$helm" template ocr-chat "$chart" --namespace ocr --kube-version "$KUBE_VERSION" "$@" >"$work/$name.yaml" \
    || fail "helm template ($name)"
}
render default
render production -f "$prod"
render keda-off --set autoscaling.keda.enabled=false
render manual-workers --set services.cpuOcr.autoscaling.enabled=false --set services.vlmOcr.autoscaling.enabled=false

# kinds and counts of one rendering, e.g. "Deployment=7 Service=5 ..."
kinds() {
  PYTHONPATH="$("$here/pyyaml.sh")" python3 - "$1" <<'PY'
import collections, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
print(' '.join(f'{k}={n}' for k, n in sorted(collections.Counter(d['kind'] for d in docs).items())))
PY
}

validate() { # file -> prints the JSON summary; fails unless every object is valid
  local file="$1" out="$work/kubeconform.json"
  "$kubeconform" -strict -summary -output json -kubernetes-version "${KUBE_VERSION%.*}.0" \
    -schema-location "$k8s_schemas/{{.ResourceKind}}{{.KindSuffix}}.json" \
    -schema-location "$keda/schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
    "$file" >"$out" 2>&1 || true
  python3 - "$out" "$file" <<'PY'
import json, re, sys
raw = open(sys.argv[1]).read()
report = json.loads(raw)
summary = report['summary']
docs = len([d for d in re.split(r'^---\s*$', open(sys.argv[2]).read(), flags=re.M) if re.search(r'^kind:', d, re.M)])
bad = [r for r in report.get('resources', []) if r.get('status') != 'statusValid']
for r in bad:
    print(f"  {r.get('kind')} {r.get('name')}: {r.get('status')} {r.get('msg')}", file=sys.stderr)
if 'could not find schema' in raw:
    sys.exit('a schema was missing ("could not find schema")')
if bad or summary['invalid'] or summary['errors'] or summary['skipped'] or summary['valid'] != docs:
    sys.exit(f'kubeconform: {summary} for {docs} rendered objects')
print(f"{summary['valid']} of {docs} objects valid")
PY
}
for name in default production keda-off manual-workers; do
  result="$(validate "$work/$name.yaml")" || fail "kubeconform, $name values"
  ok "kubeconform, $name values: $result [$(kinds "$work/$name.yaml")]"
done

# What the chart promises (security context, scratch volumes, probes, grace, who reaches whom).
assertions() { # rendering, extra args
  PYTHONPATH="$("$here/pyyaml.sh")" python3 "$here/chart-assertions.py" "$@" >"$work/assertions.out" 2>&1 \
    || { grep -v '^ok' "$work/assertions.out"; fail "chart assertions on $(basename "$1")"; }
  echo "$(grep -c '^ok' "$work/assertions.out") checks"
}
ok "chart promises, default values: $(assertions "$work/default.yaml" --gateway-open)"
ok "chart promises, production values: $(assertions "$work/production.yaml")"
ok "chart promises, KEDA off: $(assertions "$work/keda-off.yaml" --gateway-open)"

# The validator itself must catch a wrong field and a missing schema, or a green run means nothing.
cat >"$work/broken.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken }
spec:
  replicas: two
  selector: { matchLabels: { app: broken } }
  template:
    metadata: { labels: { app: broken } }
    spec: { containers: [ { name: c, image: x, imagePullPolicy: Sometimes } ] }
YAML
if validate "$work/broken.yaml" >/dev/null 2>&1; then fail "kubeconform accepted a Deployment with replicas: two"; fi
ok "kubeconform rejects a Deployment with a wrong type"
python3 - "$work/production.yaml" "$work/broken-so.yaml" <<'PY'
import re, sys
docs = re.split(r'^---\s*$', open(sys.argv[1]).read(), flags=re.M)
so = next(d for d in docs if re.search(r'^kind: ScaledObject', d, re.M))
open(sys.argv[2], 'w').write(so.replace('minReplicaCount: 2', 'minReplicaCount: -1').replace('pollingInterval: 10', 'pollingInterval: soon'))
PY
if validate "$work/broken-so.yaml" >/dev/null 2>&1; then fail "kubeconform accepted a ScaledObject with minReplicaCount -1"; fi
ok "kubeconform rejects a ScaledObject with minReplicaCount: -1 against KEDA's CRD schema"
printf 'apiVersion: example.com/v1\nkind: Unknown\nmetadata: { name: x }\n' >"$work/unknown.yaml"
if validate "$work/unknown.yaml" >/dev/null 2>&1; then fail "kubeconform passed an object without a schema"; fi
ok "kubeconform fails an object whose schema is missing"
step_done

# ---------------------------------------------------------------------------------------------
step "values.schema.json refuses bad values"
expect_refused() { # description, helm args...
  local what="$1"; shift
  if "$helm" template ocr-chat "$chart" --kube-version "$KUBE_VERSION" "$@" >"$work/refused.out" 2>&1; then
    fail "helm template accepted $what"
  fi
  ok "helm template refuses $what: $(grep -m1 -oE '(values don.t meet|execution error).{0,160}' "$work/refused.out" || head -c 160 "$work/refused.out")"
}
expect_refused "minReplicaCount: -1" --set services.cpuOcr.autoscaling.minReplicaCount=-1
expect_refused "a string for lagThreshold" --set-string services.cpuOcr.autoscaling.lagThreshold=ten
expect_refused "an unknown key" --set services.cpuOcr.replcas=3
expect_refused "a writable root filesystem" --set containerSecurityContext.readOnlyRootFilesystem=false
expect_refused "minReplicaCount above maxReplicaCount" --set services.cpuOcr.autoscaling.minReplicaCount=20
expect_refused "AI retries outlasting the page timeout" --set ai.timeoutSeconds=100
step_done

# ---------------------------------------------------------------------------------------------
step "etcd + kube-apiserver $KUBE_VERSION on loopback"
read -r etcd_port peer_port api_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
mkdir -p "$work/pki"
openssl genrsa -out "$work/pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$work/pki/sa.key" -pubout -out "$work/pki/sa.pub" 2>/dev/null
token="$(openssl rand -hex 24)"
echo "$token,deploy-check,deploy-check,system:masters" >"$work/pki/tokens.csv"

"$etcd" --name deploy-check --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "deploy-check=http://127.0.0.1:$peer_port" --log-level warn >"$work/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health" >/dev/null || { tail -20 "$work/etcd.log"; fail "etcd did not become healthy"; }
ok "etcd healthy on 127.0.0.1:$etcd_port"

# Self-signed serving certificate (--cert-dir), token auth, RBAC; no controller-manager or
# kubelet runs, so objects are stored and validated but nothing is scheduled or scaled.
"$apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --cert-dir "$work/pki" --token-auth-file "$work/pki/tokens.csv" \
  --authorization-mode RBAC --service-cluster-ip-range 10.96.0.0/16 \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$work/pki/sa.pub" \
  --service-account-signing-key-file "$work/pki/sa.key" \
  --enable-priority-and-fairness=false --v=0 >"$work/apiserver.log" 2>&1 &
pids+=($!)
api="https://127.0.0.1:$api_port"
kget() { curl -sk --max-time 10 -H "Authorization: Bearer $token" "$api$1"; }
for _ in $(seq 1 900); do   # ready in about 3 s here; minutes allowed for a loaded CI machine
  [[ "$(kget /readyz 2>/dev/null)" == ok ]] && break
  kill -0 "${pids[1]}" 2>/dev/null || { tail -30 "$work/apiserver.log"; fail "kube-apiserver exited"; }
  sleep 0.2
done
[[ "$(kget /readyz)" == ok ]] || { tail -30 "$work/apiserver.log"; fail "kube-apiserver did not become ready"; }
ok "kube-apiserver ready on $api ($(kget /version | python3 -c 'import json,sys;print(json.load(sys.stdin)["gitVersion"])'))"
step_done

cat >"$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [ { name: local, cluster: { server: "$api", insecure-skip-tls-verify: true } } ]
users: [ { name: deploy-check, user: { token: "$token" } } ]
contexts: [ { name: local, context: { cluster: local, user: deploy-check } } ]
current-context: local
KC
export KUBECONFIG="$work/kubeconfig"

# ---------------------------------------------------------------------------------------------
step "helm install into the server"
# KEDA's CRDs as a release of their own (a chart whose crds/ holds the module's files).
mkdir -p "$work/keda-crds/crds"
printf 'apiVersion: v2\nname: keda-crds\nversion: 2.21.0\n' >"$work/keda-crds/Chart.yaml"
cp "$keda"/crds/*.yaml "$work/keda-crds/crds/"
"$helm" install keda-crds "$work/keda-crds" --namespace keda --create-namespace >"$work/install.out" 2>&1 \
  || { cat "$work/install.out"; fail "helm install of KEDA's CRDs"; }
for _ in $(seq 1 150); do kget /apis/keda.sh/v1alpha1 2>/dev/null | grep -q '"scaledobjects"' && break; sleep 0.2; done
kget /apis/keda.sh/v1alpha1 | grep -q '"scaledobjects"' || fail "the server does not serve keda.sh/v1alpha1 scaledobjects"
ok "KEDA CRDs installed; the server serves keda.sh/v1alpha1"

"$helm" install ocr-chat "$chart" --namespace ocr --create-namespace -f "$prod" >"$work/install.out" 2>&1 \
  || { cat "$work/install.out"; fail "helm install of the chart"; }
status="$("$helm" status ocr-chat --namespace ocr -o json | python3 -c 'import json,sys;print(json.load(sys.stdin)["info"]["status"])')"
[[ "$status" == deployed ]] || fail "release status is $status, not deployed"
ok "helm install ocr-chat (production values): release deployed"

count() { # API path -> number of items named ocr-chat* on the server
  kget "$1" | python3 -c 'import json,sys;print(len([i for i in json.load(sys.stdin)["items"] if i["metadata"]["name"].startswith("ocr-chat")]))'
}
expect_count() { # what, path, expected
  local n; n="$(count "$2")"
  [[ "$n" == "$3" ]] || fail "$1: $n on the server, expected $3"
  ok "$1 on the server: $n"
}
expect_count Deployments /apis/apps/v1/namespaces/ocr/deployments 7
expect_count Services /api/v1/namespaces/ocr/services 5
expect_count ConfigMaps /api/v1/namespaces/ocr/configmaps 1
expect_count ServiceAccounts /api/v1/namespaces/ocr/serviceaccounts 1
expect_count PodDisruptionBudgets /apis/policy/v1/namespaces/ocr/poddisruptionbudgets 7
expect_count NetworkPolicies /apis/networking.k8s.io/v1/namespaces/ocr/networkpolicies 8
expect_count Ingresses /apis/networking.k8s.io/v1/namespaces/ocr/ingresses 1
expect_count ScaledObjects /apis/keda.sh/v1alpha1/namespaces/ocr/scaledobjects 2
expect_count HorizontalPodAutoscalers /apis/autoscaling/v2/namespaces/ocr/horizontalpodautoscalers 1
grace="$(kget /apis/apps/v1/namespaces/ocr/deployments/ocr-chat-cpu-ocr | python3 -c 'import json,sys;print(json.load(sys.stdin)["spec"]["template"]["spec"]["terminationGracePeriodSeconds"])')"
[[ "$grace" == 330 ]] || fail "cpu-ocr terminationGracePeriodSeconds is $grace, expected 330 (page timeout 300 + 30)"
ok "cpu-ocr terminationGracePeriodSeconds $grace outlasts PAGE_TIMEOUT_SECONDS 300"

# Without KEDA: the upgrade swaps the ScaledObjects for CPU HPAs.
"$helm" upgrade ocr-chat "$chart" --namespace ocr -f "$prod" --set autoscaling.keda.enabled=false >"$work/install.out" 2>&1 \
  || { cat "$work/install.out"; fail "helm upgrade with KEDA off"; }
expect_count "ScaledObjects after upgrading with KEDA off" /apis/keda.sh/v1alpha1/namespaces/ocr/scaledobjects 0
expect_count "HorizontalPodAutoscalers after upgrading with KEDA off" /apis/autoscaling/v2/namespaces/ocr/horizontalpodautoscalers 3
step_done

# ---------------------------------------------------------------------------------------------
step "the server refuses broken ScaledObjects (client-side schema skipped)"
server_refuses() { # release, what, expected message (regex), helm args...
  local rel="$1" what="$2" want="$3"; shift 3
  if "$helm" install "$rel" "$chart" --namespace bad --create-namespace --skip-schema-validation "$@" >"$work/bad.out" 2>&1; then
    fail "the server accepted $what"
  fi
  grep -qE "$want" "$work/bad.out" || { cat "$work/bad.out"; fail "install with $what failed, but not on the server's validation"; }
  ok "the server refuses $what: $(grep -m1 -oE "ScaledObject.{0,40}is invalid: .{0,140}" "$work/bad.out")"
}
server_refuses bad1 "minReplicaCount: -1" 'spec.minReplicaCount: Invalid value: -1.*greater than or equal to 0' \
  --set services.cpuOcr.autoscaling.minReplicaCount=-1
server_refuses bad2 "pollingInterval: soon (a string)" 'spec.pollingInterval.*must be of type integer' \
  --set-string autoscaling.keda.pollingInterval=soon
step_done

echo "deploy-check: passed"
