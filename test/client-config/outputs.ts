import { createHash } from 'crypto';
import { resolveIntrinsics } from '../security/harness';

/*
 * Test helpers: read the ClientConfig's Output(s) from a synthesized template, with the
 * deploy-time values replaced by fake deployed ones (as `cdk deploy --outputs-file` would show).
 */

export const REGION = 'eu-west-1';

/** A deployed-looking value for every resource of a template, by type. */
export function fakeValues(template: any, longest = false): Record<string, string> {
  const values: Record<string, string> = {
    'AWS::Region': longest ? 'ap-southeast-5' : REGION,
    'AWS::AccountId': '123456789012',
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    values[id] = fakeValue(r.Type, createHash('sha256').update(id).digest('hex').slice(0, 9), longest);
  }
  return values;
}

/** A value shaped like the deployed one, derived from the logical id (stable when other resources come and go). */
function fakeValue(type: string, n: string, longest: boolean): string {
  const pad = (prefix: string, length: number) => `${prefix}${'x'.repeat(Math.max(0, length - prefix.length))}`;
  switch (type) {
    case 'AWS::Cognito::UserPool':
      return longest ? pad(`ap-southeast-5_${n}`, 55) : `${REGION}_${n}`;
    case 'AWS::Cognito::UserPoolClient':
      return longest ? pad(`client${n}`, 128) : `${n}abcdefghijklmnop`;
    case 'AWS::Cognito::IdentityPool':
      return longest ? pad(`ap-southeast-5:${n}`, 55) : `${REGION}:${n.slice(0, 8)}-0000-4000-8000-000000000000`;
    case 'AWS::Cognito::UserPoolDomain':
      return longest ? pad(`domain${n}`, 63) : `app-login-${n}`;
    case 'AWS::S3::Bucket':
      return longest ? pad(`bucket${n}`, 63) : `app-bucket-${n}`;
    default:
      return `${type.replace(/::/g, '-').toLowerCase()}-${n}`;
  }
}

/** The Output parts of a ClientConfig, in order, unresolved. */
export function outputParts(template: any, outputName = 'AmplifyOutputs'): any[] {
  const parts: any[] = [];
  for (let i = 0; ; i++) {
    const output = template.Outputs?.[i === 0 ? outputName : `${outputName}${i + 1}`];
    if (output === undefined) {
      return parts;
    }
    parts.push(output.Value);
  }
}

/** The Output parts resolved with fake values. */
export function resolvedParts(template: any, outputName = 'AmplifyOutputs', longest = false): string[] {
  const values = fakeValues(template, longest);
  return outputParts(template, outputName).map(v => resolveIntrinsics(v, values));
}

/** The configuration a deployed stack would hold, parsed. */
export function deployedConfig(template: any, outputName = 'AmplifyOutputs'): any {
  return JSON.parse(resolvedParts(template, outputName).join(''));
}
