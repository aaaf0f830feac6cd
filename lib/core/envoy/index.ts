export * from './bootstrap';
export * from './cluster';
export * from './envoy-problem';
export * from './listener';
export * from './route';
export * from './type-urls';
export * from './proto-loader';
export * from './validate';
