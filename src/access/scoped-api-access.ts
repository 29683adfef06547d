import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct, IConstruct } from 'constructs';
import { Audience, AudienceKind } from './audience';
import { ApiRule, checkApiRules, compileApiPolicies, parseMethods, parseRoute } from './private/api';
import { Statement } from './private/fit';
import { checkGuestService } from './private/guest-services';
import { ParsedPath } from './private/path';
import { attachPrincipalStatements, principalRoles } from './private/principals';
import { checkCrossAccountReference, resourceSideStatements, widen } from './private/resource-side';
import { checkAudienceHasRole, ResourceSideRole, RolePolicies, validateMaxManagedPolicies } from './private/role-policies';
import { literalKeys, literalOf, nameKeys, ResourceRuleSet } from './private/rule-set';
import { AccessRuleDescription } from './scoped-bucket-access';
import type { IFederatedIdentityPool } from '../identity-pool/i-federated-identity-pool';
import { otherAccount } from '../private/accounts';
import { addValidation, invalid } from '../private/errors';
import { subjectWarningId } from '../private/warnings';

/**
 * Properties of a ScopedApiAccess. Give exactly one of `api` (REST API) and `httpApi` (HTTP API).
 *
 * @example
 * /// fixture=api
 * const props: ScopedApiAccessProps = { identityPool: identities, httpApi, stage: 'prod' };
 * new ScopedApiAccess(this, 'Api', props).allow('/notes/*', Audience.authenticated(), 'GET');
 */
export interface ScopedApiAccessProps {
  /**
   * The identity pool whose roles receive the access.
   */
  readonly identityPool: IFederatedIdentityPool;

  /**
   * The REST API to grant access to. Its methods should use IAM authorization
   * (`authorizationType: AuthorizationType.IAM`); a covered method of an API created in the app
   * that does not gets a warning.
   *
   * @default - none: give `httpApi`
   */
  readonly api?: apigateway.IRestApi;

  /**
   * The HTTP API to grant access to. Its routes should use `HttpIamAuthorizer`; a covered route
   * of an API created in the app that does not gets a warning.
   *
   * @default - none: give `api`
   */
  readonly httpApi?: apigwv2.IHttpApi;

  /**
   * The stage the access is for (only invocations of this stage are allowed).
   *
   * @default - the REST API's deployment stage (`api.deploymentStage`), or the HTTP API's
   * default stage (`$default`); required for an imported API
   */
  readonly stage?: string;

  /**
   * The id API Gateway gave the REST API `api`, when `api` is created in another account than the
   * identity pool's roles. The roles' policies, in the roles' account, name the API by id, and an
   * API's id is generated when it is created, so it cannot cross accounts at synth (no
   * CloudFormation export crosses accounts): deploy the API's stack once, then pass its id here.
   * The API's resource policy is written either way.
   *
   * @default - the API's own id; an API created in another account is refused without it
   */
  readonly deployedRestApiId?: string;

  /**
   * The number of managed policies one role may have (the account's IAM quota
   * "Managed policies per role"), 1 to 20.
   *
   * @default 10
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly maxManagedPoliciesPerRole?: number;
}

interface Rule {
  readonly path: string;
  readonly parsed: ParsedPath;
  readonly audience: Audience;
  readonly methods: string[];
  /** The methods as written (`*` stays `*`). */
  readonly written: string[];
}

/** A deployed route: method and path as API Gateway defines them. */
interface Route {
  readonly method: string;
  readonly path: string;
  readonly iam: boolean;
  readonly node: IConstruct;
}

const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

