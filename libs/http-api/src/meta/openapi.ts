/**
 * The OpenAPI 3.1 description of the public API, served at /api/v1/openapi.json.
 * Kept by hand next to the controllers; a test checks every documented path answers.
 */
const bbox = {
  type: 'array',
  items: { type: 'number' },
  minItems: 4,
  maxItems: 4,
  description: '[x0, y0, x1, y1] in pixels of the processed page (see page width, height, dpi)',
} as const;

const confidence = { type: 'number', minimum: 0, maximum: 1 } as const;

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const uuidParam = { name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } } as const;

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'OCR.chat-compatible API',
    version: '1.0.0',
    description:
      'One HTTP request turns an image or a PDF into text, Markdown and JSON. Authenticate with ' +
      '`Authorization: Bearer <token>` or `?api_token=<token>`; without a token calls are anonymous.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      queryToken: { type: 'apiKey', in: 'query', name: 'api_token' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: { error: { type: 'string' }, message: { type: 'string' } },
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
          translation: { $ref: '#/components/schemas/Translation' },
        },
      },
    },
  },
  security: [{}, { bearer: [] }, { queryToken: [] }],
  paths: {
    '/api/v1/ocr/': {
      post: {
        summary: 'Submit a document',
        description:
          'Pages are reserved against the caller\'s plan before any work and charged when done (failed pages cost nothing). ' +
          'Responses carry X-Plan, X-Credits-Limit, X-Credits-Cap, X-Credits-Used, X-Credits-Remaining and X-Credits-Reset.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description: 'A retry with the same key (same caller) answers with the same job and is charged once',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: { type: 'string', format: 'binary' },
                  tier: { enum: ['cpu', 'vlm'], default: 'cpu' },
                  language: { type: 'string', default: 'auto' },
                  tool: { type: 'string' },
                  translate_to: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Finished job (5 pages or fewer)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '202': { description: 'Accepted; poll the job', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '400': error('No file, unsupported type, file too large, too many pages, or a bad field'),
          '401': error('Invalid token'),
          '402': error('Over the allowance, credits or per-file page cap: the body has limit, used and cap'),
        },
      },
    },
    '/api/v1/ocr/{uuid}/': {
      get: {
        summary: 'The job',
        parameters: [uuidParam],
        responses: {
          '200': { description: 'The job', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '401': error('Invalid token'),
          '404': error('Unknown job'),
        },
      },
      delete: {
        summary: 'Delete the job and its files',
        parameters: [uuidParam],
        responses: { '204': { description: 'Deleted' }, '401': error('Invalid token'), '404': error('Unknown job') },
      },
    },
    '/api/v1/ocr/{uuid}/download/': {
      get: {
        summary: 'Export the result',
        parameters: [
          uuidParam,
          { name: 'format', in: 'query', required: true, schema: { enum: ['txt', 'md', 'json', 'docx', 'pdf', 'csv', 'hocr', 'alto'] } },
          { name: 'lang', in: 'query', required: false, schema: { enum: ['original', 'translated'], default: 'original' } },
          { name: 'table', in: 'query', required: false, description: 'csv only: the 1-based table to return alone', schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': {
            description: 'The export (hocr: hOCR 1.2 XHTML; alto: ALTO v4 XML)',
            content: {
              'text/plain': {},
              'text/markdown': {},
              'application/json': {},
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {},
              'text/html': {},
              'application/xml': {},
            },
          },
          '400': error('Unknown or unavailable format'),
          '401': error('Invalid token'),
          '404': error('Unknown job'),
          '409': error('Job not finished'),
        },
      },
    },
    '/api/v1/chat/{uuid}/': {
      post: {
        summary: 'Ask about a finished job (account token required)',
        parameters: [uuidParam],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } },
        },
        responses: {
          '200': {
            description: 'The answer, grounded in the job\'s text, with verified citations',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { conversation: { type: 'string' }, message: { $ref: '#/components/schemas/ChatMessage' } },
                },
              },
            },
          },
          '400': error('No or empty message'),
          '401': error('No or invalid account token'),
          '404': error('Unknown job'),
          '409': error('Job not finished'),
        },
      },
    },
    '/api/v1/chat/{uuid}/history/': {
      get: {
        summary: 'The conversation of the job',
        parameters: [uuidParam],
        responses: {
          '200': {
            description: 'All messages, oldest first',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    conversation: { type: ['string', 'null'] },
                    job: { type: 'string' },
                    messages: { type: 'array', items: { $ref: '#/components/schemas/ChatMessage' } },
                  },
                },
              },
            },
          },
          '401': error('No or invalid account token'),
          '404': error('Unknown job'),
        },
      },
    },
    '/api/v1/languages/': {
      get: { summary: 'Installed recognition languages', responses: { '200': { description: 'Languages' } } },
    },
    '/api/v1/tools/': {
      get: { summary: 'Tool presets', responses: { '200': { description: 'Tools' } } },
    },
    '/api/v1/account/': {
      get: {
        summary: 'The caller: plan, allowance and tokens (by prefix); anonymous callers get their IP\'s daily allowance',
        responses: { '200': { description: 'The account' }, '401': error('Invalid token') },
      },
      delete: {
        summary: 'Delete the account with all its jobs, files and tokens',
        responses: { '204': { description: 'Deleted' }, '401': error('An account token is needed') },
      },
    },
    '/api/v1/account/usage/': {
      get: {
        summary: 'Pages and credits charged per UTC day and tier, and the current allowance',
        responses: { '200': { description: 'Usage' }, '401': error('Invalid token') },
      },
    },
    '/api/v1/account/tokens/': {
      post: {
        summary: 'A new API token, shown in full only in this response',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } } } } } },
        responses: { '201': { description: 'The token' }, '401': error('An account token is needed') },
      },
      get: {
        summary: 'The account\'s tokens, by prefix',
        responses: { '200': { description: 'Tokens' }, '401': error('An account token is needed') },
      },
    },
    '/api/v1/account/tokens/{id}/': {
      delete: {
        summary: 'Revoke a token (its id from the listing); it gets 401 from then on',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'Revoked' }, '401': error('An account token is needed'), '404': error('No such token on this account') },
      },
    },
    '/healthz': {
      get: { summary: 'Liveness', responses: { '200': { description: 'OK' } } },
    },
  },
} as const;
