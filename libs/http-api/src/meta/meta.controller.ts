import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PLATFORM, type Platform } from '../platform';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { buildOpenApiDocument } from '../openapi/document';

@Controller()
export class MetaController {
  /** Generated once: the zod schemas and the registered formats are fixed once the app runs. */
  private readonly document: OpenAPIObject;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {
    this.document = buildOpenApiDocument(platform.settings);
  }

  @Get('healthz')
  health(): { status: 'ok'; engine: string | null } {
    return { status: 'ok', engine: this.platform.engineName() };
  }

  /** Whether every dependency answers now: 200 when ready, 503 (with each one's state) when not. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'unavailable'; dependencies: Record<string, boolean> }> {
    const dependencies = this.platform.readiness ? await this.platform.readiness() : {};
    const ready = Object.values(dependencies).every(Boolean);
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', dependencies };
  }

  @Get('api/v1/languages')
  languages(): { count: number; languages: Platform['app']['languages'] } {
    return { count: this.platform.app.languages.length, languages: this.platform.app.languages };
  }

  @Get(['api/v1/openapi.json', 'openapi.json'])
  openapi(): OpenAPIObject {
    return this.document;
  }
}
