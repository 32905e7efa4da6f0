/** Who is calling: an account (by token) or an anonymous client (by IP). */
export type Caller = { kind: 'account'; accountId: string } | { kind: 'anonymous'; ip: string };

/** The owner id jobs are stored under; anonymous callers own jobs per IP. */
export function ownerOf(caller: Caller): string {
  return caller.kind === 'account' ? `acct:${caller.accountId}` : `anon:${caller.ip}`;
}

/** Token from `Authorization: Bearer <t>` or `?api_token=<t>`; undefined when neither is present. */
export function extractToken(authorization: string | undefined, queryToken: unknown): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    // A malformed Authorization header is a wrong token, not an anonymous call.
    return match?.[1]?.trim() ?? '';
  }
  if (typeof queryToken === 'string') return queryToken;
  if (Array.isArray(queryToken)) return '';
  return undefined;
}
