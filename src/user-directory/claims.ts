import { CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { USER_WRITABLE_STANDARD_ATTRIBUTES } from './defaults';

/*
 * Who can choose a token claim: a claim that decides access (a principal tag, a role-mapping
 * rule) must be chosen by administrators and back ends only. A user chooses a claim
 *
 * - through an app client: UpdateUserAttributes with their access token, and SignUp when self
 *   sign-up is on, limited by each client's `WriteAttributes`. Every app client of the pool in the
 *   app is inspected, including clients added with `userPool.addClient()` or as L1
 *   `CfnUserPoolClient`s, not only those of `addWebClient()`. An immutable attribute is written
 *   this way only at sign-up.
 * - at sign-up, as their user name (`cognito:username`) when the pool signs in with user names
 *   (no email or phone number as the user name) and self sign-up is on. With email or phone as the
 *   user name, Cognito generates the user name (a UUID); federated users get `<provider>_<id>`.
 * - through an identity provider: an attribute mapping fills the attribute from the provider's
 *   claim at federated sign-in, so the provider's users choose it (at a social provider, in their
 *   own profile), unless the provider is an enterprise provider stated as trusted for that
 *   attribute (`trustedAttributes`). `identities` holds the user id each provider asserts.
 *
 * `sub` and `cognito:groups` (administrators only) are never chosen by users.
 *
 * The two readers, the constructs (`UserDirectory.claimWriters`, when a source or rule is added)
 * and the rendered resources (at synth, escape hatches included), build the same `PoolClaimView`
 * and decide with the same function, `claimWritersOf`, so they cannot disagree.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html
 */

/** The verification flags: standard attributes a client may be given write access to. */
const VERIFICATION_FLAGS = ['email_verified', 'phone_number_verified'];

/** Provider types whose users choose their own profile: never trusted for a claim. */
const SOCIAL_PROVIDER_TYPES = ['Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon'];

/** The claim of the user name. */
export const USERNAME_CLAIM = 'cognito:username';

/** The claim that lists the identity providers a user signed in with, and each one's user id. */
export const IDENTITIES_CLAIM = 'identities';

/** Whether the claim names a user attribute (standard or custom) that a client could write. */
export function isAttributeClaim(claim: string): boolean {
  return claim.startsWith('custom:') || claim.startsWith('dev:')
    || (USER_WRITABLE_STANDARD_ATTRIBUTES as readonly string[]).includes(claim) || VERIFICATION_FLAGS.includes(claim)
    || claim === 'updated_at';
}

/** One way for a user to choose a claim, for messages. */
export interface ClaimWriter {
  /** The construct path of the client, provider or pool that lets them. */
  readonly client: string;
  /** Why: `its WriteAttributes list custom:tenant`, or that it sets none. */
  readonly reason: string;
}

/** An app client as one reader sees it. */
export interface ClientView {
  readonly path: string;
  /** The attributes it lets users write; undefined: Cognito's default (every attribute, as far as the library can tell). */
  readonly writeAttributes?: readonly string[];
}

/** A user pool identity provider as one reader sees it. */
export interface ProviderView {
  readonly path: string;
  /** The provider name, when known at synth. */
  readonly name?: string;
  /** Whether users choose their own profile there (Google, Facebook, Apple, Amazon). */
  readonly social: boolean;
  /** The user pool attributes it maps; undefined: a deploy-time mapping (any attribute). */
  readonly mappedAttributes?: readonly string[];
  /** The attributes the stack states it trusts this provider for (enterprise providers only). */
  readonly trustedAttributes: readonly string[];
}

/**
 * How a role-mapping rule compares the claim: `equals` (EQUALS), `startsWith` (STARTS_WITH), or
 * `other` (CONTAINS, NOT_EQUAL: a value the rule does not name satisfies it).
 */
export interface ClaimMatch {
  readonly kind: 'equals' | 'startsWith' | 'other';
  readonly value: string;
}

/** What decides who can choose a claim in one user pool, as one reader sees it. */
export interface PoolClaimView {
  /** The pool's construct path, for messages. */
  readonly path: string;
  /** Whether self sign-up is on; undefined: unknown (an imported pool). */
  readonly selfSignUp?: boolean;
  /** Whether users have user names they pick (no email or phone as the user name); undefined: unknown. */
  readonly usernamesChosen?: boolean;
  /** Whether the pool may have identity providers outside the app (an imported pool). */
  readonly providersUnknown: boolean;
  /**
   * For a pool whose clients and providers are outside the app: the attributes its users can write
   * through them, as the import states (`userWritableAttributes`); undefined: unknown (any attribute).
   */
  readonly declaredWritableAttributes?: readonly string[];
  readonly clients: readonly ClientView[];
  readonly providers: readonly ProviderView[];
  /** Whether the attribute is immutable (false when unknown: its writers then always count). */
  immutable(attribute: string): boolean;
}

/**
 * Every way a user can choose `claim` in the pool the view describes; empty when only
 * administrators, back ends and trusted enterprise providers set it. With `match` (a role-mapping
 * rule), also every way a user can hold a value that satisfies it.
 */
export function claimWritersOf(view: PoolClaimView, claim: string, match?: ClaimMatch): ClaimWriter[] {
  if (typeof claim !== 'string' || Token.isUnresolved(claim)) {
    return [];
  }
  if (claim === USERNAME_CLAIM) {
    return [...usernameWriters(view), ...(match === undefined ? [] : federatedUsernameWriters(view, match))];
  }
  if (claim === IDENTITIES_CLAIM) {
    return [
      ...view.providers.map(p => ({ client: p.path, reason: `Cognito fills \`identities\` with the user id that identity provider ${p.name ?? '(deploy-time name)'} asserts` })),
      ...(view.providersUnknown ? [{ client: view.path, reason: 'an imported pool may have identity providers this app does not show, and `identities` holds the user id each asserts' }] : []),
    ];
  }
  if (!isAttributeClaim(claim)) {
    return [];
  }
  return [...clientWriters(view, claim), ...providerWriters(view, claim), ...undeclaredWriters(view, claim)];
}

/**
 * A pool from outside the app has app clients and identity providers the app does not show: any
 * of them may let users write an attribute, unless the import states which ones they can.
 */
function undeclaredWriters(view: PoolClaimView, claim: string): ClaimWriter[] {
  if (!view.providersUnknown || view.declaredWritableAttributes !== undefined) {
    return [];
  }
  return [{
    client: view.path,
    reason: `an imported pool may have app clients and identity providers this app does not show, which may let users write \`${claim}\` `
      + '(state every attribute they let users write, or that a provider maps, with `userWritableAttributes` of `UserDirectory.fromUserPool()`)',
  }];
}

/**
 * A federated user's name is `<provider name>_<the user id the provider asserts>`: the provider
 * chooses everything after its prefix. A rule on `cognito:username` that such a name can satisfy
 * lets a provider (and at a social provider, its users) pick the role: CONTAINS and NOT_EQUAL
 * always; STARTS_WITH when the value and a provider's prefix overlap; EQUALS when the value starts
 * with a provider's prefix (it names a federated user). User names are compared ignoring case,
 * since a case-insensitive pool may report them in lower case. An EQUALS or STARTS_WITH on a value
 * no federated user name can take (`staff-alice`) is left to the local user names.
 */
function federatedUsernameWriters(view: PoolClaimView, match: ClaimMatch): ClaimWriter[] {
  const value = typeof match.value === 'string' && !Token.isUnresolved(match.value) ? match.value.toLowerCase() : undefined;
  const writers: ClaimWriter[] = [];
  for (const p of view.providers) {
    const prefix = p.name === undefined ? undefined : `${p.name.toLowerCase()}_`;
    const satisfiable = prefix === undefined || value === undefined || match.kind === 'other'
      || (match.kind === 'startsWith' ? (value.startsWith(prefix) || prefix.startsWith(value)) : value.startsWith(prefix));
    if (satisfiable) {
      const name = p.name ?? '(deploy-time name)';
      writers.push({ client: p.path, reason: `identity provider ${name} chooses the user names of its users (\`${name}_<the user id it asserts>\`), so one of them can satisfy this rule` });
    }
  }
  if (view.providersUnknown) {
    writers.push({ client: view.path, reason: 'an imported pool may have identity providers this app does not show, which choose their users\' names (`<provider>_<user id>`)' });
  }
  return writers;
}

function usernameWriters(view: PoolClaimView): ClaimWriter[] {
  if (view.usernamesChosen === false || view.selfSignUp === false) {
    return []; // generated (a UUID), or picked by an administrator; federated users get `<provider>_<id>`
  }
  const reason = view.usernamesChosen === undefined || view.selfSignUp === undefined
    ? 'an imported pool may let users pick their own user name at sign-up'
    : 'self sign-up is on and users pick their own user name (the pool signs in with `username`, not with email or phone number as the user name)';
  return [{ client: view.path, reason }];
}

function clientWriters(view: PoolClaimView, claim: string): ClaimWriter[] {
  const immutable = view.immutable(claim);
  if (immutable && view.selfSignUp === false) {
    return []; // set only when an administrator creates the user, and never changed after
  }
  const when = immutable ? ', at sign-up (self sign-up is on and the attribute is set when the user signs up)'
    : (view.selfSignUp === true ? ', and at sign-up (self sign-up is on)' : '');
  const writers: ClaimWriter[] = [];
  for (const client of view.clients) {
    if (client.writeAttributes === undefined) {
      writers.push({ client: client.path, reason: `it sets no \`WriteAttributes\` (or a deploy-time list), so Cognito's default write access applies${when}` });
    } else if (client.writeAttributes.includes(claim)) {
      writers.push({ client: client.path, reason: `its \`WriteAttributes\` list \`${claim}\`${when}` });
    }
  }
  return writers;
}

function providerWriters(view: PoolClaimView, claim: string): ClaimWriter[] {
  const writers: ClaimWriter[] = [];
  for (const p of view.providers) {
    const name = p.name ?? '(deploy-time name)';
    if (p.mappedAttributes === undefined) {
      writers.push({ client: p.path, reason: `identity provider ${name} has a deploy-time \`AttributeMapping\`, which may fill \`${claim}\` from its users' profiles` });
    } else if (!p.mappedAttributes.includes(claim)) {
      continue;
    } else if (p.social) {
      writers.push({ client: p.path, reason: `identity provider ${name} maps \`${claim}\` from the profile its users edit themselves (a social provider is never trusted for a claim)` });
    } else if (!p.trustedAttributes.includes(claim)) {
      writers.push({ client: p.path, reason: `identity provider ${name} maps \`${claim}\` at federated sign-in and is not trusted for it (\`trustedAttributes\`)` });
    }
  }
  return writers;
}

/** Every app client of `userPool` in the app (L2 and L1), found by its `UserPoolId`. */
export function clientsOfPool(scope: IConstruct, userPool: cognito.IUserPool): cognito.CfnUserPoolClient[] {
  const poolId = userPool.userPoolId;
  return scope.node.root.node.findAll().filter((c): c is cognito.CfnUserPoolClient =>
    c instanceof cognito.CfnUserPoolClient && c.userPoolId === poolId);
}

/**
 * The constructs' view of the app clients of `userPool`. `knownAttributes` gives the write list of
 * a client whose list is computed at synth (the directory's own web clients); it is never resolved
 * here, because resolving a cached lazy value before synth would freeze it. Any other client's list
 * must be a literal: a client without `WriteAttributes`, or with a deploy-time list, gets Cognito's
 * default write access, which the library cannot narrow down, so it counts as writing every attribute.
 */
export function clientViews(scope: IConstruct, userPool: cognito.IUserPool,
  knownAttributes: (client: cognito.CfnUserPoolClient) => readonly string[] | undefined = () => undefined): ClientView[] {
  return clientsOfPool(scope, userPool).map(client => ({
    path: client.node.path,
    writeAttributes: knownAttributes(client) ?? literalList(client.writeAttributes),
  }));
}

/** The constructs' view of the identity providers of `userPool` in the app (L2 and L1), found by their `UserPoolId`. */
export function providerViews(scope: IConstruct, userPool: cognito.IUserPool,
  trustedAttributes: (providerName: string) => readonly string[]): ProviderView[] {
  const poolId = userPool.userPoolId;
  return scope.node.root.node.findAll()
    .filter((c): c is cognito.CfnUserPoolIdentityProvider => c instanceof cognito.CfnUserPoolIdentityProvider && c.userPoolId === poolId)
    .map(p => providerView(p.node.path, p.providerName, p.providerType, p.attributeMapping, trustedAttributes));
}

function providerView(path: string, name: unknown, type: unknown, mapping: unknown,
  trustedAttributes: (providerName: string) => readonly string[]): ProviderView {
  const literalName = typeof name === 'string' && !Token.isUnresolved(name) ? name : undefined;
  const social = isSocialProviderType(type);
  const mapped = mapping === undefined ? []
    : (typeof mapping === 'object' && mapping !== null && !Array.isArray(mapping) && !Token.isUnresolved(mapping) ? Object.keys(mapping) : undefined);
  return {
    path,
    name: literalName,
    social,
    mappedAttributes: mapped,
    trustedAttributes: literalName !== undefined && !social ? trustedAttributes(literalName) : [],
  };
}

/** What the constructs say of a pool's sign-up, user names and schema: known for a pool created in the app with literal settings. */
export interface PoolSettingsView {
  readonly selfSignUp?: boolean;
  readonly usernamesChosen?: boolean;
  readonly providersUnknown: boolean;
  immutable(attribute: string): boolean;
}

/**
 * The constructs' view of a pool given to `UserDirectory.fromUserPool()`: a pool created in the
 * app (its `CfnUserPool` with literal settings) is read; anything else is unknown, so read
 * conservatively (sign-up on, user names picked, providers outside the app).
 */
export function poolSettingsOf(userPool: cognito.IUserPool): PoolSettingsView {
  const cfn = userPool.node.defaultChild;
  if (!(cfn instanceof cognito.CfnUserPool)) {
    return { providersUnknown: true, immutable: () => false };
  }
  const config = cfn.adminCreateUserConfig;
  const adminOnly = config === undefined ? false
    : (Token.isUnresolved(config) ? undefined : (config as cognito.CfnUserPool.AdminCreateUserConfigProperty).allowAdminCreateUserOnly);
  const usernameAttributes = cfn.usernameAttributes;
  const schema = Array.isArray(cfn.schema) && !Token.isUnresolved(cfn.schema)
    ? cfn.schema as cognito.CfnUserPool.SchemaAttributeProperty[] : undefined;
  return {
    selfSignUp: adminOnly === undefined || Token.isUnresolved(adminOnly) ? undefined : adminOnly !== true,
    usernamesChosen: usernameAttributes !== undefined && Token.isUnresolved(usernameAttributes) ? undefined
      : !(Array.isArray(usernameAttributes) && usernameAttributes.length > 0),
    providersUnknown: false,
    immutable: (attribute) => {
      const name = attribute.startsWith('custom:') ? attribute.slice('custom:'.length) : attribute;
      const found = schema?.find(a => a.name === name);
      return found !== undefined && found.mutable === false;
    },
  };
}

function literalList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || Token.isUnresolved(value) || value.some(v => typeof v !== 'string' || Token.isUnresolved(v))) {
    return undefined;
  }
  return value;
}

