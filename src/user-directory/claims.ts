import { CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
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


/**
 * The app clients through which a user can write the attribute behind `claim`, or set it at
 * sign-up, read from the resources as CloudFormation will receive them. Run at synth (validation),
 * when every construct is final: it sees clients of any kind (L2, L1 `CfnUserPoolClient`, a bare
 * `CfnResource` of type `AWS::Cognito::UserPoolClient`), clients of the pool imported again
 * (`UserPool.fromUserPoolArn(...)`, in any stack), and escape hatches (`addPropertyOverride`,
 * deletion overrides) on `WriteAttributes` and `UserPoolId`. An attribute is immutable only when
 * the rendered schema says so, and sign-up only counts when the rendered pool allows it.
 */
export function renderedClaimWriters(scope: IConstruct, userPool: cognito.IUserPool, claim: string): ClaimWriter[] {
  if (!isAttributeClaim(claim)) {
    return [];
  }
  const pool = renderedPool(userPool);
  const attribute = pool?.schema.find(a => a.name === (claim.startsWith('custom:') ? claim.slice('custom:'.length) : claim));
  const immutable = attribute?.mutable === false;
  if (immutable && pool?.selfSignUp === false) {
    return []; // set only when an administrator creates the user, and never changed after
  }
  const when = immutable ? ', at sign-up (self sign-up is on and the attribute is set when the user signs up)' : '';
  const writers: ClaimWriter[] = [];
  for (const node of scope.node.root.node.findAll()) {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::Cognito::UserPoolClient') {
      continue;
    }
    const properties = renderedProperties(node);
    if (!refersToPool(properties.UserPoolId, Stack.of(node), userPool)) {
      continue;
    }
    const attributes = literalList(properties.WriteAttributes);
    if (attributes === undefined) {
      writers.push({ client: node.node.path, reason: `it sets no \`WriteAttributes\` (or a deploy-time list), so Cognito's default write access applies${when}` });
    } else if (attributes.includes(claim)) {
      writers.push({ client: node.node.path, reason: `its \`WriteAttributes\` list \`${claim}\`${when}` });
    }
  }
  return writers;
}

/** A resource's properties as CloudFormation receives them (overrides applied, tokens resolved). */
function renderedProperties(resource: CfnResource): Record<string, unknown> {
  // `_toCloudFormation()` is how aws-cdk-lib renders a resource with its overrides (internal API).
  const rendered = Stack.of(resource).resolve((resource as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as
    { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
}

interface RenderedPool {
  readonly schema: ReadonlyArray<{ readonly name: string; readonly mutable: boolean }>;
  readonly selfSignUp: boolean;
}

/** The schema and sign-up setting of a pool created in the app, as rendered; undefined for an imported pool. */
function renderedPool(userPool: cognito.IUserPool): RenderedPool | undefined {
  const cfn = userPool.node.defaultChild;
  if (!CfnResource.isCfnResource(cfn) || cfn.cfnResourceType !== 'AWS::Cognito::UserPool') {
    return undefined;
  }
  const properties = renderedProperties(cfn);
  const schema = Array.isArray(properties.Schema) ? properties.Schema as Array<{ Name?: unknown; Mutable?: unknown }> : [];
  const adminOnly = (properties.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: unknown } | undefined)?.AllowAdminCreateUserOnly;
  return {
    schema: schema.map(a => ({ name: String(a.Name), mutable: a.Mutable !== false })),
    selfSignUp: adminOnly !== true,
  };
}

/**
 * Whether a rendered `UserPoolId` names the pool: a `Ref` or `Fn::GetAtt` of the pool resource
 * anywhere in the expression (`Fn::Select` of its ARN included), an import of an export of the
 * pool's stack whose value does, the pool's literal id, or the same deploy-time expression.
 */
function refersToPool(value: unknown, clientStack: Stack, userPool: cognito.IUserPool): boolean {
  const cfn = userPool.node.defaultChild;
  if (CfnResource.isCfnResource(cfn)) {
    const poolStack = Stack.of(cfn);
    const logicalId = poolStack.resolve(cfn.logicalId) as string;
    if (clientStack === poolStack) {
      return mentions(value, logicalId);
    }
    return importsOf(value).some(name => exportsOf(poolStack).some(e => e.name === name && mentions(e.value, logicalId)));
  }
  if (!Token.isUnresolved(userPool.userPoolId)) {
    return JSON.stringify(value).includes(JSON.stringify(userPool.userPoolId));
  }
  return JSON.stringify(value) === JSON.stringify(clientStack.resolve(userPool.userPoolId));
}

function mentions(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) {
    return value.some(v => mentions(v, logicalId));
  }
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const obj = value as Record<string, unknown>;
  if (obj.Ref === logicalId) {
    return true;
  }
  const getAtt = obj['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === logicalId) {
    return true;
  }
  return Object.values(obj).some(v => mentions(v, logicalId));
}

function importsOf(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(importsOf);
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  const obj = value as Record<string, unknown>;
  const own = typeof obj['Fn::ImportValue'] === 'string' ? [obj['Fn::ImportValue'] as string] : [];
  return [...own, ...Object.values(obj).flatMap(importsOf)];
}

function exportsOf(stack: Stack): Array<{ name: unknown; value: unknown }> {
  return stack.node.findAll()
    .filter((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c) === stack && c.exportName !== undefined)
    .map(o => ({ name: stack.resolve(o.exportName), value: stack.resolve(o.value) }));
}
