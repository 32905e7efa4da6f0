import { Controller, Get, Inject } from '@nestjs/common';
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

  @Get('api/v1/languages')
  languages(): { count: number; languages: Platform['languages'] } {
    return { count: this.platform.languages.length, languages: this.platform.languages };
  }

  @Get(['api/v1/openapi.json', 'openapi.json'])
  openapi(): OpenAPIObject {
    return this.document;
  }
}
