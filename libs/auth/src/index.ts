export * from './token-service';
export * from './identity';