/**
 * Scoped access to the routes of an API Gateway REST or HTTP API that uses IAM authorization,
 * for the identities of a federated identity pool: `execute-api:Invoke` on exactly the stage,
 * methods and routes each audience may call.
 *
 * A route pattern `/notes/*` covers `/notes` and every route below it; `{identity}` and
 * `{tag:NAME}` fill a segment like in bucket paths, and the more specific route decides for its
 * subtree. Rules are compiled into IAM policies (in this construct's stack) on every role of the
 * pool that their audience can receive, when the app is prepared.
 *
 * @example
 * const api = new ScopedApiAccess(stack, 'Api', { identityPool: identities, api: restApi });
 * api.allow('/notes/*', Audience.authenticated(), 'GET', 'POST', 'PUT', 'DELETE');
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export class ScopedApiAccess extends Construct {
  /** The API id. */
  public readonly apiId: string;

  /** The stage the access is for. */
  public readonly stageName: string;

  /** The execute-api ARN of the stage (`arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`). */
  public readonly stageArn: string;

  private readonly pool: IFederatedIdentityPool;
  private readonly target: IConstruct;
  /** The REST API created in the app, whose resource policy takes the resource side. */
  private readonly restApi?: apigateway.IRestApi;
  private readonly isHttp: boolean;
  private readonly rules: Rule[] = [];
  private readonly reported = new Set<string>();
  private readonly attachedPrincipals = new Set<string>();
  private readonly ruleSet: ResourceRuleSet<ApiRule>;

  constructor(scope: Construct, id: string, props: ScopedApiAccessProps) {
    super(scope, id);
    if (props?.identityPool === undefined) {
      invalid('identityPool', undefined, 'ScopedApiAccess needs the identity pool whose roles get the access',
        'Pass `identityPool: new FederatedIdentityPool(...)` or `FederatedIdentityPool.fromIdentityPoolId(...)`.');
    }
    if ((props.api === undefined) === (props.httpApi === undefined)) {
      invalid(props.api === undefined ? 'api' : 'httpApi', props.api === undefined ? undefined : 'both', 'Give exactly one API: `api` (REST) or `httpApi` (HTTP)',
        'Pass `api: restApi` for a REST API or `httpApi: httpApi` for an HTTP API, in one ScopedApiAccess each.');
    }
    if (props.maxManagedPoliciesPerRole !== undefined) {
      validateMaxManagedPolicies(props.maxManagedPoliciesPerRole);
    }
    this.pool = props.identityPool;
    this.isHttp = props.httpApi !== undefined;
    const api: IConstruct = props.api ?? props.httpApi!;
    this.target = api;
    this.restApi = props.api;
    if (props.deployedRestApiId !== undefined && (props.api === undefined || (!Token.isUnresolved(props.deployedRestApiId) && !/^[a-z0-9]{10}$/.test(props.deployedRestApiId)))) {
      invalid('deployedRestApiId', props.deployedRestApiId, props.api === undefined ? 'The deployed id names a REST API given in `api`' : 'A REST API id is 10 lower-case letters and digits',
        'Pass the id of the deployed `api` (its `restApiId` output), e.g. `a1b2c3d4e5`, or leave it out.');
    }
    this.apiId = props.api ? (props.deployedRestApiId ?? props.api.restApiId) : props.httpApi!.apiId;
    const crossAccount = otherAccount(this.pool, (api as Partial<apigateway.RestApi>).env?.account) !== undefined;
    const stageName = props.stage ?? defaultStage(props);
    // Across accounts the roles' policies name the stage by its literal name (no output crosses accounts).
    this.stageName = crossAccount ? (literalOf(stageName, t => (t as apigateway.CfnStage).stageName) ?? stageName) : stageName;
    if (!Token.isUnresolved(this.stageName) && (typeof this.stageName !== 'string' || !STAGE_NAME.test(this.stageName)
      || (this.stageName === '$default' && !this.isHttp))) {
      invalid('stage', this.stageName, 'A stage name is 1-128 letters, digits, `_` or `-` (`$default` only for HTTP APIs); wildcards are not allowed',
        'Name the one stage the roles may invoke, e.g. `prod`.');
    }
    this.stageArn = Stack.of(api).formatArn({
      service: 'execute-api',
      resource: this.apiId,
      resourceName: this.stageName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    // Names are followed through exports and SSM parameters of the app (rule-set.ts).
    const apiNames = nameKeys(this, this.apiId, ['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'], () => undefined);
    const stageNames = nameKeys(this, this.stageName, ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'], t => (t as apigateway.CfnStage).stageName);
    const stageKeys = [this.stageName, ...literalKeys(this.stageName, t => (t as apigateway.CfnStage).stageName)];
    this.ruleSet = ResourceRuleSet.join<ApiRule>(this, {
      kind: 'API stage',
      property: 'api',
      // The default deployment stage and the same stage named by its literal name are one stage.
      keys: [this.stageArn, ...stageKeys.map(stage => apiNames.keys.map(k => `${k}/${stage}`)).flat()],
      // An API's id is generated: a literal id may be any API created in the app.
      provable: apiNames.provable && stageNames.provable,
      generatedIn: apiNames.generatedIn === undefined ? undefined : '*',
      paths: () => this.rules.map(r => r.parsed),
      pool: this.pool,
      settings: {},
      rules: () => this.rules.map(toApiRule),
    });
    RolePolicies.of(this.pool).register({
      scope: this,
      policyStatements: (groups: readonly string[]) => this.policyStatements(groups),
      principalRoles: () => (this.ruleSet.isOwner(this) ? principalRoles(this.ruleSet.rules()) : new Map()),
      resourceSide: (roles: readonly ResourceSideRole[]) => this.writeResourceSide(roles),
    }, { maxManagedPoliciesPerRole: props.maxManagedPoliciesPerRole });
    addValidation(this, () => this.checkAuthorization());
    const account = otherAccount(this.pool, (api as Partial<apigateway.RestApi>).env?.account);
    if (account !== undefined && this.isHttp) {
      invalid('httpApi', api.node.path, `The HTTP API is in account ${account}, another account than the identity pool's roles, and HTTP APIs have no resource policy, `
        + 'so API Gateway never lets another account\'s roles invoke it (a cross-account request needs the resource\'s policy to allow it too)',
      `Use a REST API (\`api\`, whose resource policy this construct writes), or an identity pool whose roles are in account ${account}.`);
    }
  }

  /**
   * Lets an audience invoke methods on the routes under a path.
   *
   * @param path a route pattern starting with `/` and ending in `/*`, e.g. `/notes/*` (covers
   * `/notes` and everything below it), `/users/{identity}/*`, `/tenants/{tag:tenant}/*`, or `/*`
   * for every route
   * @param audience who may invoke
   * @param methods HTTP methods (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, any
   * case) or `*` for every method (at least one)
   *
   * @example
   * /// fixture=api
   * api.allow('/notes/*', Audience.authenticated(), 'GET', 'POST', 'PUT', 'DELETE');
   * api.allow('/admin/*', Audience.group('admins'), '*');
   */
  public allow(path: string, audience: Audience, ...methods: string[]): void {
    if (!(audience instanceof Audience)) {
      invalid('audience', audience, 'An access rule needs an audience', 'Pass e.g. `Audience.authenticated()` or `Audience.group(\'admins\')`.');
    }
    checkGuestService(audience, 'execute-api', 'API Gateway', path);
    const parsed = parseRoute(path, audience, this.pool.principalTagNames);
    const expanded = parseMethods(methods);
    checkAudienceHasRole(this, this.pool, audience, path);
    const rule: Rule = { path, parsed, audience, methods: expanded, written: methods.map(m => m.trim().toUpperCase()) };
    // A rule that can never compile fails here; whether the whole rule set can be expressed in IAM
    // is decided at synth, on every rule of every construct on the stage, so that the order in
    // which rules are added never matters.
    checkApiRules([toApiRule(rule)], {
      identityRegion: this.pool._identityRegion(),
      mappedTags: this.pool.principalTagNames,
    });
    if (audience.kind === AudienceKind.GROUP) {
      this.pool.roleForGroup(audience.groupName!, audience.directory);
    }
    this.rules.push(rule);
  }

  /**
   * The rules, one row per rule, for documentation and summaries (`access` lists the methods).
   *
   * @example
   * /// fixture=api
   * for (const rule of api.describe()) {
   *   Annotations.of(this).addInfo(`${rule.audience} may ${rule.access} ${rule.path}`);
   * }
   */
  public describe(): AccessRuleDescription[] {
    return this.rules.map(r => ({
      path: r.path,
      audience: `${r.audience}`,
      access: r.methods.length === 7 ? '*' : r.methods.join(', '),
    }));
  }

  /**
   * The REST API's side of cross-account access: when the API is in another account than the
   * pool's roles, its resource policy allows each role that holds a rule on the stage
   * `execute-api:Invoke` on that role's methods and routes (`execute-api:/<stage>/<METHOD>/<path>`,
   * policy variables widened to `*`); the identity policies keep the per-identity routes.
   */
  private writeResourceSide(roles: readonly ResourceSideRole[]): void {
    const api = this.restApi;
    const account = api === undefined ? undefined : otherAccount(this.pool, api.env.account);
    if (api === undefined || account === undefined || !this.ruleSet.isOwner(this)) {
      return;
    }
    const identityStack = RolePolicies.of(this.pool).policyStackFor(Stack.of(this));
    checkCrossAccountReference(identityStack, this.stageArn, 'deployedRestApiId', api,
      'API Gateway generates a REST API\'s id when it creates the API: deploy the API\'s stack, then pass its id in `deployedRestApiId`.');
    // In the API's own policy its id would be a circular reference: `execute-api:/` names this API.
    const stage = literalOf(this.stageName, t => (t as apigateway.CfnStage).stageName) ?? '*';
    const statements = resourceSideStatements(roles, st => st.actions.every(a => a.startsWith('execute-api:')),
      st => st.resources.map(r => (r.startsWith(this.stageArn) ? `execute-api:/${stage}${widen(r.slice(this.stageArn.length))}` : widen(r))));
    const withPolicy = api as Partial<apigateway.RestApi>;
    for (const statement of statements) {
      if (typeof withPolicy.addToResourcePolicy !== 'function' || !withPolicy.addToResourcePolicy(statement).statementAdded) {
        invalid('api', api.node.path, `The REST API is in account ${account}, another account than the identity pool's roles, so its resource policy must allow them; `
          + 'it is imported, and a REST API\'s resource policy can only be written where the API is created',
        `Pass the \`RestApi\` created in a stack of account ${account} in this app (with \`deployedRestApiId\` once it is deployed).`);
      }
    }
    for (const { target } of roles) {
      checkCrossAccountReference(Stack.of(api), target.role.roleArn, 'identityPool', target.role,
        'Create the identity pool\'s roles with this library (their names are generated when another account refers to them), or import them by literal ARN.');
    }
  }

  private policyStatements(groups: readonly string[]): ReadonlyMap<string, readonly Statement[]> {
    // The owner of the stage's rule set compiles the rules of every construct on the stage.
    const rules = this.ruleSet.isOwner(this) ? this.ruleSet.rules() : [];
    if (rules.length === 0) {
      return new Map();
    }
    const compiled = compileApiPolicies(rules, {
      stageArn: this.stageArn,
      identityRegion: this.pool._identityRegion(),
      groups,
      mappedTags: this.pool.principalTagNames,
    });
    for (const warning of compiled.warnings) {
      this.warn('apiRule', warning);
    }
    // Back ends that are not roles (users, groups) take their statements here; roles are planned.
    attachPrincipalStatements(rules, compiled.views, this.attachedPrincipals);
    return compiled.views;
  }

  private warn(kind: string, message: string): void {
    if (!this.reported.has(message)) {
      this.reported.add(message);
      Annotations.of(this).addWarningV2(subjectWarningId(kind, message), message);
    }
  }

  /** Warns for every covered method of an API created in the app that does not use IAM authorization. */
  private checkAuthorization(): string[] {
    const routes = this.isHttp ? httpRoutes(this.target) : restRoutes(this.target);
    for (const route of routes) {
      if (route.iam) {
        continue;
      }
      const rule = this.rules.find(r => covers(r, route));
      if (rule) {
        this.warn('notIamAuthorized', `${route.method} ${route.path} (${route.node.node.path}) does not use IAM authorization, so the rule \`${rule.path}\` for ${rule.audience} protects nothing there: `
          + 'anyone who can reach the API may call it. Set `authorizationType: AuthorizationType.IAM` (REST) or `authorizer: new HttpIamAuthorizer()` (HTTP) on it.');
      }
    }
    return [];
  }
}

function toApiRule(rule: Rule): ApiRule {
  return { path: rule.parsed, audience: rule.audience, methods: rule.methods };
}

function defaultStage(props: ScopedApiAccessProps): string {
  if (props.httpApi) {
    const stage = props.httpApi.defaultStage?.stageName;
    if (stage === undefined) {
      invalid('stage', undefined, 'The HTTP API has no default stage that ScopedApiAccess can see',
        'Pass the stage the roles may invoke, e.g. `stage: \'prod\'`.');
    }
    return stage;
  }
  let stage: string | undefined;
  try {
    stage = props.api!.deploymentStage?.stageName;
  } catch {
    stage = undefined;
  }
  if (stage === undefined) {
    invalid('stage', undefined, 'The REST API has no deployment stage that ScopedApiAccess can see (an imported API, or `deploy: false`)',
      'Pass the stage the roles may invoke, e.g. `stage: \'prod\'`.');
  }
  return stage;
}

function restRoutes(api: IConstruct): Route[] {
  const routes: Route[] = [];
  for (const node of api.node.findAll()) {
    if (node instanceof apigateway.Method) {
      const cfn = node.node.defaultChild as apigateway.CfnMethod;
      const type = Stack.of(node).resolve(cfn.authorizationType);
      routes.push({ method: node.httpMethod.toUpperCase(), path: node.resource.path, iam: type === 'AWS_IAM', node });
    }
  }
  return routes;
}

function httpRoutes(api: IConstruct): Route[] {
  const routes: Route[] = [];
  for (const node of api.node.findAll()) {
    if (node instanceof apigwv2.HttpRoute) {
      const cfn = node.node.defaultChild as apigwv2.CfnRoute;
      const type = Stack.of(node).resolve(cfn.authorizationType);
      // `GET /notes`, `ANY /{proxy+}` or `$default` (every method and path).
      const key = Stack.of(node).resolve(cfn.routeKey);
      if (typeof key !== 'string') {
        continue;
      }
      const [method, path] = key === '$default' ? ['ANY', '/{proxy+}'] : key.split(' ');
      routes.push({ method: method.toUpperCase(), path: path ?? '/', iam: type === 'AWS_IAM', node });
    }
  }
  return routes;
}

/** Whether a rule allows some request of a deployed route. */
function covers(rule: Rule, route: Route): boolean {
  const methodCovered = route.method === 'ANY'
    ? true
    : rule.methods.includes(route.method) && (route.method !== 'OPTIONS' || rule.written.includes('OPTIONS'));
  if (!methodCovered) {
    return false;
  }
  const segments = route.path.split('/').filter(s => s.length > 0);
  for (let i = 0; i < rule.parsed.segments.length; i++) {
    const routeSegment = segments[i];
    if (routeSegment === undefined) {
      return false; // the route is above the rule's path
    }
    if (routeSegment.endsWith('+}')) {
      return true; // a greedy path parameter reaches every path below
    }
    const ruleSegment = rule.parsed.segments[i];
    const variable = routeSegment.startsWith('{') && routeSegment.endsWith('}');
    if (ruleSegment.kind === 'literal' && !ruleSegment.deployTime && !variable && ruleSegment.value !== routeSegment) {
      return false;
    }
  }
  return true;
}
