import { runClusterService, startAuthBilling } from '@ocr/runtime';

// The auth-billing service: its module composed with the cluster adapters (JOB_STORE, BLOB_STORE, TASK_BUS).
runClusterService('auth-billing', startAuthBilling);