/**
 * Every way a user can choose `claim`, read from the resources as CloudFormation will receive
 * them. Run at synth (validation), when every construct is final: it sees clients and identity
 * providers of any kind (L2, L1, a bare `CfnResource` of type `AWS::Cognito::UserPoolClient` or
 * `AWS::Cognito::UserPoolIdentityProvider`), clients of the pool imported again
 * (`UserPool.fromUserPoolArn(...)`, in any stack), and escape hatches (`addPropertyOverride`,
 * deletion overrides) on `WriteAttributes`, `AttributeMapping` and `UserPoolId`. An attribute is
 * immutable, sign-up on and user names picked by users only as the rendered pool says; an imported
 * pool is read conservatively (sign-up on, user names picked, providers unknown).
 */
export function renderedClaimWriters(scope: IConstruct, userPool: cognito.IUserPool, claim: string,
  trustedAttributes: (providerName: string) => readonly string[], match?: ClaimMatch,
  declaredWritableAttributes?: readonly string[]): ClaimWriter[] {
  if (typeof claim !== 'string' || Token.isUnresolved(claim) || (!isAttributeClaim(claim) && claim !== USERNAME_CLAIM && claim !== IDENTITIES_CLAIM)) {
    return [];
  }
  const pool = renderedPool(userPool);
  const { clients, providers } = renderedPoolResources(scope, userPool);
  return claimWritersOf({
    path: userPool.node.path,
    selfSignUp: pool?.selfSignUp,
    usernamesChosen: pool?.usernamesChosen,
    providersUnknown: pool === undefined,
    declaredWritableAttributes,
    clients: clients.map(c => ({ path: c.resource.node.path, writeAttributes: literalList(c.properties.WriteAttributes) })),
    providers: providers.map(p => providerView(p.resource.node.path, p.properties.ProviderName, p.properties.ProviderType,
      p.properties.AttributeMapping, trustedAttributes)),
    immutable: (attribute) => {
      const name = attribute.startsWith('custom:') ? attribute.slice('custom:'.length) : attribute;
      return pool?.schema.find(a => a.name === name)?.mutable === false;
    },
  }, claim, match);
}

