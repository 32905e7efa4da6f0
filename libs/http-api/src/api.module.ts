import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppExceptionFilter } from './errors/app-exception.filter';
import { MetaController } from './meta/meta.controller';
import { OcrController } from './ocr/ocr.controller';
import { AccountController } from './account/account.controller';
import { WebController } from './web/web.controller';
import { WebAppController } from './web/web-app.controller';
import { ChatController } from './chat/chat.controller';
import { ToolsController } from './tools/tools.controller';
import { MetricsController } from './metrics/metrics.controller';
import { PLATFORM, type Platform } from './platform';

@Module({})
export class ApiModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: ApiModule,
      controllers: [OcrController, MetaController, AccountController, WebController, ChatController, ToolsController, WebAppController, MetricsController],
      providers: [
        { provide: PLATFORM, useValue: platform },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
      ],
    };
  }
}
