import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { jsonResponse } from '../openapi/components';

export function registerMetaPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/languages/',
    summary: 'Installed recognition languages',
    responses: { 200: jsonResponse('Languages', { type: 'object', required: ['count', 'languages'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tools/',
    summary: 'Tool presets',
    responses: { 200: jsonResponse('Tools', { type: 'object', required: ['tools'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: jsonResponse('The document', { type: 'object', required: ['openapi', 'paths'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness, and which engine runs',
    responses: { 200: jsonResponse('OK', { type: 'object', required: ['status'] }) },
  });
}
