export * from './platform';
export * from './api.module';
export * from './http-server';
export * from './meta/openapi';
export * from './probe.module';
