export * from './draining-service';
