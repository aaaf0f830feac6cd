export * from './cdk8s-validation';
export * from './pulumi-policy';
