import { mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppError } from '@ocr/domain';
import type { Settings } from '@ocr/config';
import { SNIFF_BYTES } from '@ocr/intake';

export interface ReceivedUpload {
  path: string;
  originalName: string;
  size: number;
  fields: Record<string, unknown>;
  /** Leading bytes of the file, for type sniffing. */
  head: Buffer;
  discard: () => Promise<void>;
}

/** Maps multer's failures onto the contract's 400s. */
function uploadError(err: unknown, settings: Settings): AppError {
  if (err instanceof MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new AppError('file_too_large', `file is larger than ${settings.MAX_UPLOAD_BYTES} bytes (MAX_UPLOAD_BYTES)`, {
          max_bytes: settings.MAX_UPLOAD_BYTES,
        });
      case 'LIMIT_UNEXPECTED_FILE':
        return new AppError('invalid_field', `unexpected file field '${err.field ?? ''}'; send exactly one file as 'file'`);
      default:
        return new AppError('invalid_field', `malformed upload: ${err.message}`);
    }
  }
  return new AppError('invalid_field', `malformed multipart body: ${err instanceof Error ? err.message : String(err)}`);
}

/** Streams the multipart upload to disk (never into memory) under DATA_DIR/incoming. */
export function createUploadReader(settings: Settings) {
  const dir = join(settings.dataDir, 'incoming');
  mkdirSync(dir, { recursive: true });
  const middleware = multer({
    dest: dir,
    limits: {
      fileSize: settings.MAX_UPLOAD_BYTES,
      files: 1,
      fields: 20,
      fieldSize: settings.MAX_FIELD_BYTES,
      parts: 30,
    },
  }).single('file');

  return async function readUpload(req: Request, res: Response): Promise<ReceivedUpload> {
    await new Promise<void>((resolve, reject) => {
      middleware(req, res, (err: unknown) => (err ? reject(uploadError(err, settings)) : resolve()));
    });
    const file = req.file;
    if (!file) throw new AppError('missing_file', "no file uploaded; send the document as multipart field 'file'");
    const discard = () => rm(file.path, { force: true });
    if (file.size === 0) {
      await discard();
      throw new AppError('missing_file', 'the uploaded file is empty');
    }
    const handle = await open(file.path, 'r');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, file.size));
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    return {
      path: file.path,
      originalName: file.originalname,
      size: file.size,
      fields: (req.body ?? {}) as Record<string, unknown>,
      head,
      discard,
    };
  };
}
