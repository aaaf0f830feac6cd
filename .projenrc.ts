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
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: ['cdk8s@^2.70.0', 'cdk8s-plus-27@^2.9.0', 'constructs@^10.3.0'],
  deps: ['yaml@^2.9.0', 'js-yaml@^4.1.0', 'protobufjs@^7.5.0', '@grpc/grpc-js-xds@1.14.1'],
  devDeps: [
    // The tests' CRD schema validation only (test/support/crd-schema.ts): nothing in lib uses it.
    'ajv@^8.17.0',
    '@types/node@^20',
    '@types/js-yaml@^4.0.9',
    'kubernetes-models@^4.4.0',
    'fast-check@^3.23.0',
    'typedoc@^0.28.0',
    'typedoc-plugin-markdown@^4.6.0',
    'cdk8s-cli@^2.200.0',
    'cdk8s@^2.70.0',
    'cdk8s-plus-27@^2.9.0',
    '@pulumi/pulumi@^3.200.0',
    '@pulumi/kubernetes@^4.20.0',
    '@pulumi/aws@^7.2.0',
    '@pulumi/policy@^1.13.0',
  ],
  jestOptions: {
    jestVersion: '^29',
    junitReporting: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      collectCoverage: false,
      // Tests and examples import the package by name, as users do, but from source.
      moduleNameMapper: { '^hitless$': '<rootDir>/lib/index.ts', '^hitless/pulumi$': '<rootDir>/lib/pulumi/index.ts' },
      reporters: [new javascript.JestReporter('<rootDir>/scripts/summary-reporter.js')],
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
    },
  },
  gitignore: ['cdk8s.out', 'demo.out', '*.svg', '!docs/*.svg', '.typedoc-out'],
  bin: { hitless: 'dist/cli.js' },
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',
});

// `hitless` is the cdk8s face and core; `hitless/pulumi` the Pulumi face, so neither pulls in the other.
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  './pulumi': { types: './dist/pulumi/index.d.ts', default: './dist/pulumi/index.js' },
  './package.json': './package.json',
});
// The Pulumi face is optional: cdk8s users install none of it.
project.addPeerDeps('@pulumi/pulumi@^3.200.0', '@pulumi/kubernetes@^4.20.0', '@pulumi/aws@^7.2.0');
project.package.addField('peerDependenciesMeta', {
  '@pulumi/pulumi': { optional: true },
  '@pulumi/kubernetes': { optional: true },
  '@pulumi/aws': { optional: true },
});
project.tsconfigDev.file.addOverride('compilerOptions.baseUrl', '..');
project.tsconfigDev.file.addOverride('compilerOptions.paths', { 'hitless': ['lib/index.ts'], 'hitless/pulumi': ['lib/pulumi/index.ts'] });
project.package.addField('typesVersions', { '*': { pulumi: ['dist/pulumi/index.d.ts'] } });

const docgen = project.addTask('docgen', {
  description: 'Regenerate API.md from the TSDoc',
  exec: 'ts-node --project test/tsconfig.json scripts/docgen.ts',
});
const docgenCheck = project.addTask('docgen:check', {
  description: 'Fail when API.md is stale',
  exec: 'ts-node --project test/tsconfig.json scripts/check-generated.ts',
});
void docgen;
project.gitattributes.addAttributes('/API.md', 'linguist-generated');
project.npmignore?.exclude('/scripts/', '/typedoc.json', '/bench/', '/examples/', '/.ci/');

// The examples import the package by name, which resolves to dist/: tests compile first.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.spawn(docgenCheck);
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });

project.addTask('demo', {
  description: 'Synthesize the example, check it and simulate its gateway rollout (the README quick start)',
  steps: [
    { spawn: 'compile' },
    { exec: 'bash scripts/demo.sh' },
  ],
});

project.addTask('bench', {
  description: 'Benchmarks, each printing ratios against a baseline measured in the same run',
  exec: 'bash scripts/bench.sh',
});

project.synth();
