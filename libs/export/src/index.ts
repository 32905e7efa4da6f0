export * from './exporter';
export * from './registry';
export * from './export-service';
export { collect, pagedOf } from './paged';
