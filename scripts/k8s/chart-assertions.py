#!/usr/bin/env python3
"""What the chart promises, asserted on a rendering (docs/DEPLOY.md). Schemas say the objects are
well-formed; this says they are the right objects.

usage: chart-assertions.py RENDERED.yaml [--gateway-open]   (needs PyYAML on PYTHONPATH)
--gateway-open: the values leave networkPolicy.gatewayFrom empty (the gateway takes anyone).
"""
import sys

import yaml

APPS = ['gateway', 'auth-billing', 'ingest', 'export', 'chat', 'cpu-ocr', 'vlm-ocr']
GRPC = ['auth-billing', 'ingest', 'export', 'chat']
# Who calls whom over gRPC with the default `calls` lists.
CALLERS = {'auth-billing': {'gateway', 'ingest'}, 'ingest': {'gateway'}, 'export': {'gateway'}, 'chat': {'gateway'}}

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
gateway_open = '--gateway-open' in sys.argv[2:]
failures = []


def check(ok, what):
    print(f"{'ok' if ok else 'FAILED'}: {what}")
    if not ok:
        failures.append(what)


def component(obj):
    return obj['metadata'].get('labels', {}).get('app.kubernetes.io/component')


def of_kind(kind):
    return {component(d): d for d in docs if d['kind'] == kind and component(d)}


deployments = of_kind('Deployment')
settings = next(d for d in docs if d['kind'] == 'ConfigMap')['data']
check(sorted(deployments) == sorted(APPS), 'one Deployment per service')
for app, dep in deployments.items():
    pod = dep['spec']['template']['spec']
    (c,) = pod['containers']
    env = {e['name']: e for e in c.get('env', [])}
    sc = c['securityContext']
    check(c['args'] == ['node', f'apps/{app}/dist/main.js'], f'{app}: runs apps/{app}/dist/main.js')
    check(pod['securityContext']['runAsNonRoot'] and sc['readOnlyRootFilesystem'] and not sc['allowPrivilegeEscalation'],
          f'{app}: non-root, read-only root filesystem, no privilege escalation')
    mounts = {m['mountPath'] for m in c['volumeMounts']}
    check(mounts == {settings['DATA_DIR'], '/tmp'} and all('emptyDir' in v for v in pod['volumes']),
          f'{app}: writable only at DATA_DIR and /tmp (emptyDir)')
    check(all(k in c['resources'].get(t, {}) for t in ('requests', 'limits') for k in ('cpu', 'memory')),
          f'{app}: cpu and memory requests and limits')
    check(c['livenessProbe']['httpGet']['path'] == '/healthz' and c['readinessProbe']['httpGet']['path'] == '/readyz',
          f'{app}: liveness /healthz, readiness /readyz')
    check('valueFrom' in env['MONGODB_URI'] and 'valueFrom' in env['S3_SECRET_KEY'] and 'valueFrom' in env['S3_ACCESS_KEY'],
          f'{app}: credentials from Secrets only')
    check(('GRPC_PORT' in env) == (app in GRPC), f'{app}: GRPC_PORT only on gRPC services')

page_timeout = int(settings['PAGE_TIMEOUT_SECONDS'])
for app in ('cpu-ocr', 'vlm-ocr'):
    pod = deployments[app]['spec']['template']['spec']
    check(pod['terminationGracePeriodSeconds'] > page_timeout,
          f'{app}: termination grace {pod["terminationGracePeriodSeconds"]} s > PAGE_TIMEOUT_SECONDS {page_timeout}')
cpu = deployments['cpu-ocr']['spec']['template']['spec']['containers'][0]
cpu_env = {e['name']: e.get('value') for e in cpu['env']}
check(str(cpu['resources']['requests']['cpu']) == '1' and cpu_env['OCR_WORKERS'] == '1',
      'cpu-ocr: one engine on one CPU')
check(0 <= int(cpu_env['OCR_WARM_PROCESSES']) <= 4,
      'cpu-ocr: at most 4 warm Tesseract processes (40-70 MiB each) within its 768 MiB')
check(all(settings[k] == v for k, v in {'JOB_STORE': 'mongodb', 'BLOB_STORE': 's3', 'TASK_BUS': 'kafka'}.items()),
      'settings select the cluster adapters')

scaled = of_kind('ScaledObject')
if scaled:
    for app, so in scaled.items():
        (trigger,) = so['spec']['triggers']
        check(trigger['type'] == 'kafka' and trigger['metadata']['consumerGroup'] == f'ocr-{app}'
              and trigger['metadata']['topic'] == settings['KAFKA_TOPIC_PAGE_TASKS'],
              f'{app}: KEDA scales on the lag of group ocr-{app} on {settings["KAFKA_TOPIC_PAGE_TASKS"]}')
        check('replicas' not in deployments[app]['spec'], f'{app}: the Deployment leaves replicas to KEDA')
    check(scaled['vlm-ocr']['spec']['minReplicaCount'] == 0, 'vlm-ocr may scale to zero')

policies = of_kind('NetworkPolicy')
check(any(d['kind'] == 'NetworkPolicy' and not d['spec']['podSelector']['matchLabels'].get('app.kubernetes.io/component')
          and d['spec']['policyTypes'] == ['Ingress', 'Egress'] and 'ingress' not in d['spec'] for d in docs),
      'a default-deny NetworkPolicy covers every pod of the release')
for app in APPS:
    rules = policies[app]['spec'].get('ingress') or []
    # Outside the release, a pod is reachable only by peers named in the values (gatewayFrom for the
    # gateway, metricsFrom on the http port for every pod); a rule without peers is the open gateway.
    open_rules = [r for r in rules if 'from' not in r]
    if app == 'gateway':
        check(bool(open_rules) == gateway_open and any(p['port'] == 'http' for r in rules for p in r['ports']),
              f'gateway: HTTP reachable from {"anywhere" if gateway_open else "the gatewayFrom peers"}')
    else:
        check(not open_rules and all(all(p['port'] == 'http' for p in r['ports']) for r in rules
                                     if any('namespaceSelector' in peer or 'ipBlock' in peer for peer in r['from'])),
              f'{app}: not reachable from outside the release (but /metrics for metricsFrom)')
    grpc_from = set()
    for r in rules:
        for peer in r.get('from', []):
            for expr in peer.get('podSelector', {}).get('matchExpressions', []):
                if expr['key'] == 'app.kubernetes.io/component':
                    grpc_from |= set(expr['values'])
    check(grpc_from == CALLERS.get(app, set()), f'{app}: gRPC only from {sorted(CALLERS.get(app, set())) or "nobody"}')
    egress_ports = {p['port'] for r in policies[app]['spec']['egress'] for p in r.get('ports', [])}
    check(53 in egress_ports, f'{app}: DNS egress')

if failures:
    sys.exit(f'{len(failures)} chart assertion(s) failed')
