export * from './check';
export * from './format';
export * from './manifest-rules';
export * from './witness';
export * from './witness-format';
export * from './witness-plans';
