export * from './gloo-edge';
export * from './helm-values';
export * from './upstream';
export * from './virtual-service';
