export * from './ports';
export * from './logger';
export * from './standalone';
export * from './operator-token';
export * from './services';
export * from './accounts';
export * from './engines';
export * from './cluster';
