/**
 * The benchmark scenario built with Amplify's `AmplifyAuth` construct. Amplify's storage
 * construct cannot be used in a plain CDK app (`@aws-amplify/backend-storage` exports only
 * `defineStorage`, which needs an Amplify backend; `AmplifyStorage` is not exported), so the
 * bucket and its Amplify-style rules are written by hand on AmplifyAuth's roles, as one policy
 * per role, the way Amplify storage attaches them.
 */
import { AmplifyAuth } from '@aws-amplify/auth-construct';
import { SecretValue, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { secureBucket, storageStatements } from './plain';
import { ScenarioSize, S1 } from './scenario';

/** Builds the scenario into `stack` with AmplifyAuth plus hand-written storage policies. */
export function buildWithAmplify(stack: Stack, size: ScenarioSize = S1): void {
  const groups = Array.from({ length: size.groups }, (_, i) => `group${i}`);
  const auth = new AmplifyAuth(stack, 'Auth', {
    loginWith: {
      email: true,
      externalProviders: {
        google: {
          clientId: 'google-client-id.apps.googleusercontent.com',
          clientSecret: SecretValue.unsafePlainText('google-secret'),
        },
        facebook: { clientId: 'facebook-app-id', clientSecret: 'facebook-secret' },
        callbackUrls: ['https://app.example.com/'],
        logoutUrls: ['https://app.example.com/'],
        domainPrefix: 'bench-amplify',
      },
    },
    groups,
  });
  const roles: iam.IRole[] = [
    auth.resources.authenticatedUserIamRole,
    ...groups.map((g) => auth.resources.groups[g].role),
  ];
  for (let b = 0; b < size.buckets; b++) {
    const bucket = size.importBuckets ? s3.Bucket.fromBucketName(stack, `Imported${b}`, `bench-bucket-${b}`) : secureBucket(stack, `Files${b}`);
    roles.forEach((role, r) => {
      new iam.Policy(stack, `Files${b}Access${r}`, { statements: storageStatements(bucket), roles: [role] });
    });
  }
}
