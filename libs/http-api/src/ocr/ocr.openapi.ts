import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Settings } from '@ocr/config';
import { errorResponse, jsonResponse, ref } from '../openapi/components';
import { idempotencyKeySchema } from '../account/metering-http';
import { submitFieldsSchema } from '@ocr/app';
import { downloadQuerySchema } from './download-query';

export const uuidParams = z.object({ uuid: z.string().meta({ description: 'the job uuid', format: 'uuid' }) });

/** The upload itself: multer reads it, the fields are submitFieldsSchema's. */
const submitBody = submitFieldsSchema.extend({
  file: z.string().meta({ format: 'binary', description: 'PNG, JPEG, WEBP, GIF, BMP, TIFF or PDF (detected by content)' }),
});

export function registerOcrPaths(registry: OpenAPIRegistry, settings: Settings): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/ocr/',
    operationId: 'submitDocument',
    summary: 'Submit a document',
    description:
      "Pages are reserved against the caller's plan before any work and charged when done (failed pages cost nothing). " +
      'Responses carry X-Plan, X-Credits-Limit, X-Credits-Cap, X-Credits-Used, X-Credits-Remaining and X-Credits-Reset.',
    request: {
      headers: z.object({ 'Idempotency-Key': idempotencyKeySchema.optional() }),
      body: { required: true, content: { 'multipart/form-data': { schema: submitBody } } },
    },
    responses: {
      200: jsonResponse(`Finished job (${settings.INLINE_PAGE_LIMIT} pages or fewer)`, ref('Job')),
      202: jsonResponse('Accepted; poll the job', ref('Job')),
      400: errorResponse('No file, unsupported type, file too large, too many pages, a bad field or a bad Idempotency-Key'),
      401: errorResponse('Invalid token'),
      402: errorResponse('Over the allowance, credits or per-file page cap: the body has limit, used and cap'),
      413: errorResponse('Request body too large'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ocr/{uuid}/',
    operationId: 'getJob',
    summary: 'The job',
    request: { params: uuidParams },
    responses: { 200: jsonResponse('The job', ref('Job')), 401: errorResponse('Invalid token'), 404: errorResponse('Unknown job') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/ocr/{uuid}/',
    operationId: 'deleteJob',
    summary: 'Delete the job and its files',
    request: { params: uuidParams },
    responses: { 204: { description: 'Deleted' }, 401: errorResponse('Invalid token'), 404: errorResponse('Unknown job') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ocr/{uuid}/download/',
    operationId: 'downloadExport',
    summary: 'Export the result',
    request: { params: uuidParams, query: downloadQuerySchema() },
    responses: {
      200: {
        description: 'The export (hocr: hOCR 1.2 XHTML; alto: ALTO v4 XML)',
        content: {
          'text/plain': { schema: {} },
          'text/markdown': { schema: {} },
          'text/csv': { schema: {} },
          'application/json': { schema: {} },
          'application/pdf': { schema: {} },
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: {} },
          'text/html': { schema: {} },
          'application/xhtml+xml': { schema: {} },
          'application/xml': { schema: {} },
        },
      },
      400: errorResponse('Missing, unknown or unavailable format; lang=translated on a job without a translation; a bad table'),
      401: errorResponse('Invalid token'),
      404: errorResponse('Unknown job'),
      409: errorResponse('Job not finished, or (csv) no table in the document'),
    },
  });
}
