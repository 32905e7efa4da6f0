import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { ownerOf } from '@ocr/auth';
import type { ChatReply } from '@ocr/ai';
import type { ChatHistory } from '@ocr/app';
import { chatCallerOf } from '../auth/caller';
import { PLATFORM, type Platform } from '../platform';

/**
 * POST /api/v1/chat/<uuid>/ body, for the OpenAPI document (chat.openapi.ts); the same rules are
 * checked by the chat use case (libs/app/src/chat-flow.ts).
 */
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
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  /** Chat is account-gated; another account's job is a 404 like a missing one; only done jobs. */
  @Post(':uuid')
  @HttpCode(200)
  async ask(@Param('uuid') uuid: string, @Body() body: unknown, @Req() req: Request): Promise<ChatReply> {
    return this.platform.app.chatFlow.ask(ownerOf(await chatCallerOf(req, this.platform)), uuid, body);
  }

  @Get(':uuid/history')
  async history(@Param('uuid') uuid: string, @Req() req: Request): Promise<ChatHistory> {
    return this.platform.app.chatFlow.history(ownerOf(await chatCallerOf(req, this.platform)), uuid);
  }
}
