import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Settings } from '@ocr/config';
import { errorResponse, jsonResponse, ref } from '../openapi/components';
import { jobListQuerySchema } from './job-list-query';
import { uuidParams } from './ocr.openapi';

/** The reads the web app makes: the caller's jobs, a job's progress as events, a page's image. */
export function registerJobViewPaths(registry: OpenAPIRegistry, settings: Settings): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ocr/',
    operationId: 'listJobs',
    summary: "The caller's jobs, newest first",
    description:
      "Anonymous callers see the jobs of their IP; the web app's session cookie counts as its account on same-origin calls. " +
      'Follow `next_cursor` for older jobs.',
    request: { query: jobListQuerySchema(settings) },
    responses: {
      200: jsonResponse('One page of jobs', {
        type: 'object',
        required: ['jobs', 'next_cursor'],
        properties: { jobs: { type: 'array', items: ref('JobSummary') }, next_cursor: { type: ['string', 'null'] } },
      }),
      400: errorResponse('A bad limit or cursor'),
      401: errorResponse('Invalid token'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ocr/{uuid}/events/',
    operationId: 'jobEvents',
    summary: "The job's progress as Server-Sent Events",
    description:
      'An `event: page` (data: index, status, error, pages_done, pages_failed, page_count) for each page already finished ' +
      'when the stream opens and for each page as it finishes, then one `event: done` or `event: failed` (data: uuid, status, ' +
      'pages_done, pages_failed, page_count, error), then the stream ends. Comment lines (`: heartbeat`) every ' +
      'EVENTS_HEARTBEAT_SECONDS. A deleted job ends with `failed` and error "the job was deleted". Same owner rule as GET.',
    request: { params: uuidParams },
    responses: {
      // Schemathesis (and OpenAPI 3.2's itemSchema) read an event stream's schema as one event's.
      200: {
        description: 'The event stream; the schema is that of one event',
        content: {
          'text/event-stream': {
            schema: {
              type: 'object',
              required: ['data'],
              properties: {
                event: { enum: ['page', 'done', 'failed'] },
                data: { type: 'string', contentMediaType: 'application/json', description: 'the event as JSON' },
              },
            },
          },
        },
      },
      401: errorResponse('Invalid token'),
      404: errorResponse('Unknown job'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ocr/{uuid}/pages/{index}/image',
    operationId: 'pageImage',
    summary: "The processed page image, in the pixel frame of the page's boxes",
    description:
      'WEBP, exactly `width` x `height` of the page (straightened, turned and scaled as it was read), so every bbox of the ' +
      'page lies on its ink. Cache-Control: private, max-age=PAGE_IMAGE_MAX_AGE_SECONDS, with an ETag (If-None-Match: 304).',
    request: {
      params: uuidParams.extend({ index: z.string().meta({ description: '0-based, as pages[].index', pattern: '^[0-9]+$' }) }),
    },
    responses: {
      200: { description: 'The image', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } },
      304: { description: 'Not modified (If-None-Match matched the ETag)' },
      400: errorResponse('The index is not a number'),
      401: errorResponse('Invalid token'),
      404: errorResponse("Unknown job, no such page, or the job's source is no longer kept"),
      409: errorResponse('The page is not read yet, or it failed'),
    },
  });
}
