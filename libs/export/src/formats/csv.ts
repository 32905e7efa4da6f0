import { AppError, type Table } from '@ocr/domain';
import { tableCsv } from '@ocr/tables';
import type { Exporter } from '../exporter';

/**
 * The document's tables, cell by cell (RFC 4180, UTF-8, CRLF). Several tables follow each other in
 * page order, separated by one empty line; `?table=N` (1-based) gives table N alone. A document
 * without tables is a 409, not an empty file a client could mistake for an empty table.
 */
export const csvExporter: Exporter = {
  format: 'csv',
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  optionNames: ['table'],
  render: async (job, context) => {
    const tables: Table[] = job.pages.flatMap((p) => p.tables ?? []);
    if (tables.length === 0) {
      throw new AppError('no_tables', 'no table was found in this document; submit it with tool=extract-tables to look harder', {
        tables: 0,
      });
    }
    const wanted = context.options['table'];
    if (wanted === undefined) return Buffer.from(tables.map(tableCsv).join('\r\n'), 'utf8');
    const n = Number(wanted);
    const table = Number.isInteger(n) ? tables[n - 1] : undefined;
    if (!table) {
      throw new AppError('invalid_field', `table must be a number from 1 to ${tables.length}`, { field: 'table', tables: tables.length });
    }
    return Buffer.from(tableCsv(table), 'utf8');
  },
};
