/**
 * The benchmark scenarios built with plain aws-cdk-lib constructs, as a careful engineer would:
 * trust policies with `aud` and `amr` conditions, token role mapping that falls back to the
 * authenticated role, listing scoped with `s3:prefix`, and a secure bucket.
 */
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScenarioSize, S1 } from './scenario';

/** A bucket with the same secure defaults the library uses: TLS only, no public access, logs. */
export function secureBucket(stack: Stack, id: string): s3.IBucket {
  const common: s3.BucketProps = {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{
      noncurrentVersionExpiration: Duration.days(90),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }],
  };
  const logs = new s3.Bucket(stack, `${id}Logs`, common);
  return new s3.Bucket(stack, id, { ...common, serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'access-logs/' });
}

/**
 * Amplify-style storage rules for one bucket, for every role an authenticated user can receive:
 * `public/` read-write-delete, `protected/{identity}/` owner read-write-delete plus read of
 * anyone's, `private/{identity}/` owner read-write-delete; listing limited to those prefixes.
 */
export function storageStatements(bucket: s3.IBucket): iam.PolicyStatement[] {
  const own = '${cognito-identity.amazonaws.com:sub}';
  return [
    new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('public/*'), bucket.arnForObjects('protected/*'), bucket.arnForObjects(`private/${own}/*`)],
    }),
    new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects('public/*'), bucket.arnForObjects(`protected/${own}/*`), bucket.arnForObjects(`private/${own}/*`)],
    }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: {
        StringLike: {
          's3:prefix': ['public/', 'public/*', 'protected/', 'protected/*', `private/${own}/`, `private/${own}/*`],
        },
      },
    }),
  ];
}

/** The trust policy of a role for authenticated identities of one identity pool. */
export function authenticatedPrincipal(identityPoolRef: string): iam.IPrincipal {
  return new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {
    'StringEquals': { 'cognito-identity.amazonaws.com:aud': identityPoolRef },
    'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
  }, 'sts:AssumeRoleWithWebIdentity');
}

/** Builds the scenario into `stack` with plain aws-cdk-lib constructs. */
export function buildWithPlainCdk(stack: Stack, size: ScenarioSize = S1): void {
  const pool = new cognito.UserPool(stack, 'UserPool', {
    signInAliases: { email: true },
    autoVerify: { email: true },
    selfSignUpEnabled: false,
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    featurePlan: cognito.FeaturePlan.PLUS,
    standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const google = new cognito.UserPoolIdentityProviderGoogle(stack, 'Google', {
    userPool: pool,
    clientId: 'google-client-id.apps.googleusercontent.com',
    clientSecretValue: SecretValue.unsafePlainText('google-secret'),
    scopes: ['openid', 'email', 'profile'],
    attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL },
  });
  const facebook = new cognito.UserPoolIdentityProviderFacebook(stack, 'Facebook', {
    userPool: pool,
    clientId: 'facebook-app-id',
    clientSecret: 'facebook-secret',
    scopes: ['public_profile', 'email'],
    attributeMapping: { email: cognito.ProviderAttribute.FACEBOOK_EMAIL },
  });
  const client = pool.addClient('Web', {
    generateSecret: false,
    authFlows: { userSrp: true },
    preventUserExistenceErrors: true,
    supportedIdentityProviders: [
      cognito.UserPoolClientIdentityProvider.COGNITO,
      cognito.UserPoolClientIdentityProvider.GOOGLE,
      cognito.UserPoolClientIdentityProvider.FACEBOOK,
    ],
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      callbackUrls: ['https://app.example.com/'],
      logoutUrls: ['https://app.example.com/'],
    },
  });
  client.node.addDependency(google, facebook);
  const domain = pool.addDomain('Domain', {
    cognitoDomain: { domainPrefix: 'bench-plain' },
    managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
  });
  // Managed login (version 2) shows nothing for a client without a branding style.
  new cognito.CfnManagedLoginBranding(stack, 'WebBranding', {
    userPoolId: pool.userPoolId,
    clientId: client.userPoolClientId,
    useCognitoProvidedValues: true,
  }).node.addDependency(domain);

  const identityPool = new cognito.CfnIdentityPool(stack, 'IdentityPool', {
    allowUnauthenticatedIdentities: false,
    allowClassicFlow: false,
    cognitoIdentityProviders: [{ clientId: client.userPoolClientId, providerName: pool.userPoolProviderName }],
  });
  const authenticated = new iam.Role(stack, 'AuthenticatedRole', {
    assumedBy: authenticatedPrincipal(identityPool.ref),
  });
  const roles: iam.IRole[] = [authenticated];
  const groupRoles: iam.Role[] = [];
  for (let i = 0; i < size.groups; i++) {
    const role = new iam.Role(stack, `Group${i}Role`, { assumedBy: authenticatedPrincipal(identityPool.ref) });
    groupRoles.push(role);
    new cognito.CfnUserPoolGroup(stack, `Group${i}`, {
      userPoolId: pool.userPoolId,
      groupName: `group${i}`,
      precedence: i,
      roleArn: role.roleArn,
    });
    roles.push(role);
  }
  new cognito.CfnIdentityPoolRoleAttachment(stack, 'RoleAttachment', {
    identityPoolId: identityPool.ref,
    roles: { authenticated: authenticated.roleArn },
    roleMappings: {
      web: {
        identityProvider: `${pool.userPoolProviderName}:${client.userPoolClientId}`,
        type: 'Token',
        ambiguousRoleResolution: 'AuthenticatedRole',
      },
    },
  });

  // One managed policy per bucket, attached to every role an authenticated user can receive.
  for (let b = 0; b < size.buckets; b++) {
    const bucket = size.importBuckets ? s3.Bucket.fromBucketName(stack, `Imported${b}`, `bench-bucket-${b}`) : secureBucket(stack, `Files${b}`);
    new iam.ManagedPolicy(stack, `Files${b}Access`, { statements: storageStatements(bucket), roles });
    if (b === 0 && size.groupFolders) {
      // Each group's folder on its own role, as aws-cdk-lib does it: the role's default (inline) policy.
      groupRoles.forEach((role, i) => {
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [bucket.arnForObjects(`groups/group${i}/*`)],
        }));
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`groups/group${i}/`, `groups/group${i}/*`] } },
        }));
      });
    }
  }
}
