import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorResponse, jsonResponse } from '../openapi/components';

export function registerMetaPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/languages/',
    operationId: 'listLanguages',
    summary: 'Installed recognition languages',
    responses: { 200: jsonResponse('Languages', { type: 'object', required: ['count', 'languages'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tools/',
    operationId: 'listTools',
    summary: 'Tool presets',
    responses: { 200: jsonResponse('Tools', { type: 'object', required: ['tools'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: jsonResponse('The document', { type: 'object', required: ['openapi', 'paths'] }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (text format 0.0.4); behind METRICS_TOKEN when the operator sets one',
    responses: {
      200: { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
      401: errorResponse('METRICS_TOKEN is set and the bearer token is not it'),
      404: errorResponse('Metrics are off (METRICS_ENABLED=false)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Liveness, and which engine runs',
    responses: { 200: jsonResponse('OK', { type: 'object', required: ['status'] }) },
  });
}
