export * from './check';
export * from './format';
export * from './witness';
export * from './witness-format';
export * from './witness-plans';
