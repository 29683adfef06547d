import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The region of a pool's identity ids: the part of the pool id before `:` (identity pool ids and
 * identity ids both start with the pool's region), split at deploy time when the id is a token.
 */
export function identityRegionOf(identityPoolId: string): string {
  if (!Token.isUnresolved(identityPoolId)) {
    return identityPoolId.split(':')[0];
  }
  return Fn.select(0, Fn.split(':', identityPoolId));
}

/** The ARN of the identity pool `identityPoolId`, in the stack of `scope`. */
export function identityPoolArnOf(scope: Construct, identityPoolId: string): string {
  return Stack.of(scope).formatArn({
    service: 'cognito-identity',
    resource: 'identitypool',
    resourceName: identityPoolId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
