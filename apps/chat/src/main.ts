import { runClusterService, startChat } from '@ocr/runtime';

// The chat service: its module composed with the cluster adapters (JOB_STORE, BLOB_STORE, TASK_BUS).
runClusterService('chat', startChat);
