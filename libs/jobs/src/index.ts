export * from './job-service';
export * from './job-view';
export * from './page-processor';
export * from './blob-keys';
export * from './tool-presets';
export * from './translated-view';
export * from './job-list';
export * from './job-events';
