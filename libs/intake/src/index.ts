export * from './sniff';
export * from './limits';
export * from './inspect';
export * from './prepare';
export * from './text-layer';
export * from './text-layer-stream';
export * from './bmp';
