export * from './check';
export * from './format';
