#!/usr/bin/env python3
"""Makes kubernetes-validate's schemas self-contained for kubeconform.

kubernetes-validate keeps every shared type in one `_definitions.json` and points at it with
`$ref: /api/_definitions.json#/$defs/<type>`, a path kubeconform cannot resolve offline (it
reports "could not find schema" instead of validating). For every top-level resource schema
(one with `x-kubernetes-group-version-kind`), this copies the definitions it reaches into the
file's own `definitions` and rewrites the refs to `#/definitions/<type>`.

usage: rewrite-schemas.py SRC_ROOT VERSION OUT_DIR   (SRC_ROOT holds v1.NN.0-local-strict directories)
writes OUT_DIR/<kind>-<group>-<version>.json, the layout kubeconform's templates expect.
"""
import json
import os
import re
import sys

REF = re.compile(r'^(?:/api/_definitions\.json)?#/\$defs/(.+)$')


def refs(node, found):
    """Collects every definition name `node` refers to."""
    if isinstance(node, dict):
        ref = node.get('$ref')
        if isinstance(ref, str):
            match = REF.match(ref)
            if not match:
                raise SystemExit(f'unexpected $ref {ref}')
            found.add(match.group(1))
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def rewrite(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == '$ref' and isinstance(value, str):
                out[key] = '#/definitions/' + REF.match(value).group(1)
            else:
                out[key] = rewrite(value)
        return out
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node


def convert(src_dir, out_dir):
    with open(os.path.join(src_dir, '_definitions.json')) as f:
        defs = json.load(f)['$defs']
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(src_dir)):
        if not name.endswith('.json') or name.startswith('_'):
            continue
        with open(os.path.join(src_dir, name)) as f:
            schema = json.load(f)
        if 'x-kubernetes-group-version-kind' not in schema:
            continue
        # Transitive closure of the definitions this resource reaches.
        needed, todo = set(), set()
        refs(schema, todo)
        while todo:
            item = todo.pop()
            if item in needed:
                continue
            if item not in defs:
                raise SystemExit(f'{name}: missing definition {item}')
            needed.add(item)
            refs(defs[item], todo)
        schema.pop('$id', None)  # an absolute $id would make "#/..." resolve against kubernetes.io
        schema = rewrite(schema)
        schema['definitions'] = {k: rewrite(defs[k]) for k in sorted(needed)}
        with open(os.path.join(out_dir, name), 'w') as f:
            json.dump(schema, f, separators=(',', ':'))
        count += 1
    return count


def main():
    src_root, version, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    n = convert(os.path.join(src_root, f'v{version}-local-strict'), out_dir)
    print(f'[k8s-tools] Kubernetes {version}: {n} resource schemas', file=sys.stderr)


if __name__ == '__main__':
    main()
