export * from './sniff';
export * from './limits';
export * from './inspect';
export * from './prepare';
export * from './bmp';
export * from './complete';
export { prepareImage } from './images';
export { rasterisePage } from './pdf';
