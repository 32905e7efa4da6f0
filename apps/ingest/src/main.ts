import { runClusterService, startIngest } from '@ocr/runtime';

// The ingest service: its module composed with the cluster adapters (JOB_STORE, BLOB_STORE, TASK_BUS).
runClusterService('ingest', startIngest);
