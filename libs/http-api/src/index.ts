export * from './platform';
export * from './api.module';
export * from './http-server';
export * from './meta/openapi';
export { redactedUrl } from './security/request-log';
export { readCookie } from './web/session-cookie';
export * from './web/web-app';
