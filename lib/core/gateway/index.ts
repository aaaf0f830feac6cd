export * from './drain';
export * from './drain-script';
export * from './gateway-durations';
export * from './gateway-options';
export * from './gateway-plan';
export * from './images';
export * from './workload';
