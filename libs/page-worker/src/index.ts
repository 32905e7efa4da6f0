export * from './ocr-page-processor';
export * from './page-images';
