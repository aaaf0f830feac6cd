export * from './core';
export * from './cdk8s';
export * from './check';
export * from './plugins';
export * from './read';
export * from './simulate';
