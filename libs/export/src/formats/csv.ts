import { AppError, type Table } from '@ocr/domain';
import { tableCsv } from '@ocr/tables';
import type { PagedJobView } from '@ocr/jobs';
import type { Exporter } from '../exporter';

/**
 * The document's tables, cell by cell (RFC 4180, UTF-8, CRLF). Several tables follow each other in
 * page order, separated by one empty line; `?table=N` (1-based) gives table N alone. A document
 * without tables is a 409, not an empty file a client could mistake for an empty table.
 */

function noTables(): AppError {
  return new AppError('no_tables', 'no table was found in this document; submit it with tool=extract-tables to look harder', { tables: 0 });
}

function outOfRange(tables: number): AppError {
  return new AppError('invalid_field', `table must be a number from 1 to ${tables}`, { field: 'table', tables });
}

/** `table=` as a 1-based number, or NaN for anything that is not one. */
function wantedTable(option: string | undefined): number | undefined {
  if (option === undefined) return undefined;
  const n = Number(option);
  return Number.isInteger(n) ? n : Number.NaN;
}

async function* tablesOf(job: PagedJobView): AsyncGenerator<Table> {
  for await (const page of job.pages()) yield* page.tables ?? [];
}

export const csvExporter: Exporter = {
  format: 'csv',
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  optionNames: ['table'],
  render: async (job, context) => {
    const tables: Table[] = job.pages.flatMap((p) => p.tables ?? []);
    if (tables.length === 0) throw noTables();
    const wanted = wantedTable(context.options['table']);
    if (wanted === undefined) return Buffer.from(tables.map(tableCsv).join('\r\n'), 'utf8');
    const table = tables[wanted - 1];
    if (!table) throw outOfRange(tables.length);
    return Buffer.from(tableCsv(table), 'utf8');
  },
  // Each table is written when its page is read. Nothing is written before the first table (or
  // table N) is found, so a refusal comes before the first piece, as the exporter contract asks.
  stream: async function* (job, context) {
    const wanted = wantedTable(context.options['table']);
    let seen = 0;
    for await (const table of tablesOf(job)) {
      seen++;
      if (wanted === undefined) yield (seen === 1 ? '' : '\r\n') + tableCsv(table);
      else if (seen === wanted) {
        yield tableCsv(table);
        return;
      }
    }
    if (seen === 0) throw noTables();
    if (wanted !== undefined) throw outOfRange(seen);
  },
};
