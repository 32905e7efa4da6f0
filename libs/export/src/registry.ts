import { AppError } from '@ocr/domain';
import type { Exporter } from './exporter';
import { altoExporter } from './formats/alto';
import { csvExporter } from './formats/csv';
import { docxExporter } from './formats/docx';
import { hocrExporter } from './formats/hocr';
import { jsonExporter } from './formats/json';
import { markdownExporter } from './formats/md';
import { pdfExporter } from './formats/pdf';
import { txtExporter } from './formats/txt';

const EXPORTERS: readonly Exporter[] = [
  txtExporter,
  markdownExporter,
  jsonExporter,
  pdfExporter,
  docxExporter,
  csvExporter,
  hocrExporter,
  altoExporter,
];

export function availableFormats(): string[] {
  return EXPORTERS.map((e) => e.format);
}

export function exporterFor(format: string | undefined): Exporter {
  const wanted = (format ?? 'txt').toLowerCase();
  const found = EXPORTERS.find((e) => e.format === wanted);
  if (found) return found;
  throw new AppError('invalid_field', `unknown format '${wanted}'; available: ${availableFormats().join(', ')}`, {
    field: 'format',
    available: availableFormats(),
  });
}
