import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ACCOUNT_ONLY, errorResponse, jsonResponse } from '../openapi/components';
import { tokenBodySchema } from './account.controller';

const anyObject = { type: 'object' } as const;

export function registerAccountPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/account/',
    operationId: 'getAccount',
    summary: "The caller: plan, allowance and tokens (by prefix); anonymous callers get their IP's daily allowance",
    responses: { 200: jsonResponse('The account', anyObject), 401: errorResponse('Invalid token') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/account/',
    operationId: 'deleteAccount',
    security: ACCOUNT_ONLY,
    summary: 'Delete the account with all its jobs, files and tokens',
    responses: { 204: { description: 'Deleted' }, 401: errorResponse('An account token is needed') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/account/usage/',
    operationId: 'getUsage',
    summary: 'Pages and credits charged per UTC day and tier, and the current allowance',
    responses: { 200: jsonResponse('Usage', anyObject), 401: errorResponse('Invalid token') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/account/tokens/',
    operationId: 'createToken',
    security: ACCOUNT_ONLY,
    summary: 'A new API token, shown in full only in this response',
    request: { body: { required: false, content: { 'application/json': { schema: tokenBodySchema } } } },
    responses: {
      201: jsonResponse('The token', {
        type: 'object',
        required: ['token', 'prefix', 'name'],
        properties: { token: { type: 'string' }, prefix: { type: 'string' }, name: { type: 'string' } },
      }),
      400: errorResponse('A body that is not JSON (invalid_json), or not {"name": "<1-100 characters>"} (invalid_field)'),
      401: errorResponse('An account token is needed'),
      413: errorResponse('Request body too large'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/account/tokens/',
    operationId: 'listTokens',
    security: ACCOUNT_ONLY,
    summary: "The account's tokens, by prefix",
    responses: { 200: jsonResponse('Tokens', anyObject), 401: errorResponse('An account token is needed') },
  });
  const secret = jsonResponse('The secret', {
    type: 'object',
    required: ['secret', 'scheme'],
    properties: { secret: { type: 'string', pattern: '^whsec_' }, scheme: { type: 'string' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/account/webhook-secret/',
    operationId: 'getWebhookSecret',
    security: ACCOUNT_ONLY,
    summary: 'The secret webhooks to this account are signed with (made on first use)',
    responses: { 200: secret, 401: errorResponse('An account token is needed') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/account/webhook-secret/',
    operationId: 'rotateWebhookSecret',
    security: ACCOUNT_ONLY,
    summary: 'Replace the webhook secret; deliveries from now on are signed with the new one',
    responses: { 201: secret, 401: errorResponse('An account token is needed') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/account/tokens/{id}/',
    operationId: 'revokeToken',
    security: ACCOUNT_ONLY,
    summary: 'Revoke a token (its id from the listing); it gets 401 from then on',
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Revoked' }, 401: errorResponse('An account token is needed'), 404: errorResponse('No such token on this account') },
  });
}
