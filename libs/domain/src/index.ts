export * from './geometry';
export * from './result';
export * from './job';
export * from './errors';
export * from './ports';
export * from './ports-accounts';
export * from './chat';
export * from './page-selection';
