import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { SchemaObject } from 'openapi3-ts/oas31';
import { ERROR_STATUS } from '@ocr/domain';

/**
 * What the server answers with, as JSON Schema components of the OpenAPI document. Requests are
 * described by the zod schemas the server parses with (next to each controller, *.openapi.ts);
 * responses are written by the server's own view code, and schemathesis checks them against
 * these in the suite (test/e2e/schemathesis.test.ts).
 */
const bbox: SchemaObject = {
  type: 'array',
  items: { type: 'number' },
  minItems: 4,
  maxItems: 4,
  description: '[x0, y0, x1, y1] in pixels of the processed page (see page width, height, dpi)',
};

const confidence: SchemaObject = { type: 'number', minimum: 0, maximum: 1 };

const SCHEMAS: Record<string, SchemaObject> = {
  Error: {
    type: 'object',
    required: ['error', 'message'],
    properties: { error: { enum: Object.keys(ERROR_STATUS), description: 'a stable code; the status follows from it' }, message: { type: 'string' } },
    additionalProperties: true,
  },
  Word: {
    type: 'object',
    required: ['text', 'bbox', 'confidence'],
    properties: { text: { type: 'string' }, bbox, confidence },
  },
  Line: {
    type: 'object',
    required: ['text', 'bbox', 'confidence', 'words'],
    properties: { text: { type: 'string' }, bbox, confidence, words: { type: 'array', items: { $ref: '#/components/schemas/Word' } } },
  },
  Block: {
    type: 'object',
    required: ['text', 'bbox', 'confidence'],
    properties: {
      text: { type: 'string' },
      bbox,
      confidence,
      kind: { enum: ['heading', 'paragraph', 'list_item'] },
      level: { type: 'integer', minimum: 1, maximum: 6 },
      lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
      box_source: {
        enum: ['engine', 'text-layer', 'aligned', 'estimated', 'translated'],
        description: 'how the boxes were obtained (absent: engine); see docs/AI-TIER.md',
      },
      confidence_source: { enum: ['engine', 'text-layer', 'alignment', 'none'], description: 'how confidence was obtained (absent: engine)' },
    },
  },
  Translation: {
    type: 'object',
    properties: { language: { type: 'string' }, text: { type: 'string' }, markdown: { type: 'string' }, model: { type: 'string' } },
  },
  Citation: {
    type: 'object',
    required: ['page', 'snippet'],
    properties: {
      page: { type: 'integer', minimum: 1, description: '1-based page number' },
      snippet: { type: 'string', description: 'occurs verbatim (whitespace aside) in that page\'s text' },
      bbox: { oneOf: [bbox, { type: 'null' }] },
    },
  },
  ChatMessage: {
    type: 'object',
    required: ['role', 'content'],
    properties: {
      role: { enum: ['user', 'assistant'] },
      content: { type: 'string' },
      citations: { type: 'array', items: { $ref: '#/components/schemas/Citation' } },
      mode: { enum: ['model', 'extractive'] },
      notes: { type: 'array', items: { type: 'string' } },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  Page: {
    type: 'object',
    required: ['index', 'text', 'blocks'],
    properties: {
      index: { type: 'integer', minimum: 0, description: '0-based' },
      source_page: { type: 'integer', minimum: 1, description: 'the 1-based number of this page in the uploaded file' },
      status: { enum: ['pending', 'processing', 'done', 'failed'] },
      text: { type: 'string' },
      markdown: { type: 'string' },
      blocks: { type: 'array', items: { $ref: '#/components/schemas/Block' } },
      width: { type: 'integer', description: 'pixels of the processed page' },
      height: { type: 'integer' },
      dpi: { type: 'integer' },
      rotation: { enum: [0, 90, 180, 270], description: 'clockwise rotation applied before recognition' },
      skew: { type: 'number', description: 'degrees of skew removed before recognition' },
      source: { enum: ['ocr', 'text-layer', 'vlm'] },
      model: { type: 'string', description: 'vision model that read the page (source vlm)' },
      translation: { $ref: '#/components/schemas/Translation' },
      languages: { type: 'array', items: { type: 'string' } },
      script: { type: 'string' },
      detection: {
        type: 'object',
        description: 'language=auto: the script and language found before the full reading (docs/API-NOTES.md#languages)',
        properties: {
          script: { type: 'string' },
          script_confidence: { type: 'number', minimum: 0, maximum: 1 },
          language: { type: 'string', description: 'the Tesseract model the page was read with' },
          language_confidence: { type: 'number', minimum: 0, maximum: 1 },
          probes: { type: 'integer', minimum: 0, description: 'short readings of a band of the page that decided it' },
          other_scripts: {
            type: 'array',
            description: "words of another script found on the page (Greek words on a French page), read with that script's model beside the page's language",
            items: {
              type: 'object',
              properties: { script: { type: 'string' }, language: { type: 'string' }, words: { type: 'integer', minimum: 1 } },
            },
          },
        },
      },
      recognition_passes: { type: 'integer', minimum: 0, description: 'whole-page recognition passes' },
      mean_confidence: confidence,
      warnings: { type: 'array', items: { type: 'string' } },
      error: { type: ['string', 'null'] },
      engine_ms: { type: ['integer', 'null'] },
      timings: {
        type: ['object', 'null'],
        description: 'milliseconds per stage, null until the page is done (docs/API-NOTES.md)',
        properties: {
          extract_ms: { type: 'integer' },
          rasterise_ms: { type: 'integer' },
          engine_wait_ms: { type: 'integer' },
          recognition_ms: { type: 'array', items: { type: 'integer' }, description: 'one per recognition pass' },
          orientation_ms: { type: 'integer' },
          model_ms: { type: 'integer' },
          layout_ms: { type: 'integer' },
          tables_ms: { type: 'integer' },
          store_ms: { type: 'integer' },
        },
      },
    },
  },
  JobSummary: {
    type: 'object',
    required: ['uuid', 'status', 'page_count', 'pages_done', 'created_at', 'expires_at'],
    properties: {
      uuid: { type: 'string', format: 'uuid' },
      status: { enum: ['pending', 'processing', 'done', 'failed'] },
      filename: { type: ['string', 'null'], description: "the uploaded file's name, as sent" },
      tier: { enum: ['cpu', 'vlm'] },
      language: { type: 'string' },
      tool: { type: ['string', 'null'] },
      translate_to: { type: ['string', 'null'] },
      page_count: { type: 'integer' },
      pages_done: { type: 'integer' },
      pages_failed: { type: 'integer' },
      created_at: { type: 'string', format: 'date-time' },
      finished_at: { type: ['string', 'null'], format: 'date-time' },
      expires_at: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'when retention deletes the job (RETENTION_HOURS after it finished); null while it is read',
      },
      expires_in_seconds: { type: ['integer', 'null'], description: 'seconds left before expires_at when the response was made' },
    },
  },
  Job: {
    type: 'object',
    required: ['uuid', 'status', 'tier', 'language', 'page_count', 'mean_confidence', 'text', 'markdown', 'pages'],
    properties: {
      uuid: { type: 'string', format: 'uuid' },
      status: { enum: ['pending', 'processing', 'done', 'failed'] },
      tier: { enum: ['cpu', 'vlm'] },
      language: { type: 'string' },
      tool: { type: ['string', 'null'] },
      translate_to: { type: ['string', 'null'] },
      page_count: { type: 'integer' },
      source_pages: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        description: "the 1-based page numbers in the uploaded file that the job's pages are, in order (pages=)",
      },
      pages_done: { type: 'integer' },
      pages_failed: { type: 'integer' },
      mean_confidence: { ...confidence, description: '0 until the job is done' },
      text: { type: 'string', description: 'pages separated by a form feed (U+000C); empty until done' },
      markdown: { type: 'string', description: 'pages separated by <!-- page N --> markers; empty until done' },
      detected_languages: { type: 'array', items: { type: 'string' } },
      error: { type: ['string', 'null'] },
      warnings: { type: 'array', items: { type: 'string' } },
      created_at: { type: 'string', format: 'date-time' },
      finished_at: { type: ['string', 'null'], format: 'date-time' },
      pages: { type: 'array', items: { $ref: '#/components/schemas/Page' } },
      callback_url: { type: 'string', description: 'callback_url as submitted' },
      webhook: {
        type: 'object',
        description: 'the delivery of callback_url once the job finished (docs/API-NOTES.md#webhooks)',
        required: ['id', 'status', 'attempts', 'next_attempt_at'],
        properties: {
          id: { type: 'string', description: 'webhook-id of the message, the same on every retry' },
          status: { enum: ['pending', 'delivered', 'failed'] },
          attempts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['at', 'status', 'error', 'ms'],
              properties: {
                at: { type: 'string', format: 'date-time' },
                status: { type: ['integer', 'null'] },
                error: { type: ['string', 'null'] },
                ms: { type: 'integer' },
              },
            },
          },
          next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      translation: { $ref: '#/components/schemas/Translation' },
    },
  },
};

export function registerComponents(registry: OpenAPIRegistry): void {
  for (const [name, schema] of Object.entries(SCHEMAS)) registry.registerComponent('schemas', name, schema);
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'queryToken', { type: 'apiKey', in: 'query', name: 'api_token' });
}

/** For operations that need an account token: anonymous callers get 401 (the document's default also allows none). */
export const ACCOUNT_ONLY: Array<Record<string, string[]>> = [{ bearer: [] }, { queryToken: [] }];

/** A reference to a registered response schema. */
export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** An error answer: always the JSON error body. */
export function errorResponse(description: string): ResponseConfig {
  return { description, content: { 'application/json': { schema: ref('Error') } } };
}

/** A JSON answer of a registered schema, or of an inline one. */
export function jsonResponse(description: string, schema: SchemaObject | { $ref: string }): ResponseConfig {
  return { description, content: { 'application/json': { schema } } };
}
