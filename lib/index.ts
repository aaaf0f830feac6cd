export * from './core';
export * from './cdk8s';
