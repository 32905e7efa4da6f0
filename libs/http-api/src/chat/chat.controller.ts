import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { AppError, type JobRecord } from '@ocr/domain';
import { ownerOf } from '@ocr/auth';
import { resolveCaller } from '../auth/caller';
import { PLATFORM, type Platform } from '../platform';

/** POST /api/v1/chat/<uuid>/ body; the OpenAPI document is generated from it (chat.openapi.ts). */
export function chatBodySchema(maxChars: number) {
  return z.object({
    message: z
      .string()
      .trim()
      .min(1, 'message is empty')
      .max(maxChars, `message is longer than ${maxChars} characters (CHAT_MAX_MESSAGE_CHARS)`),
  });
}

@Controller('api/v1/chat')
export class ChatController {
  private readonly bodySchema: z.ZodType<{ message: string }>;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {
    this.bodySchema = chatBodySchema(platform.settings.CHAT_MAX_MESSAGE_CHARS);
  }

  /** Chat is account-gated; another account's job is a 404 like a missing one; only done jobs. */
  private async finishedJob(uuid: string, req: Request): Promise<JobRecord> {
    const caller = await resolveCaller(req, this.platform).catch((err: unknown) => {
      // ALLOW_ANONYMOUS=false makes a missing token a 401 already; say what chat needs either way.
      if (err instanceof AppError && err.code === 'unauthorized' && !req.headers.authorization && req.query['api_token'] === undefined) {
        throw new AppError('unauthorized', 'chat needs an account: send Authorization: Bearer <token> or ?api_token=<token>');
      }
      throw err;
    });
    if (caller.kind !== 'account') {
      throw new AppError('unauthorized', 'chat needs an account: send Authorization: Bearer <token> or ?api_token=<token>');
    }
    return this.platform.jobs.getOwned(uuid, ownerOf(caller));
  }

  @Post(':uuid')
  @HttpCode(200)
  async ask(@Param('uuid') uuid: string, @Body() body: unknown, @Req() req: Request): Promise<unknown> {
    const job = await this.finishedJob(uuid, req);
    if (job.status !== 'done') {
      const why = job.status === 'failed' ? `job failed: ${job.error ?? 'unknown reason'}` : `job is ${job.status}`;
      throw new AppError('not_ready', `${why}; chat is available once the job is done`, { status: job.status });
    }
    const parsed = this.bodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = issue?.path.length ? issue.message : 'send JSON {"message": "<your question>"}';
      throw new AppError('invalid_field', issue?.code === 'invalid_type' ? 'send JSON {"message": "<your question>"}' : message, { field: 'message' });
    }
    const view = await this.platform.jobs.view(job);
    return this.platform.ai.chat.ask(job, view, parsed.data.message);
  }

  @Get(':uuid/history')
  async history(@Param('uuid') uuid: string, @Req() req: Request): Promise<unknown> {
    const job = await this.finishedJob(uuid, req);
    return this.platform.ai.chat.history(job);
  }
}
