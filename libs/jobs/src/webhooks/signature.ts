import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (standardwebhooks.com, also what Svix sends): the secret is
 * `whsec_<base64 key>`; the signature is HMAC-SHA256 with that key over `<id>.<timestamp>.<body>`,
 * sent as `webhook-signature: v1,<base64>` beside `webhook-id` and `webhook-timestamp` (Unix seconds).
 * A receiver recomputes it over the raw body and rejects timestamps far from its clock (replays).
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

export function webhookHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
