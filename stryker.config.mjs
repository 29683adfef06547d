// @ts-check
/*
 * Mutation testing of the checks (`npx projen mutation`, not part of `npm test`): a surviving
 * mutant in a check is a check nobody would notice losing. Reports go to reports/mutation/.
 *
 * Every file runs against the tests that exercise it (below), not the whole suite: most tests
 * build a stack at describe level, so Stryker counts their mutants as static and would run every
 * test for each of them. fuzz.test.ts and notes-app.test.ts are left out (a minute each per mutant).
 * One file: `npx projen mutation --mutate src/identity-pool/trust.ts` (only its tests run).
 */
const TESTS = {
  // The tests that exercise who can write a claim. trust.test.ts and principal-tags.test.ts build
  // their stacks at describe level, which makes half the mutants static (every test for each one:
  // over an hour); the claim tests build inside each test.
  'src/user-directory/claims.ts': [
    'test/user-directory/claims.test.ts', 'test/user-directory/outside-providers.test.ts',
    'test/identity-pool/claims.test.ts', 'test/identity-pool/validation.test.ts',
  ],
  'src/identity-pool/trust.ts': ['test/security/trust.test.ts', 'test/identity-pool/*.test.ts'],
  'src/access/private/s3.ts': [
    'test/access/compile.test.ts', 'test/access/fit.test.ts', 'test/access/scoped-bucket-access.test.ts',
    'test/access/bucket-nag.test.ts', 'test/access/role-policies.test.ts', 'test/access/guest-services.test.ts',
    'test/security/bucket-matrix.test.ts', 'test/security/attacks.test.ts',
  ],
  // The compiler's own tests: with the constructs' and the matrices' tests every one of its ~540
  // mutants (half of them static) takes half a minute or more.
  'src/access/private/compile.ts': ['test/access/compile.test.ts', 'test/access/compile-grants.test.ts', 'test/access/path.test.ts', 'test/access/fit.test.ts'],
};

// `--mutate a.ts,b.ts` (or `-m`) narrows both the mutated files and the tests.
const args = process.argv;
const flag = args.findIndex(a => a === '--mutate' || a === '-m');
const files = flag >= 0 ? args[flag + 1].split(',').map(f => f.replace(/:.*$/, '')) : Object.keys(TESTS);
const tests = [...new Set(files.flatMap(f => TESTS[f] ?? Object.values(TESTS).flat()))];
// One file's run reports as reports/mutation/<file>.{json,html}, so per-file runs do not overwrite each other.
const name = files.length === 1 ? files[0].replace(/^.*\//, '').replace(/\.ts$/, '') : 'mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: Object.keys(TESTS),
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    config: {
      testMatch: tests.map(t => `<rootDir>/${t}`),
      collectCoverage: false,
      reporters: ['default'],
    },
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
};
