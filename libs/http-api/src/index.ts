export * from './platform';
export * from './api.module';
export * from './http-server';
export * from './openapi/document';
export * from './metrics/platform-metrics';
