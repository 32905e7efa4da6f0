import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import type { PageProcessor } from '@ocr/jobs';
import { createEnginePool, listLanguages, resolveTessdataDir, type EnginePool, type LanguageInfo } from '@ocr/ocr';
import { OcrPageProcessor } from '@ocr/page-worker';
import { ChatService, ModelClient, modelConfig, TranslatingPageProcessor, Translator, VlmEngine } from '@ocr/ai';
import type { ChatStore } from '@ocr/domain';

/** What reads pages: the engines, the model server, and the processor that combines them. */
export interface PageEngines {
  pool: EnginePool;
  processor: PageProcessor;
  languages: LanguageInfo[];
  tessdata: string | null;
  scratch: string;
  vlmConfigured: boolean;
  translationConfigured: boolean;
  models: ModelClient;
}

/** The recognition languages and model roles, without starting engines (the gateway validates with them). */
export function describeEngines(settings: Settings, log: Logger): { languages: LanguageInfo[]; tessdata: string | null; vlmConfigured: boolean; translationConfigured: boolean; models: ModelClient } {
  const tessdata = resolveTessdataDir(settings);
  const models = new ModelClient(modelConfig(settings), log);
  return {
    tessdata,
    languages: listLanguages(tessdata),
    models,
    vlmConfigured: new VlmEngine(models, settings.VLM_MAX_IMAGE_SIDE).configured,
    translationConfigured: new Translator(models).configured,
  };
}

export async function scratchDir(settings: Settings): Promise<string> {
  const scratch = join(settings.dataDir, 'scratch');
  await mkdir(scratch, { recursive: true });
  return scratch;
}

/** Engines (one per OCR_WORKERS), the vlm engine when a model is configured, the translate step. */
export async function openPageEngines(settings: Settings, log: Logger): Promise<PageEngines> {
  const pool = await createEnginePool(settings);
  const { tessdata, languages, models } = describeEngines(settings, log);
  const scratch = await scratchDir(settings);
  const vlm = new VlmEngine(models, settings.VLM_MAX_IMAGE_SIDE);
  const translator = new Translator(models);
  const ocrProcessor = new OcrPageProcessor(
    pool,
    languages,
    tessdata,
    settings,
    scratch,
    vlm.configured ? { engine: vlm, settings: { fallback: settings.VLM_PAGE_FALLBACK } } : null,
  );
  // The translate step wraps recognition, page by page (tool=translate jobs only).
  const processor: PageProcessor = new TranslatingPageProcessor(ocrProcessor, translator, settings.PAGE_TIMEOUT_SECONDS * 1000);
  return { pool, processor, languages, tessdata, scratch, vlmConfigured: vlm.configured, translationConfigured: translator.configured, models };
}

export function createChatService(settings: Settings, store: ChatStore, models: ModelClient, log: Logger): ChatService {
  return new ChatService(
    store,
    models,
    {
      chunkChars: settings.CHAT_CHUNK_CHARS,
      topK: settings.CHAT_TOP_K,
      historyMessages: settings.CHAT_HISTORY_MESSAGES,
      extractiveSentences: settings.CHAT_EXTRACTIVE_SENTENCES,
    },
    log,
  );
}
