export * from './exporter';
export * from './registry';
