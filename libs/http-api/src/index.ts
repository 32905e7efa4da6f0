export * from './platform';
export * from './api.module';
export * from './http-server';
export * from './openapi/document';
export * from './metrics/platform-metrics';
export { redactedUrl } from './security/request-log';
export { readCookie } from './web/session-cookie';
export * from './web/web-app';
export * from './probe.module';
