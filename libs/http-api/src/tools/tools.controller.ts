import { Controller, Get, Inject } from '@nestjs/common';
import { TOOL_PRESETS, type ToolPreset } from '@ocr/jobs';
import { PLATFORM, type Platform } from '../platform';

export interface ToolView extends ToolPreset {
  /** Whether this server can run the tool now; when false, `requires` says what the operator sets. */
  available: boolean;
  requires: string | null;
}

@Controller('api/v1/tools')
export class ToolsController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private requirement(tool: ToolPreset): string | null {
    const { ai, settings } = this.platform.app;
    if (tool.needsTarget && !ai.translationConfigured) return 'AI_BASE_URL and AI_TRANSLATE_MODEL (or AI_CHAT_MODEL)';
    if (tool.tier === 'vlm' && !ai.visionConfigured && !settings.VLM_FALLBACK_TO_CPU) return 'AI_BASE_URL and AI_VISION_MODEL';
    return null;
  }

  @Get()
  list(): { tools: ToolView[] } {
    return {
      tools: TOOL_PRESETS.map((t) => {
        const requires = this.requirement(t);
        return { ...t, available: requires === null, requires };
      }),
    };
  }
}
