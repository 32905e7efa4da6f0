export * from './nedb-job-store';
export * from './local-blob-store';
export * from './in-process-task-bus';
export * from './file-token-store';
export * from './file-account-store';
export * from './file-session-store';
export * from './revocable-file-token-store';
export * from './jsonl-ledger-store';
