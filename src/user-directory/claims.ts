import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { USER_WRITABLE_STANDARD_ATTRIBUTES } from './defaults';

/*
 * Who can write a token claim about themselves: a claim that decides access (a principal tag, a
 * role-mapping rule) must be written by administrators and back ends only. Users write their own
 * attributes through app clients (UpdateUserAttributes with their access token, and SignUp when
 * self sign-up is on), limited by each client's `WriteAttributes`; so every app client of the pool
 * in the app is inspected, including clients added with `userPool.addClient()` or as L1
 * `CfnUserPoolClient`s, not only those of `addWebClient()`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes
 */

/** The verification flags: standard attributes a client may be given write access to. */
const VERIFICATION_FLAGS = ['email_verified', 'phone_number_verified'];

/** Whether the claim names a user attribute (standard or custom) that a client could write. */
export function isAttributeClaim(claim: string): boolean {
  return claim.startsWith('custom:') || claim.startsWith('dev:')
    || (USER_WRITABLE_STANDARD_ATTRIBUTES as readonly string[]).includes(claim) || VERIFICATION_FLAGS.includes(claim)
    || claim === 'updated_at';
}

/** One app client that lets users write a claim, for messages. */
export interface ClaimWriter {
  /** The client's construct path. */
  readonly client: string;
  /** Why: `WriteAttributes lists custom:tenant`, or that it sets none. */
  readonly reason: string;
}

/** Every app client of `userPool` in the app (L2 and L1), found by its `UserPoolId`. */
export function clientsOfPool(scope: IConstruct, userPool: cognito.IUserPool): cognito.CfnUserPoolClient[] {
  const poolId = userPool.userPoolId;
  return scope.node.root.node.findAll().filter((c): c is cognito.CfnUserPoolClient =>
    c instanceof cognito.CfnUserPoolClient && c.userPoolId === poolId);
}

/**
 * The clients through which a user can write (or, at sign-up, set) the attribute behind `claim`.
 *
 * `knownAttributes` gives the write list of a client whose list is computed at synth (the
 * directory's own web clients); it is never resolved here, because resolving a cached lazy value
 * before synth would freeze it. Any other client's list must be a literal: a client without
 * `WriteAttributes`, or with a deploy-time list, gets Cognito's default write access, which the
 * library cannot narrow down, so it counts as writing every attribute.
 */
export function claimWriters(clients: readonly cognito.CfnUserPoolClient[], claim: string,
  knownAttributes: (client: cognito.CfnUserPoolClient) => readonly string[] | undefined = () => undefined): ClaimWriter[] {
  if (!isAttributeClaim(claim)) {
    return [];
  }
  const writers: ClaimWriter[] = [];
  for (const client of clients) {
    const attributes = knownAttributes(client) ?? literalList(client.writeAttributes);
    if (attributes === undefined) {
      writers.push({ client: client.node.path, reason: 'it sets no `WriteAttributes` (or a deploy-time list), so Cognito\'s default write access applies' });
    } else if (attributes.includes(claim)) {
      writers.push({ client: client.node.path, reason: `its \`WriteAttributes\` list \`${claim}\`` });
    }
  }
  return writers;
}

function literalList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || Token.isUnresolved(value) || value.some(v => typeof v !== 'string' || Token.isUnresolved(v))) {
    return undefined;
  }
  return value;
}

/** `path (reason); path (reason)`, for messages. */
export function describeWriters(writers: readonly ClaimWriter[]): string {
  return writers.map(w => `${w.client} (${w.reason})`).join('; ');
}
