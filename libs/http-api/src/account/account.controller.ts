import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '@ocr/domain';
import { deleteAccountWithJobs, meteredCaller, type MeteredCaller } from '@ocr/app';
import { callerOf } from '../auth/caller';
import { PLATFORM, type Platform } from '../platform';
import { setAllowanceHeaders } from './metering-http';

/** POST /api/v1/account/tokens/ body; the OpenAPI document is generated from it (account.openapi.ts). */
export const tokenBodySchema = z.object({ name: z.string().trim().min(1).max(100).default('api') }).strict();

const WEBHOOK_SCHEME = 'Standard Webhooks: webhook-signature = v1,base64(HMAC-SHA256(base64decode(secret without whsec_), id.timestamp.body))';

/** The caller's own account: plan, allowance, usage and tokens. */
@Controller('api/v1/account')
export class AccountController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private async caller(req: Request): Promise<MeteredCaller> {
    return meteredCaller(this.platform.app.callers, await callerOf(req, this.platform));
  }

  private async accountCaller(req: Request): Promise<MeteredCaller & { account: NonNullable<MeteredCaller['account']> }> {
    const c = await this.caller(req);
    if (c.caller.kind === 'anonymous') throw new AppError('unauthorized', 'this needs an account token');
    const account = c.account ?? (await this.platform.app.accounts.ensure(c.caller.accountId, 'operator'));
    return { ...c, account };
  }

  private async allowance(res: Response, c: MeteredCaller) {
    if (!this.platform.app.metering) return null;
    const a = await this.platform.app.metering.allowance(c.owner, c.plan.name);
    setAllowanceHeaders(res, a);
    return a;
  }

  /** Anonymous callers get their IP's allowance; accounts get their record and tokens (by prefix). */
  @Get()
  async show(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const c = await this.caller(req);
    const { settings } = this.platform.app;
    const common = {
      plan: c.plan.name,
      allowance: await this.allowance(res, c),
      max_pages_per_file: c.plan.maxPagesPerFile,
      credits_per_page: { cpu: settings.CPU_CREDITS_PER_PAGE, vlm: settings.VLM_CREDITS_PER_PAGE },
      metering: settings.METERING,
    };
    if (c.caller.kind === 'anonymous') return { id: null, email: null, ip: c.caller.ip, ...common };
    return {
      id: c.caller.accountId,
      email: c.account?.email ?? null,
      created_at: c.account?.created_at ?? null,
      ...common,
      tokens: await this.platform.app.accounts.listTokens(c.caller.accountId),
    };
  }

  @Get('usage')
  async usage(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const c = await this.caller(req);
    const meter = this.platform.app.metering;
    return {
      plan: c.plan.name,
      allowance: await this.allowance(res, c),
      days: meter ? await meter.usage(c.owner) : [],
    };
  }

  @Get('tokens')
  async tokens(@Req() req: Request): Promise<unknown> {
    const c = await this.accountCaller(req);
    return { tokens: await this.platform.app.accounts.listTokens(c.account.id) };
  }

  /** A new token, shown in full in this response only. */
  @Post('tokens')
  @HttpCode(201)
  async createToken(@Req() req: Request, @Body() body: unknown): Promise<unknown> {
    const c = await this.accountCaller(req);
    const parsed = tokenBodySchema.safeParse(body ?? {});
    if (!parsed.success) throw new AppError('invalid_field', 'body is {"name": "<1-100 characters>"}', { field: 'name' });
    const issued = await this.platform.app.accounts.issueToken(c.account.id, parsed.data.name);
    return { token: issued.token, prefix: issued.prefix, name: issued.name };
  }

  /** The secret webhooks to this account's callback URLs are signed with (made on first use). */
  @Get('webhook-secret')
  async webhookSecret(@Req() req: Request): Promise<{ secret: string; scheme: string }> {
    const c = await this.accountCaller(req);
    return { secret: await this.platform.app.accounts.webhookSecret(c.account.id), scheme: WEBHOOK_SCHEME };
  }

  /** A new secret: deliveries from now on are signed with it. */
  @Post('webhook-secret')
  @HttpCode(201)
  async rotateWebhookSecret(@Req() req: Request): Promise<{ secret: string; scheme: string }> {
    const c = await this.accountCaller(req);
    return { secret: await this.platform.app.accounts.rotateWebhookSecret(c.account.id), scheme: WEBHOOK_SCHEME };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(@Req() req: Request, @Param('id') id: string): Promise<void> {
    const c = await this.accountCaller(req);
    await this.platform.app.accounts.revokeToken(c.account.id, id);
  }

  /** Deletes the account with all its jobs and files, its tokens and sessions. */
  @Delete()
  @HttpCode(204)
  async remove(@Req() req: Request): Promise<void> {
    const c = await this.accountCaller(req);
    await deleteAccountWithJobs(this.platform.app, c.account.id);
  }
}
