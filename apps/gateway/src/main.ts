import { runClusterService, startGateway } from '@ocr/runtime';

// The gateway service: its module composed with the cluster adapters (JOB_STORE, BLOB_STORE, TASK_BUS).
runClusterService('gateway', startGateway);