/** A client or identity provider resource of the pool, with its properties as CloudFormation receives them. */
export interface RenderedPoolResource {
  readonly resource: CfnResource;
  readonly properties: Record<string, unknown>;
}

/**
 * Every app client and identity provider resource of `userPool` in the app, of any kind (L2, L1,
 * a bare `CfnResource`, in any stack), found by its rendered `UserPoolId` (escape hatches
 * included). Only valid at synth.
 */
export function renderedPoolResources(scope: IConstruct, userPool: cognito.IUserPool):
{ clients: RenderedPoolResource[]; providers: RenderedPoolResource[] } {
  const clients: RenderedPoolResource[] = [];
  const providers: RenderedPoolResource[] = [];
  for (const node of scope.node.root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) {
      continue;
    }
    const type = node.cfnResourceType;
    if (type !== 'AWS::Cognito::UserPoolClient' && type !== 'AWS::Cognito::UserPoolIdentityProvider') {
      continue;
    }
    const properties = renderedProperties(node);
    if (!refersToPool(properties.UserPoolId, Stack.of(node), userPool)) {
      continue;
    }
    (type === 'AWS::Cognito::UserPoolClient' ? clients : providers).push({ resource: node, properties });
  }
  return { clients, providers };
}

/** Whether a rendered `ProviderType` is a social provider's (or unknown at synth, so possibly one). */
export function isSocialProviderType(type: unknown): boolean {
  return typeof type !== 'string' || Token.isUnresolved(type) || SOCIAL_PROVIDER_TYPES.includes(type);
}

