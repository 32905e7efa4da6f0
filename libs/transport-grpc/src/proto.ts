import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The contracts live in the repository's proto/ (one file per service, package ocr.v1). */
export const PROTO_FILES = ['auth_billing.proto', 'ingest.proto', 'export.proto', 'chat.proto'] as const;

function protoRoot(): string {
  // libs/transport-grpc/dist -> the repository root; PROTO_DIR for installs that move the tree.
  for (const dir of [process.env['PROTO_DIR'], resolve(__dirname, '../../../proto')]) {
    if (dir && existsSync(join(dir, 'ocr/v1/ingest.proto'))) return dir;
  }
  throw new Error('proto/ocr/v1 not found next to libs/transport-grpc (set PROTO_DIR to the proto directory)');
}

let loaded: GrpcObject | null = null;

function ocrV1(): GrpcObject {
  if (!loaded) {
    const root = protoRoot();
    const definition = loadSync(
      PROTO_FILES.map((f) => join(root, 'ocr/v1', f)),
      // Field names as written (snake_case), 64-bit numbers as numbers, absent optionals as absent.
      { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [root] },
    );
    const pkg = loadPackageDefinition(definition) as GrpcObject;
    loaded = (pkg['ocr'] as GrpcObject)['v1'] as GrpcObject;
  }
  return loaded;
}

export type ServiceName = 'AuthBilling' | 'Ingest' | 'Export' | 'Chat';

export function clientConstructor(service: ServiceName): ServiceClientConstructor {
  return ocrV1()[service] as ServiceClientConstructor;
}

export function serviceDefinition(service: ServiceName): ServiceDefinition {
  return clientConstructor(service).service;
}
