import { AppError } from '@ocr/domain';
import type { Exporter } from './exporter';
import { altoExporter } from './formats/alto';
import { docxExporter } from './formats/docx';
import { hocrExporter } from './formats/hocr';
import { jsonExporter } from './formats/json';
import { markdownExporter } from './formats/md';
import { txtExporter } from './formats/txt';

const EXPORTERS: readonly Exporter[] = [
  txtExporter,
  markdownExporter,
  jsonExporter,
  docxExporter,
  hocrExporter,
  altoExporter,
];

/** Formats of the contract that this server does not produce yet. */
const PLANNED_FORMATS: readonly string[] = ['pdf', 'csv'];

export function availableFormats(): string[] {
  return EXPORTERS.map((e) => e.format);
}

export function exporterFor(format: string | undefined): Exporter {
  const wanted = (format ?? 'txt').toLowerCase();
  const found = EXPORTERS.find((e) => e.format === wanted);
  if (found) return found;
  const available = availableFormats().join(', ');
  if (PLANNED_FORMATS.includes(wanted)) {
    throw new AppError('invalid_field', `format '${wanted}' is not available on this server yet; available: ${available}`, {
      field: 'format',
      available: availableFormats(),
    });
  }
  throw new AppError('invalid_field', `unknown format '${wanted}'; available: ${available}`, {
    field: 'format',
    available: availableFormats(),
  });
}