/** A resource's properties as CloudFormation receives them (overrides applied, tokens resolved). */
export function renderedProperties(resource: CfnResource): Record<string, unknown> {
  // `_toCloudFormation()` is how aws-cdk-lib renders a resource with its overrides (internal API).
  const rendered = Stack.of(resource).resolve((resource as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as
    { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
}

interface RenderedPool {
  readonly schema: ReadonlyArray<{ readonly name: string; readonly mutable: boolean }>;
  readonly selfSignUp: boolean;
  readonly usernamesChosen: boolean;
}

/** The schema, sign-up and user name settings of a pool created in the app, as rendered; undefined for an imported pool. */
function renderedPool(userPool: cognito.IUserPool): RenderedPool | undefined {
  const cfn = userPool.node.defaultChild;
  if (!CfnResource.isCfnResource(cfn) || cfn.cfnResourceType !== 'AWS::Cognito::UserPool') {
    return undefined;
  }
  const properties = renderedProperties(cfn);
  const schema = Array.isArray(properties.Schema) ? properties.Schema as Array<{ Name?: unknown; Mutable?: unknown }> : [];
  const adminOnly = (properties.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: unknown } | undefined)?.AllowAdminCreateUserOnly;
  // With `UsernameAttributes` (email or phone as the user name) Cognito generates the user name.
  const usernameAttributes = properties.UsernameAttributes;
  return {
    schema: schema.map(a => ({ name: String(a.Name), mutable: a.Mutable !== false })),
    selfSignUp: adminOnly !== true,
    usernamesChosen: !(Array.isArray(usernameAttributes) && usernameAttributes.length > 0),
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
