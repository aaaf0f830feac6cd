export * from './check';
export * from './format';
export * from './witness';
