import { runClusterService, startOcrWorker } from '@ocr/runtime';

// The vlm-ocr worker: page tasks of tier vlm from the task bus, composed with the cluster adapters.
runClusterService('vlm-ocr', (settings, log) => startOcrWorker('vlm', settings, log));
