import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError, errorMessage, type Account } from '@ocr/domain';
import { ownerOf } from '@ocr/auth';
import type { IssuedToken } from '@ocr/auth';
import { PLATFORM, type Platform } from '../platform';
import { deleteAccountWithJobs } from '@ocr/app';
import { credentialsForm, errorLine, esc, page, usageChart } from './html';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie';

const credentials = z.object({
  email: z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'enter an email address'),
  password: z.string().min(1).max(200),
});
const tokenName = z.string().trim().min(1).max(100);

/** The client as TRUST_PROXY lets Express see it; the key of the per-address limits. */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function setRetryAfter(res: Response, err: AppError): void {
  const seconds = err.details['retry_after'];
  if (typeof seconds === 'number') res.setHeader('Retry-After', String(seconds));
}

function field(body: unknown, name: string): string {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/** Sign up, sign in, the account page with its tokens, usage: plain HTML forms on a session cookie. */
@Controller()
export class WebController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private html(res: Response, status: number, title: string, body: string, signedIn: boolean): void {
    res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(page(title, body, signedIn));
  }

  private async sessionAccount(req: Request): Promise<Account | null> {
    return this.platform.app.accounts.sessionAccount(readCookie(req, SESSION_COOKIE));
  }

  @Get('signup')
  signupForm(@Res() res: Response): void {
    this.signupPage(res, 200, '', null);
  }

  private signupPage(res: Response, status: number, email: string, error: string | null): void {
    const closed = !this.platform.settings.ALLOW_SIGNUP;
    const body = closed
      ? '<p>Sign-up is closed on this server; ask the operator for an account.</p>'
      : `${credentialsForm('/signup', email, error)}<p>Have an account? <a href="/signin">Sign in</a>.</p>`;
    this.html(res, status, 'Create an account', body, false);
  }

  @Post('signup')
  async signup(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.platform.settings.ALLOW_SIGNUP) throw new AppError('unauthorized', 'sign-up is closed on this server');
    const parsed = credentials.safeParse({ email: field(req.body, 'email'), password: field(req.body, 'password') });
    if (!parsed.success || parsed.data.password.length < 8) {
      this.signupPage(res, 400, field(req.body, 'email'), parsed.success ? 'The password needs at least 8 characters.' : 'Enter an email address and a password.');
      return;
    }
    let account: Account;
    try {
      account = await this.platform.app.accounts.signUp(parsed.data.email, parsed.data.password, clientIp(req));
    } catch (err) {
      if (err instanceof AppError && err.code === 'email_taken') {
        this.signupPage(res, 409, parsed.data.email, 'An account with this email exists already; sign in instead.');
        return;
      }
      if (err instanceof AppError && err.code === 'too_many_requests') {
        setRetryAfter(res, err);
        this.signupPage(res, 429, parsed.data.email, `Too many sign-ups from your address; ${errorMessage(err).replace(/^.*; /, '')}.`);
        return;
      }
      throw err;
    }
    const session = await this.platform.app.accounts.openSession(account.id);
    setSessionCookie(req, res, session, this.platform.settings.SESSION_HOURS);
    const issued = await this.platform.app.accounts.issueToken(account.id, 'first token');
    await this.accountPage(res, 201, account, issued, null);
  }

  @Get('signin')
  signinForm(@Res() res: Response): void {
    this.html(res, 200, 'Sign in', `${credentialsForm('/signin', '', null)}<p>No account? <a href="/signup">Sign up</a>.</p>`, false);
  }

  @Post('signin')
  async signin(@Req() req: Request, @Res() res: Response): Promise<void> {
    const email = field(req.body, 'email');
    try {
      const { session } = await this.platform.app.accounts.signIn(email, field(req.body, 'password'), clientIp(req));
      setSessionCookie(req, res, session, this.platform.settings.SESSION_HOURS);
      res.redirect(303, '/account');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'too_many_requests') setRetryAfter(res, err);
      this.html(res, err.status === 429 ? 429 : 401, 'Sign in', credentialsForm('/signin', email, errorMessage(err)), false);
    }
  }

  @Post('signout')
  async signout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.platform.app.accounts.signOut(readCookie(req, SESSION_COOKIE));
    clearSessionCookie(req, res);
    res.redirect(303, '/signin');
  }

  @Get('account')
  async account(@Req() req: Request, @Res() res: Response): Promise<void> {
    const account = await this.sessionAccount(req);
    if (!account) return res.redirect(303, '/signin');
    await this.accountPage(res, 200, account, null, null);
  }

  @Post('account/tokens')
  async createToken(@Req() req: Request, @Res() res: Response): Promise<void> {
    const account = await this.sessionAccount(req);
    if (!account) return res.redirect(303, '/signin');
    const name = tokenName.safeParse(field(req.body, 'name'));
    if (!name.success) return this.accountPage(res, 400, account, null, 'Give the token a name (1-100 characters).');
    await this.accountPage(res, 201, account, await this.platform.app.accounts.issueToken(account.id, name.data), null);
  }

  @Post('account/tokens/:id/revoke')
  async revokeToken(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const account = await this.sessionAccount(req);
    if (!account) return res.redirect(303, '/signin');
    await this.platform.app.accounts.revokeToken(account.id, id);
    res.redirect(303, '/account');
  }

  @Post('account/delete')
  async deleteAccount(@Req() req: Request, @Res() res: Response): Promise<void> {
    const account = await this.sessionAccount(req);
    if (!account) return res.redirect(303, '/signin');
    if (field(req.body, 'confirm') !== 'delete') return this.accountPage(res, 400, account, null, 'Type delete to confirm.');
    await deleteAccountWithJobs(this.platform.app, account.id);
    clearSessionCookie(req, res);
    this.html(res, 200, 'Account deleted', '<p>Your account, its tokens, jobs and files are deleted.</p>', false);
  }

  @Get('account/usage')
  async usage(@Req() req: Request, @Res() res: Response): Promise<void> {
    const account = await this.sessionAccount(req);
    if (!account) return res.redirect(303, '/signin');
    const days = (await this.platform.app.metering?.usage(ownerOf({ kind: 'account', accountId: account.id }))) ?? [];
    const rows = days.map((d) => `<tr><td>${esc(d.day)}</td><td>${esc(d.tier)}</td><td>${d.pages}</td><td>${d.credits}</td></tr>`).join('');
    const perDay = new Map<string, number>();
    for (const d of days) perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.pages);
    const chart = usageChart([...perDay].map(([day, pages]) => ({ day, pages })));
    const body = `${await this.allowanceLine(account)}${chart}
<div class="table-scroll"><table><caption>Pages charged per day (UTC) and tier</caption><thead><tr><th scope="col">day</th><th scope="col">tier</th><th scope="col">pages</th><th scope="col">credits</th></tr></thead>
<tbody id="usage-rows">${rows || '<tr><td colspan="4">No pages yet.</td></tr>'}</tbody></table></div>`;
    this.html(res, 200, 'Usage', body, true);
  }

  private async allowanceLine(account: Account): Promise<string> {
    const meter = this.platform.app.metering;
    const plan = this.platform.app.plans[account.plan];
    if (!meter) return `<p>Plan: <strong>${esc(plan.name)}</strong>; metering is off on this server.</p>`;
    const a = await meter.allowance(ownerOf({ kind: 'account', accountId: account.id }), plan.name);
    const what = a.limit === 'monthly_pages' ? 'this month' : a.limit === 'daily_pages' ? 'today' : 'credits';
    const cap = a.cap === null ? 'unlimited' : String(a.cap);
    return `<p id="allowance">Plan: <strong>${esc(plan.name)}</strong>. Used <strong id="used">${a.used}</strong> of ${esc(cap)} (${what}); remaining <strong id="remaining">${a.remaining ?? 'unlimited'}</strong>.
Up to ${plan.maxPagesPerFile} pages per file.</p>`;
  }

  private async accountPage(res: Response, status: number, account: Account, issued: IssuedToken | null, error: string | null): Promise<void> {
    const tokens = await this.platform.app.accounts.listTokens(account.id);
    const fresh = issued
      ? `<section aria-labelledby="new-token-h" class="card"><h2 id="new-token-h">Your new API token</h2>
<p>Shown only now: copy it and keep it safe. Use it as <code>Authorization: Bearer &lt;token&gt;</code> or <code>?api_token=&lt;token&gt;</code>.</p>
<div class="token"><label for="new-token">Token</label>
<input id="new-token" type="text" readonly size="50" value="${esc(issued.token)}">
<button type="button" data-copy="new-token">Copy</button></div><p id="new-token-status" role="status" aria-live="polite"></p></section>`
      : '';
    const rows = tokens
      .map(
        (t) => `<tr><td><code>${esc(t.prefix)}…</code></td><td>${esc(t.name)}</td><td>${esc(t.created_at.slice(0, 16).replace('T', ' '))}</td>
<td>${t.revoked_at ? 'revoked' : `<form method="post" action="/account/tokens/${esc(t.id)}/revoke"><button type="submit" aria-label="Revoke token ${esc(t.name)}">Revoke</button></form>`}</td></tr>`,
      )
      .join('');
    const body = `${errorLine(error)}<p>Signed in as <strong>${esc(account.email ?? account.id)}</strong>.</p>
${await this.allowanceLine(account)}<p><a href="/account/usage">Usage per day</a></p>${fresh}
<section aria-labelledby="tokens-h" class="card"><h2 id="tokens-h">API tokens</h2>
<div class="table-scroll"><table><thead><tr><th scope="col">token</th><th scope="col">name</th><th scope="col">created (UTC)</th><th scope="col">status</th></tr></thead><tbody>${rows}</tbody></table></div>
<form method="post" action="/account/tokens"><label for="token-name">New token name</label>
<input id="token-name" name="name" type="text" required maxlength="100" value="api"><div><button type="submit">Create token</button></div></form></section>
<section aria-labelledby="delete-h" class="card"><h2 id="delete-h">Delete account</h2><p>Deletes the account with all its jobs, files and tokens.</p>
<form method="post" action="/account/delete"><label for="confirm">Type <kbd>delete</kbd> to confirm</label>
<input id="confirm" name="confirm" type="text" required autocomplete="off"><div><button type="submit" class="danger">Delete account</button></div></form></section>`;
    this.html(res, status, 'Your account', body, true);
  }
}
