import { runClusterService, startOcrWorker } from '@ocr/runtime';

// The cpu-ocr worker: page tasks of tier cpu from the task bus, composed with the cluster adapters.
runClusterService('cpu-ocr', (settings, log) => startOcrWorker('cpu', settings, log));
