import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Settings } from '@ocr/config';
import { ACCOUNT_ONLY, errorResponse, jsonResponse, ref } from '../openapi/components';
import { uuidParams } from '../ocr/ocr.openapi';
import { chatBodySchema } from './chat.controller';

export function registerChatPaths(registry: OpenAPIRegistry, settings: Settings): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/chat/{uuid}/',
    operationId: 'askAboutJob',
    security: ACCOUNT_ONLY,
    summary: 'Ask about a finished job (account token required)',
    request: {
      params: uuidParams,
      body: { required: true, content: { 'application/json': { schema: chatBodySchema(settings.CHAT_MAX_MESSAGE_CHARS) } } },
    },
    responses: {
      200: jsonResponse("The answer, grounded in the job's text, with verified citations", {
        type: 'object',
        properties: { conversation: { type: 'string' }, message: ref('ChatMessage') },
      }),
      400: errorResponse('No, empty or too long message, or a body that is not JSON'),
      401: errorResponse('No or invalid account token'),
      404: errorResponse('Unknown job'),
      409: errorResponse('Job not finished'),
      413: errorResponse('Request body too large'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/chat/{uuid}/history/',
    operationId: 'chatHistory',
    security: ACCOUNT_ONLY,
    summary: 'The conversation of the job',
    request: { params: uuidParams },
    responses: {
      200: jsonResponse('All messages, oldest first', {
        type: 'object',
        properties: {
          conversation: { type: ['string', 'null'] },
          job: { type: 'string' },
          messages: { type: 'array', items: ref('ChatMessage') },
        },
      }),
      401: errorResponse('No or invalid account token'),
      404: errorResponse('Unknown job'),
    },
  });
}
