#!/usr/bin/env python3
"""Turns CustomResourceDefinition YAML files into kubeconform JSON schemas.

usage: crd-schemas.py OUT_DIR CRD.yaml...
writes OUT_DIR/<group>/<kind lowercase>_<version>.json for every served version, matching
kubeconform's -schema-location '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'.
Like kubeconform's own openapi2jsonschema, objects that list their properties get
`additionalProperties: false` (unless the CRD keeps unknown fields), so a misspelt field in
a ScaledObject fails the check the way it would be pruned or rejected by the server.
"""
import json
import os
import sys

import yaml


def strict(node):
    if isinstance(node, dict):
        if ('properties' in node and 'additionalProperties' not in node
                and not node.get('x-kubernetes-preserve-unknown-fields')):
            node['additionalProperties'] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


def main():
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        with open(path) as f:
            for crd in yaml.safe_load_all(f):
                if not crd or crd.get('kind') != 'CustomResourceDefinition':
                    continue
                spec = crd['spec']
                group, kind = spec['group'], spec['names']['kind'].lower()
                for version in spec['versions']:
                    if not version.get('served', True):
                        continue
                    schema = strict(version['schema']['openAPIV3Schema'])
                    # apiVersion and kind must name this very type.
                    props = schema.setdefault('properties', {})
                    props['apiVersion'] = {'type': 'string', 'enum': [f"{group}/{version['name']}"]}
                    props['kind'] = {'type': 'string', 'enum': [spec['names']['kind']]}
                    os.makedirs(os.path.join(out_dir, group), exist_ok=True)
                    target = os.path.join(out_dir, group, f"{kind}_{version['name']}.json")
                    with open(target, 'w') as out:
                        json.dump(schema, out, indent=1)
                    print(f'[k8s-tools] schema {target}', file=sys.stderr)


if __name__ == '__main__':
    main()
