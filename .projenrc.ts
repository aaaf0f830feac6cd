import { javascript, typescript } from 'projen';

const project = new typescript.TypeScriptProject({
  name: 'hitless',
  description: 'Hitless rollouts for Envoy gateways and the services behind them on Kubernetes: cdk8s and Pulumi constructs, a timing-budget solver, a manifest checker and a rollout simulator.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  eslint: false,
  github: false,
  release: false,
  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  minNodeVersion: '20.0.0',
  typescriptVersion: '~5.9.3',
  peerDeps: ['cdk8s@^2.70.0', 'cdk8s-plus-27@^2.9.0', 'constructs@^10.3.0'],
  deps: ['yaml@^2.9.0', 'protobufjs@^7.5.0', '@grpc/grpc-js-xds@1.14.1', 'ajv@^8.17.0'],
  devDeps: [
    '@types/node@^20',
    'kubernetes-models@^4.4.0',
    'fast-check@^3.23.0',
    'typedoc@^0.28.0',
    'typedoc-plugin-markdown@^4.6.0',
    'cdk8s-cli@^2.200.0',
    '@pulumi/pulumi@^3.200.0',
    '@pulumi/kubernetes@^4.20.0',
    '@pulumi/aws@^7.0.0',
    '@pulumi/policy@^1.13.0',
  ],
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
    },
  },
  gitignore: ['cdk8s.out', 'demo.out', '*.svg', '!docs/*.svg'],
});

project.synth();
