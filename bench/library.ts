/**
 * The benchmark scenarios built with this library's public API.
 */
import { SecretValue, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Access, Audience, DirectoryProvider, FederatedIdentityPool, FederatedSignUp, IdentitySource, ScopedBucketAccess, UserDirectory,
} from '../src';
import { ScenarioSize, S1 } from './scenario';

/** Builds the scenario into `stack` with the library. */
export function buildWithLibrary(stack: Stack, size: ScenarioSize = S1): void {
  const users = new UserDirectory(stack, 'Users', { domainPrefix: 'bench-library' });
  users.addIdentityProvider(DirectoryProvider.google({
    clientId: 'google-client-id.apps.googleusercontent.com',
    clientSecret: SecretValue.unsafePlainText('google-secret'),
    signUp: FederatedSignUp.anyone(), // as the plain aws-cdk-lib and Amplify builds behave
  }));
  users.addIdentityProvider(DirectoryProvider.facebook({
    clientId: 'facebook-app-id',
    clientSecret: SecretValue.unsafePlainText('facebook-secret'),
    signUp: FederatedSignUp.anyone(),
  }));
  const web = users.addWebClient('Web', {
    callbackUrls: ['https://app.example.com/'],
    logoutUrls: ['https://app.example.com/'],
  });
  const groups: string[] = [];
  for (let i = 0; i < size.groups; i++) {
    const name = `group${i}`;
    users.addGroup(name, { precedence: i });
    groups.push(name);
  }
  const identities = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
  });
  for (const name of groups) {
    identities.roleForGroup(name);
  }
  for (let b = 0; b < size.buckets; b++) {
    const files = new ScopedBucketAccess(stack, `Files${b}`, {
      identityPool: identities,
      bucket: size.importBuckets ? s3.Bucket.fromBucketName(stack, `Imported${b}`, `bench-bucket-${b}`) : undefined,
    });
    files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    if (b === 0 && size.groupFolders) {
      for (const name of groups) {
        files.allow(`groups/${name}/*`, Audience.group(name), Access.READ, Access.WRITE, Access.DELETE);
      }
    }
  }
}
