import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible model server for the tests: the real protocol (POST /v1/chat/completions
 * with text and image_url parts, JSON answers, server-sent-event streams, error statuses), answering
 * from what each test tells it. It is the only fake in the suite; the service under test is real.
 */

export type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ModelRequest {
  model: string;
  messages: Array<{ role: string; content: string | Part[] }>;
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  authorization: string | undefined;
}

export type Reply =
  /** A normal answer: JSON, or a stream when the request asked for one (which can stall after some chunks). */
  | { content: string; stallAfterChunks?: number; finishReason?: 'stop' | 'length' }
  /** An error status with an OpenAI-style error body. */
  | { status: number; message?: string; retryAfterSeconds?: number }
  /** 200 with a body that is not the protocol (a proxy's HTML page). */
  | { garbage: string; contentType?: string }
  /** Answers only after a while (a slow or stuck server). */
  | { delayMs: number; then: Reply };

export type Responder = (req: ModelRequest, count: number) => Reply | Promise<Reply>;

export interface FakeModelServer {
  /** The base URL to configure (AI_BASE_URL), ending in /v1. */
  url: string;
  requests: ModelRequest[];
  respond: Responder;
  close(): Promise<void>;
}

export function textOf(req: ModelRequest, role?: string): string {
  return req.messages
    .filter((m) => role === undefined || m.role === role)
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n')))
    .join('\n');
}

export function imagesOf(req: ModelRequest): string[] {
  return req.messages.flatMap((m) =>
    typeof m.content === 'string' ? [] : m.content.filter((p): p is Extract<Part, { type: 'image_url' }> => p.type === 'image_url').map((p) => p.image_url.url),
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let ids = 0;

function completion(model: string, content: string, finishReason = 'stop'): object {
  return {
    id: `chatcmpl-fake-${++ids}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function streamAnswer(res: ServerResponse, model: string, content: string, stallAfterChunks?: number, finishReason = 'stop'): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const id = `chatcmpl-fake-${++ids}`;
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (let i = 0, n = 0; i < content.length; i += 16, n++) {
    // A stalled stream: headers and some chunks, then silence with the connection open.
    if (stallAfterChunks !== undefined && n >= stallAfterChunks) return;
    res.write(chunk({ content: content.slice(i, i + 16) }, null));
  }
  res.write(chunk({}, finishReason));
  res.end('data: [DONE]\n\n');
}

async function send(res: ServerResponse, req: ModelRequest, reply: Reply): Promise<void> {
  if ('delayMs' in reply) {
    await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    return send(res, req, reply.then);
  }
  if ('status' in reply) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify({ error: { message: reply.message ?? `fake error ${reply.status}`, type: 'server_error', code: null } }));
    return;
  }
  if ('garbage' in reply) {
    res.writeHead(200, { 'content-type': reply.contentType ?? 'text/html' });
    res.end(reply.garbage);
    return;
  }
  if (req.stream) return streamAnswer(res, req.model, reply.content, reply.stallAfterChunks, reply.finishReason);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(completion(req.model, reply.content, reply.finishReason)));
}

export async function startFakeModelServer(respond: Responder = () => ({ content: '' })): Promise<FakeModelServer> {
  const requests: ModelRequest[] = [];
  const fake: FakeModelServer = { url: '', requests, respond, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake', object: 'model', owned_by: 'tests' }] }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      let body: Omit<ModelRequest, 'authorization'>;
      try {
        body = JSON.parse(await readBody(req)) as Omit<ModelRequest, 'authorization'>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'invalid JSON' } }));
        return;
      }
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'model and messages are required' } }));
        return;
      }
      const request: ModelRequest = { ...body, authorization: req.headers.authorization };
      requests.push(request);
      await send(res, request, await fake.respond(request, requests.length));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
