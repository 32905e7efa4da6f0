export * from './raw-word';
export * from './blocks';
export * from './build-blocks';
export * from './classify';
export * from './reading-order';
export * from './render';
