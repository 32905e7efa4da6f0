export * from './nedb-job-store';
export * from './local-blob-store';
export * from './in-process-task-bus';
export * from './file-token-store';
export * from './nedb-chat-store';
