export * from './detect';
export * from './ruled-lines';
export * from './render';
export * from './page-tables';
