import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { Settings } from '@ocr/config';
import { registerComponents } from './components';
import { registerJobViewPaths } from '../ocr/job-views.openapi';
import { registerOcrPaths } from '../ocr/ocr.openapi';
import { registerChatPaths } from '../chat/chat.openapi';
import { registerAccountPaths } from '../account/account.openapi';
import { registerMetaPaths } from '../meta/meta.openapi';

/** One area's paths: it calls registry.registerPath for each operation, with the zod schemas its controller parses with. */
export type PathRegistration = (registry: OpenAPIRegistry, settings: Settings) => void;

/**
 * Every area whose paths the document describes. A new controller adds its `<area>.openapi.ts`
 * (a PathRegistration next to the controller) to this list; nothing else changes.
 */
export const API_PATHS: PathRegistration[] = [registerOcrPaths, registerJobViewPaths, registerChatPaths, registerAccountPaths, registerMetaPaths];

/**
 * The OpenAPI 3.1 document served at /api/v1/openapi.json, generated (by @asteasolutions/zod-to-openapi)
 * from the zod schemas the server validates requests with, so the spec and the server cannot drift.
 */
export function buildOpenApiDocument(settings: Settings, paths: PathRegistration[] = API_PATHS): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  for (const register of paths) register(registry, settings);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'OCR.chat-compatible API',
      version: '1.0.0',
      description:
        'One HTTP request turns an image or a PDF into text, Markdown and JSON. Authenticate with ' +
        '`Authorization: Bearer <token>` or `?api_token=<token>`; without a token calls are anonymous (the web app\'s session cookie speaks for its account on same-origin calls).',
    },
    security: [{}, { bearer: [] }, { queryToken: [] }],
  });
}
