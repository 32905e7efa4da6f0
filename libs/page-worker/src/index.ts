export * from './ocr-page-processor';
