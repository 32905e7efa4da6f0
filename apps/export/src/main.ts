import { runClusterService, startExport } from '@ocr/runtime';

// The export service: its module composed with the cluster adapters (JOB_STORE, BLOB_STORE, TASK_BUS).
runClusterService('export', startExport);
