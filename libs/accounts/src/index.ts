export * from './password';
export * from './plans';
export * from './mutex';
export * from './ledger-book';
export * from './metering-service';
export * from './account-service';
export * from './throttle';
