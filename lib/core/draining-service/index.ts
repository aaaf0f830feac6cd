/** A Deployment that never drops a request on rollout, scale-in or node drain, with its Services, as plain Kubernetes objects; the faces wrap it. */
export * from './options';
export * from './resolved-options';
export * from './budget';
export * from './refs';
export * from './objects';
export * from './model';
export * from './patch';
export * from './plan';
