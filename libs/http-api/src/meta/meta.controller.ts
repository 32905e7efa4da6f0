import { Controller, Get, Inject } from '@nestjs/common';
import { PLATFORM, type Platform } from '../platform';
import { OPENAPI_DOCUMENT } from './openapi';

@Controller()
export class MetaController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get('healthz')
  health(): { status: 'ok'; engine: string | null } {
    return { status: 'ok', engine: this.platform.engineName() };
  }

  @Get('api/v1/languages')
  languages(): { count: number; languages: Platform['languages'] } {
    return { count: this.platform.languages.length, languages: this.platform.languages };
  }

  @Get(['api/v1/openapi.json', 'openapi.json'])
  openapi(): typeof OPENAPI_DOCUMENT {
    return OPENAPI_DOCUMENT;
  }
}
