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
  // Every framework is optional: a Pulumi-only project gets no cdk8s, a cdk8s project no Pulumi.
  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.3.0'],
  deps: ['yaml@^2.9.0', 'js-yaml@^4.1.0', 'protobufjs@^7.5.0'],
  devDeps: [
    // Only for its copy of Envoy's .proto files, from which `npx projen envoy-api` generates
    // lib/core/envoy/envoy-api.json at build time: nothing installed with hitless reads a .proto file.
    '@grpc/grpc-js-xds@1.14.1',
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
    // `makeDraining` takes any cdk8s-plus major's Deployment; the tests use the oldest and the newest.
    'cdk8s-plus-33@^2.5.0',
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
      moduleNameMapper: {
        '^hitless$': '<rootDir>/lib/index.ts',
        '^hitless/cdk8s$': '<rootDir>/lib/cdk8s/index.ts',
        '^hitless/pulumi$': '<rootDir>/lib/pulumi/index.ts',
      },
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
  gitignore: ['cdk8s.out', 'demo.out', 'agree.out', '*.svg', '!docs/*.svg', '.typedoc-out'],
  bin: { hitless: 'dist/cli.js' },
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',
});

// One entry point per audience, so that none loads a framework its user doesn't have:
// `hitless` is framework-free (check, read, simulate, explain, models, errors).
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  './cdk8s': { types: './dist/cdk8s/index.d.ts', default: './dist/cdk8s/index.js' },
  './pulumi': { types: './dist/pulumi/index.d.ts', default: './dist/pulumi/index.js' },
  './package.json': './package.json',
});
project.addPeerDeps('@pulumi/pulumi@^3.200.0', '@pulumi/kubernetes@^4.20.0', '@pulumi/aws@^7.2.0');
const optionalPeers = ['cdk8s', 'constructs', '@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/aws'];
project.package.addField('peerDependenciesMeta', Object.fromEntries(optionalPeers.map((name) => [name, { optional: true }])));
// What the tarball holds, stated rather than left to .npmignore: compiled code and types, and the
// generated Envoy API descriptor the validator loads (tsc copies it into dist/).
project.package.addField('files', ['dist/**/*.js', 'dist/**/*.d.ts', 'dist/core/envoy/envoy-api.json', '!dist/**/*.tsbuildinfo', 'README.md', 'LICENSE', 'API.md']);
// A git install or `npm pack` from a clean clone compiles first; `prepare` runs for both, and
// `prepack` for `npm publish`/`npm pack` on a checkout whose dist/ is stale.
project.package.setScript('prepare', 'tsc --build');
// prepack starts from an empty dist/, so a file whose source is gone never reaches the tarball.
project.package.setScript('prepack', 'rm -rf dist && tsc --build --force');
project.tsconfigDev.file.addOverride('compilerOptions.baseUrl', '..');
project.tsconfigDev.file.addOverride('compilerOptions.paths', {
  'hitless': ['lib/index.ts'],
  'hitless/cdk8s': ['lib/cdk8s/index.ts'],
  'hitless/pulumi': ['lib/pulumi/index.ts'],
});
// For TypeScript projects still on `moduleResolution: node`, which ignores `exports`.
project.package.addField('typesVersions', { '*': { cdk8s: ['dist/cdk8s/index.d.ts'], pulumi: ['dist/pulumi/index.d.ts'] } });

const docgen = project.addTask('docgen', {
  description: 'Regenerate API.md from the TSDoc',
  exec: 'ts-node --project test/tsconfig.json scripts/docgen.ts',
});
project.addTask('envoy-api', {
  description: 'Regenerate lib/core/envoy/envoy-api.json, the Envoy API descriptor the validator loads, from the protos in @grpc/grpc-js-xds',
  exec: 'ts-node --project test/tsconfig.json scripts/envoy-api.ts',
});
const docgenCheck = project.addTask('docgen:check', {
  description: 'Fail when a generated file (API.md, lib/core/envoy/envoy-api.json) is stale',
  exec: 'ts-node --project test/tsconfig.json scripts/check-generated.ts',
});
void docgen;
project.gitattributes.addAttributes('/API.md', 'linguist-generated');
project.gitattributes.addAttributes('/lib/core/envoy/envoy-api.json', 'linguist-generated');
project.npmignore?.exclude('/scripts/', '/typedoc.json', '/bench/', '/examples/', '/.ci/');

// The examples import the package by name, which resolves to dist/: tests compile first.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.spawn(docgenCheck);
// The packed-tarball test (issue 13) is part of the suite CI runs; a bare `npx jest` skips it, saying so.
project.testTask.env('HITLESS_PACK_TEST', '1');
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });

// The packed-tarball test (test/package/tarball.test.ts) takes about a minute: CI runs it on its own.
project.addTask('test:package', {
  description: 'Pack the package and use it from fresh projects outside the repository (cdk8s app, Pulumi program, plain Node)',
  steps: [
    { spawn: 'compile' },
    { exec: 'jest --ci test/package/tarball.test.ts', env: { HITLESS_PACK_TEST: '1' } },
  ],
});

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

project.addTask('agree', {
  description: 'Do check and simulate agree? Checks and simulates every configuration variant (scripts/agree), prints the disagreements, writes agree.out/report.json',
  steps: [
    { spawn: 'compile' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/agree/agree.ts', receiveArgs: true },
  ],
});

project.synth();
