import { Annotations, Resource } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ClaimMatch, renderedClaimWriters } from './claims';
import { USER_DIRECTORY_DEFAULTS, USER_WRITABLE_STANDARD_ATTRIBUTES } from './defaults';
import { DirectoryProvider } from './directory-provider';
import { IUserDirectory } from './i-user-directory';
import { userPoolQuotaProblems } from './limits';
import { DirectoryLogEvents, LogDestination } from './log-delivery';
import { MachineClientOptions } from './machine-client';
import { DirectoryAdmission } from './private/admission-trigger';
import { MAX_TEMPLATE_BYTES } from './private/branding';
import { declaredClaimWriters, importedClaimWriters, ownClaimWriters } from './private/claim-writers';
import { CustomAttributes } from './private/custom-attributes';
import { checkDeviceTracking } from './private/devices';
import { addCustomDomainAlias, addManagedLoginDomain, customDomainCertificate, validateCustomDomain, validateDomain } from './private/domain';
import { DirectoryFederation } from './private/federation';
import {
  CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS, MANAGE_ACCOUNTS_ACTIONS, MANAGE_GROUPS_ACTIONS, MANAGE_USERS_ACTIONS, READ_USERS_ACTIONS,
  signInWarnings, validateGrantActions,
} from './private/grants';
import { DirectoryGroups } from './private/groups';
import { DirectoryLogDelivery } from './private/log-delivery';
import { MachineAccess } from './private/machine-access';
import { validateMessages, warnAboutMessageSender } from './private/messages';
import { signInAliasesOf, userPoolPropsOf, warnAboutWeakChoices } from './private/pool';
import { outsideSocialProviderProblems, preSignUpProblems } from './private/rendered-checks';
import { ServerClients } from './private/server-clients';
import { resolveSignIn, validateEmailOtpSender } from './private/sign-in';
import { addThreatResponses } from './private/threat-responses';
import { DirectoryTriggers } from './private/triggers';
import { DirectoryWebAcl } from './private/web-acl';
import { WebClients } from './private/web-clients';
import { ResourceServerOptions } from './resource-server';
import { ServerClientOptions } from './server-client';
import { SignInFactor } from './sign-in';
import { ThreatResponseOptions } from './threat-responses';
import { TriggerOptions } from './triggers';
import { CustomAttributeOptions, GroupOptions, ImportedUserDirectoryOptions, UserDirectoryProps } from './user-directory-props';
import { DirectoryWebAclOptions } from './web-acl';
import { WebClientOptions } from './web-client';
import { addValidation } from '../private/errors';

abstract class UserDirectoryBase extends Resource implements IUserDirectory {
  public abstract readonly userPool: cognito.IUserPool;
  public abstract readonly groupNames: string[];
  public abstract readonly webClients: cognito.IUserPoolClient[];

  public get userPoolId(): string {
    return this.userPool.userPoolId;
  }

  public get userPoolArn(): string {
    return this.userPool.userPoolArn;
  }

  public get userPoolProviderName(): string {
    return this.userPool.userPoolProviderName;
  }

  /**
   * @example
   * /// fixture=api
   * if (!users.hasGroup('admins')) {
   *   users.addGroup('admins');
   * }
   */
  public hasGroup(groupName: string): boolean {
    return this.groupNames.includes(groupName);
  }

  /**
   * @example
   * /// fixture=api
   * if (!users.isClaimUserWritable('custom:tenant')) {
   *   files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ);
   * }
   */
  public isClaimUserWritable(claim: string): boolean {
    return this.claimWriters(claim).length > 0;
  }

  /**
   * @example
   * /// fixture=api
   * const writers = users.claimWriters('custom:tenant');
   * if (writers.length > 0) {
   *   Annotations.of(this).addWarningV2('tenant-writable', `custom:tenant can be written by ${writers.join(', ')}`);
   * }
   */
  public claimWriters(claim: string): string[] {
    return this._claimWritersMatching(claim);
  }

  /**
   * `claimWriters` from the constructs, with the ways to satisfy `match` when given.
   * @internal
   */
  public abstract _claimWritersMatching(claim: string, match?: ClaimMatch): string[];

  /** @internal */
  public _claimWritersAtSynth(claim: string, match?: ClaimMatch): string[] {
    return renderedClaimWriters(this, this.userPool, claim, (name) => this._trustedAttributesOf(name), match, this._declaredWritableAttributes)
      .map(w => `${w.client} (${w.reason})`);
  }

  /** @internal */
  public _ruleClaimWriters(claim: string, match: ClaimMatch, atSynth: boolean): string[] {
    return atSynth ? this._claimWritersAtSynth(claim, match) : this._claimWritersMatching(claim, match);
  }

  /**
   * The attributes an imported pool's clients and providers let users write, as the import states.
   * @internal
   */
  public get _declaredWritableAttributes(): string[] | undefined {
    return undefined;
  }

  /**
   * The attributes an enterprise provider of this directory is trusted for (`trustedAttributes`).
   * @internal
   */
  public _trustedAttributesOf(_providerName: string): string[] {
    return [];
  }
  public abstract setGroupRole(groupName: string, role: iam.IRole): boolean;

  /**
   * @example
   * /// fixture=api
   * users.grantReadUsers(adminFn);
   */
  public grantReadUsers(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, READ_USERS_ACTIONS);
  }

  /**
   * @example
   * /// fixture=api
   * users.grantManageAccounts(adminFn);
   */
  public grantManageAccounts(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_ACCOUNTS_ACTIONS);
  }

  /**
   * @example
   * /// fixture=api
   * users.grantChangeSignInAttributes(adminFn);
   */
  public grantChangeSignInAttributes(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS);
  }

  /**
   * @example
   * /// fixture=api
   * users.grantManageUsers(adminFn);
   */
  public grantManageUsers(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_USERS_ACTIONS);
  }

  /**
   * @example
   * /// fixture=api
   * users.grantManageGroups(adminFn);
   */
  public grantManageGroups(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_GROUPS_ACTIONS);
  }

  /**
   * @example
   * /// fixture=api
   * users.grant(adminFn, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser');
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    validateGrantActions(actions);
    const who = Construct.isConstruct(grantee) ? grantee.node.path : `${grantee.grantPrincipal}`;
    for (const [id, why] of signInWarnings(actions)) {
      Annotations.of(this).addWarningV2(id, `${who} is granted ${why}. `
        + 'Grant it only to a principal you trust with every account it reaches, and acknowledge this warning once reviewed.');
    }
    return this.grantActions(grantee, actions);
  }

  private grantActions(grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...new Set(actions)].sort(), resourceArns: [this.userPoolArn] });
  }
}

/**
 * A Cognito user directory that passes a security review as it is: email sign-in, strong
 * passwords, required TOTP MFA, threat protection, deletion protection and RETAIN, public
 * app clients with the authorization-code grant only.
 *
 * @example
 * const users = new UserDirectory(this, 'Users', { selfSignUp: true, domainPrefix: 'notes-app-auth' });
 * users.addGroup('admins', { precedence: 0 });
 * users.addCustomAttribute('tenant', { mutable: false });
 * const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
 */
export class UserDirectory extends UserDirectoryBase {
  /**
   * Uses an existing user pool as a directory.
   *
   * @example
   * /// fixture=api
   * const existing = UserDirectory.fromUserPool(this, 'Users', existingPool, {
   *   groupNames: ['admins'],
   *   webClients: [web],
   *   userWritableAttributes: ['email', 'name'],
   * });
   */
  public static fromUserPool(
    scope: Construct,
    id: string,
    userPool: cognito.IUserPool,
    options: ImportedUserDirectoryOptions = {},
  ): IUserDirectory {
    const writable = new Set<string>(options.userWritableAttributes ?? USER_WRITABLE_STANDARD_ATTRIBUTES);
    class Import extends UserDirectoryBase {
      public readonly userPool = userPool;
      public readonly groupNames = [...(options.groupNames ?? [])];
      public readonly webClients = [...(options.webClients ?? [])];

      /** @internal */
      public _claimWritersMatching(claim: string, match?: ClaimMatch): string[] {
        return [...declaredClaimWriters(this, writable, claim),
          ...importedClaimWriters(this, userPool, claim, match, this._declaredWritableAttributes)];
      }

      /** @internal */
      public _claimWritersAtSynth(claim: string, match?: ClaimMatch): string[] {
        return [...declaredClaimWriters(this, writable, claim), ...super._claimWritersAtSynth(claim, match)];
      }

      /** @internal */
      public get _declaredWritableAttributes(): string[] | undefined {
        return options.userWritableAttributes === undefined ? undefined : [...options.userWritableAttributes];
      }

      public setGroupRole(groupName: string, _role: iam.IRole): boolean {
        Annotations.of(this).addWarningV2('cdk-federated-access:importedGroupRole',
          `The role of group "${groupName}" of an imported user pool cannot be set here: set the group's RoleArn to the role from FederatedIdentityPool.roleForGroup('${groupName}').`);
        return false;
      }
    }
    return new Import(scope, id);
  }

  /** The Cognito user pool. */
  public readonly userPool: cognito.IUserPool;

  /** The managed login domain, when `domainPrefix` or `customDomain` is given. */
  public readonly domain?: cognito.UserPoolDomain;

  /** The certificate of the custom domain: the one given, or the one the directory created. */
  public readonly domainCertificate?: acm.ICertificate;

  /** The alias record of the custom domain, when `customDomain.hostedZone` is given. */
  public readonly domainAliasRecord?: route53.IRecordSet;

  /** The first factors users may choose from at sign-in. */
  public readonly signInFactors: SignInFactor[];

  /** The pool's MFA setting. */
  public readonly mfa: cognito.Mfa;

  /** The pool's feature plan. */
  public readonly featurePlan: cognito.FeaturePlan;

  /** The passkey relying party id, when passkeys are on. */
  public readonly passkeyRelyingPartyId?: string;

  private readonly selfSignUp: boolean;
  private readonly usernamesChosen: boolean;
  private readonly groups: DirectoryGroups;
  private readonly customAttributes = new CustomAttributes();
  private readonly federation = new DirectoryFederation();
  private readonly clients: WebClients;
  private readonly triggers: DirectoryTriggers;
  private readonly admission: DirectoryAdmission;
  private readonly machineAccess: MachineAccess;
  private readonly logDelivery: DirectoryLogDelivery;
  private readonly webAcl: DirectoryWebAcl;
  private readonly serverClientSet: ServerClients;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    const d = USER_DIRECTORY_DEFAULTS;

    const signInAliases = signInAliasesOf(props);
    validateDomain(props);
    validateMessages(props);
    validateCustomDomain(this, props);

    const featurePlan = props.featurePlan ?? d.featurePlan;
    const signIn = resolveSignIn(this, { ...props, featurePlan, customDomainName: props.customDomain?.domainName });
    const mfa = signIn.mfa;
    const selfSignUp = props.selfSignUp ?? d.selfSignUp;
    this.selfSignUp = selfSignUp;
    // With email or phone as the user name (no `username` alias), Cognito generates user names.
    this.usernamesChosen = signInAliases.username === true;

    const pool = new cognito.UserPool(this, 'Resource', userPoolPropsOf(props, { signInAliases, selfSignUp, featurePlan, signIn }));
    this.userPool = pool;
    this.signInFactors = signIn.factors;
    this.mfa = mfa;
    this.featurePlan = featurePlan;
    this.passkeyRelyingPartyId = signIn.passkeyRelyingPartyId;
    const cfnPool = pool.node.defaultChild as cognito.CfnUserPool;
    validateEmailOtpSender(signIn, cfnPool);
    warnAboutMessageSender(this, props, cfnPool);
    // aws-cdk-lib's UserPool has no prop for it yet: passkeys with user verification count as MFA.
    cfnPool.webAuthnFactorConfiguration = signIn.passkeyFactorConfiguration;
    this.triggers = new DirectoryTriggers(pool, featurePlan);
    this.admission = new DirectoryAdmission(this, this.triggers, { selfSignUp, removalPolicy: props.removalPolicy ?? d.removalPolicy });
    this.machineAccess = new MachineAccess(pool);
    this.groups = new DirectoryGroups(this, pool);

    // Custom attributes can be added after construction, so the schema is computed at synth.
    this.customAttributes.renderInto(cfnPool);
    this.domainCertificate = customDomainCertificate(this, props);
    this.domain = addManagedLoginDomain(pool, props, this.domainCertificate);
    this.domainAliasRecord = addCustomDomainAlias(this, props, this.domain);
    this.clients = new WebClients({
      scope: this,
      pool,
      passwordless: signIn.passwordless,
      featurePlan,
      domain: this.domain,
      identityProviderNames: () => this.federation.providers.map((p) => p.providerName),
      writableAttributes: () => this.customAttributes.writableAttributes(),
    });

    this.logDelivery = new DirectoryLogDelivery(this, pool, featurePlan, props.removalPolicy ?? d.removalPolicy);
    this.webAcl = new DirectoryWebAcl(this, pool);
    this.serverClientSet = new ServerClients(pool, () => this.federation.providers.map((p) => p.providerName),
      () => this.customAttributes.writableAttributes());
    checkDeviceTracking(this, props.deviceTracking, mfa);

    warnAboutWeakChoices(this, props, mfa, featurePlan);
    this.addValidations(selfSignUp);
  }

  /** The names of the groups added with `addGroup`. */
  public get groupNames(): string[] {
    return this.groups.names;
  }

  /** The web clients added with `addWebClient`. */
  public get webClients(): cognito.IUserPoolClient[] {
    return [...this.clients.clients];
  }

  /** The confidential server clients added with `addServerClient`. */
  public get serverClients(): cognito.IUserPoolClient[] {
    return [...this.serverClientSet.clients];
  }

  /** The machine-to-machine clients added with `addMachineClient`. */
  public get machineClients(): cognito.IUserPoolClient[] {
    return this.machineAccess.machineClients;
  }

  /** The resource servers added with `addResourceServer`. */
  public get resourceServers(): cognito.IUserPoolResourceServer[] {
    return this.machineAccess.resourceServers;
  }

  /** Every custom scope of the resource servers, as `<identifier>/<scope name>`. */
  public get customScopes(): string[] {
    return this.machineAccess.customScopes;
  }

  /**
   * The triggers added with `addTrigger`, by aws-cdk-lib operation name (`preSignUp`...), and
   * `preSignUp` when the directory enforces a provider's sign-up rule with its own trigger.
   */
  public get triggerOperations(): string[] {
    return this.triggers.operationNames;
  }

  /** The names of the sign-in providers added with `addIdentityProvider`. */
  public get identityProviderNames(): string[] {
    return this.federation.providerNames;
  }

  /**
   * Adds a group. Its role is set by `FederatedIdentityPool.roleForGroup()`.
   *
   * @param groupName 1-128 characters without spaces; unique in the directory
   *
   * @example
   * /// fixture=api
   * users.addGroup('admins', { precedence: 0, description: 'Administrators' });
   */
  public addGroup(groupName: string, options: GroupOptions = {}): cognito.CfnUserPoolGroup {
    return this.groups.add(groupName, options);
  }

  /**
   * Adds a string custom attribute (`custom:<name>` in tokens).
   *
   * It is readable by the web clients, and writable by users only with `userWritable: true`.
   *
   * Fixed at creation: once deployed, a custom attribute can be neither removed nor renamed, and
   * its type, `mutable`, `minLength` and `maxLength` cannot change (`userWritable` can: it lives
   * on the app clients).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html
   * @param name 1-20 letters, digits, `_` or `-`, without the `custom:` prefix
   *
   * @example
   * /// fixture=api
   * users.addCustomAttribute('tenant', { mutable: false }); // only administrators set it: may decide access
   * users.addCustomAttribute('nickname', { userWritable: true, maxLength: 64 });
   */
  public addCustomAttribute(name: string, options: CustomAttributeOptions = {}): void {
    this.customAttributes.add(name, options);
  }

  /**
   * The pre sign-up trigger the directory created to enforce its providers' sign-up rules
   * (`FederatedSignUp.emailDomains()`, `emails()`), if any.
   */
  public get signUpAdmissionFunction(): lambda.IFunction | undefined {
    return this.admission.triggerFunction;
  }

  /**
   * Adds a social or enterprise sign-in provider; every web client can use it.
   *
   * Cognito creates a user at the first sign-in through the provider. On an invite-only directory
   * a social provider (Google, Facebook, Apple, Amazon) must state who may sign up through it
   * (`signUp`); OIDC and SAML providers admit their organization's users unless given a rule.
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.saml({
   *   name: 'Partner',
   *   metadataUrl: 'https://idp.partner.example/metadata',
   *   signUp: FederatedSignUp.emailDomains('partner.example'),
   * }));
   */
  public addIdentityProvider(provider: DirectoryProvider): cognito.IUserPoolIdentityProvider {
    return this.federation.add(this, this.userPool, provider, this.admission);
  }

  /**
   * Adds a public app client for a web or mobile app: no secret, SRP sign-in, the
   * authorization-code grant only (never implicit), user existence errors hidden,
   * token revocation on, and explicit token lifetimes.
   *
   * @example
   * /// fixture=api
   * const web = users.addWebClient('Web', {
   *   callbackUrls: ['https://app.example.com/'],
   *   logoutUrls: ['https://app.example.com/signed-out'],
   * });
   */
  public addWebClient(id: string, options: WebClientOptions = {}): cognito.UserPoolClient {
    return this.clients.add(id, options);
  }

  /**
   * Adds a confidential app client for a server: a server-rendered app, or an Application Load
   * Balancer's `authenticate-cognito` action. The authorization-code grant with a generated secret,
   * `openid` only by default, user existence errors hidden, token revocation on, explicit token
   * lifetimes, and the attribute writes of the web clients. Needs a domain (the managed login pages).
   *
   * The secret stays in Cognito: it is in no Output and no `ClientConfig` (which refuses a client
   * with a secret). The load balancer reads it itself; a server reads it with
   * `cognito-idp:DescribeUserPoolClient` (`grant(fn, 'cognito-idp:DescribeUserPoolClient')`).
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
   *
   * @example
   * /// fixture=api
   * users.addServerClient('Portal', {
   *   callbackUrls: ['https://portal.example.com/oauth2/idpresponse'],
   *   scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
   * });
   */
  public addServerClient(id: string, options: ServerClientOptions): cognito.UserPoolClient {
    return this.serverClientSet.add(id, options);
  }

  /**
   * Adds a Lambda trigger (pre sign-up, pre token generation, custom senders...). The function may
   * be invoked by Cognito for this pool only.
   *
   * @param options the event version (pre token generation V2_0 / V3_0) and the KMS key of custom senders
   *
   * @example
   * /// fixture=api
   * users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn, { lambdaVersion: cognito.LambdaVersion.V2_0 });
   */
  public addTrigger(operation: cognito.UserPoolOperation, fn: lambda.IFunction, options: TriggerOptions = {}): void {
    this.admission.checkUserTrigger(operation);
    this.triggers.add(operation, fn, options);
  }

  /**
   * Adds an OAuth 2.0 resource server with custom scopes, for machine clients and access tokens.
   *
   * @param identifier the prefix of the server's scopes, e.g. `notes-api` or `https://api.example.com`
   *
   * @example
   * /// fixture=api
   * users.addResourceServer('notes-api', {
   *   scopes: { 'notes.read': 'Read notes', 'reports.read': 'Read usage reports' },
   * });
   */
  public addResourceServer(identifier: string, options: ResourceServerOptions): cognito.UserPoolResourceServer {
    return this.machineAccess.addResourceServer(identifier, options);
  }

  /**
   * Adds a machine-to-machine app client: the client-credentials grant with a generated secret,
   * custom scopes only (checked against the resource servers at synth), an explicit access-token
   * lifetime, and no user sign-in flow or attribute access. Needs a domain (the token endpoint).
   *
   * @example
   * /// fixture=api
   * users.addResourceServer('notes-api', { scopes: { 'reports.read': 'Read usage reports' } });
   * users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'], accessTokenValidity: Duration.minutes(15) });
   */
  public addMachineClient(id: string, options: MachineClientOptions): cognito.UserPoolClient {
    return this.machineAccess.addMachineClient(id, options);
  }

  /** @internal */
  public _claimWritersMatching(claim: string, match?: ClaimMatch): string[] {
    return ownClaimWriters(this, this.userPool, {
      selfSignUp: this.selfSignUp,
      usernamesChosen: this.usernamesChosen,
      webClients: [...this.clients.clients, ...this.serverClientSet.clients],
      writableAttributes: () => this.customAttributes.writableAttributes(),
      trustedAttributesOf: (name) => this._trustedAttributesOf(name),
      isImmutable: (attribute) => this.customAttributes.isImmutable(attribute),
    }, claim, match);
  }

  /** @internal */
  public _trustedAttributesOf(providerName: string): string[] {
    return this.federation.trustedAttributesOf(providerName);
  }

  /**
   * @example
   * /// fixture=api
   * users.addGroup('auditors');
   * users.setGroupRole('auditors', iam.Role.fromRoleName(this, 'Auditors', 'notes-auditors'));
   */
  public setGroupRole(groupName: string, role: iam.IRole): boolean {
    this.groups.setRole(groupName, role);
    return true;
  }


  /** The log group the directory created for `addLogDelivery(..., LogDestination.cloudWatch())`, if any. */
  public get logGroup(): logs.ILogGroup | undefined {
    return this.logDelivery.logGroup;
  }

  /**
   * Exports the pool's logs: user notification errors (CloudWatch Logs only) or, on the Plus plan,
   * threat protection's user activity (CloudWatch Logs, S3 or Firehose). One destination per kind of log.
   *
   * Without a destination the directory creates a log group (one-year retention, kept with the
   * pool's removal policy) and, for every log group it delivers to, a resource policy that lets
   * `delivery.logs.amazonaws.com` write that log group's streams for this account's deliveries only.
   *
   * @param events which logs
   * @param destination where they go; a created log group when omitted
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html
   *
   * @example
   * /// fixture=api
   * users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION); // a created log group
   * users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(logBucket));
   */
  public addLogDelivery(events: DirectoryLogEvents, destination?: LogDestination): void {
    this.logDelivery.add(events, destination ?? LogDestination.cloudWatch());
  }

  /**
   * Associates an AWS WAF web ACL with the user pool: REGIONAL scope, in the pool's region.
   * A user pool takes one web ACL.
   *
   * @param webAclArn the web ACL's ARN (`CfnWebACL.attrArn`)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
   *
   * @example
   * /// fixture=api
   * users.associateWebAcl(corporateAcl.attrArn);
   */
  public associateWebAcl(webAclArn: string): wafv2.CfnWebACLAssociation {
    return this.webAcl.associate(webAclArn);
  }

  /**
   * Creates a REGIONAL web ACL for the user pool and associates it: a per-IP rate limit on
   * sign-in requests, then AWS's baseline managed rule groups (`AWSManagedRulesCommonRuleSet`,
   * `AWSManagedRulesAmazonIpReputationList`); everything else is allowed. AWS WAF bills per web
   * ACL, rule and request.
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
   *
   * @example
   * /// fixture=api
   * users.addWebAcl({ signInRateLimit: 100 }); // at most 100 sign-in requests per IP per 5 minutes
   */
  public addWebAcl(options: DirectoryWebAclOptions = {}): wafv2.CfnWebACL {
    return this.webAcl.addDefault(options);
  }

  /**
   * Sets how threat protection answers risky sign-ins and leaked passwords, for every app client
   * (Plus plan only). By default it blocks high-risk sign-ins, asks for MFA at medium risk, lets
   * low risk through and blocks leaked passwords; users are emailed only with `notification`.
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
   *
   * @example
   * /// fixture=api
   * users.configureThreatResponses({
   *   highRisk: RiskAction.BLOCK,
   *   compromisedCredentials: CompromisedCredentialsAction.BLOCK,
   * });
   */
  public configureThreatResponses(options: ThreatResponseOptions = {}): cognito.CfnUserPoolRiskConfigurationAttachment {
    return addThreatResponses(this, this.userPool, this.featurePlan, options);
  }

  /** The checks that depend on calls made after construction, run at synth. */
  private addValidations(selfSignUp: boolean): void {
    addValidation(this, () => this.federation.validate({
      hasDomain: this.domain !== undefined,
      webClientCount: this.clients.clients.length,
      oauthClientCount: this.clients.oauthClients.size + this.serverClientSet.clients.length,
      writableAttributes: this.customAttributes.writableAttributes(),
    }));
    addValidation(this, () => this.admission.validate());
    addValidation(this, () => outsideSocialProviderProblems(this, this.userPool, this.federation.providers));
    addValidation(this, () => preSignUpProblems(this.userPool, this.admission.triggerFunction, this.admission.ownTriggerProviders));
    addValidation(this, () => userPoolQuotaProblems(this));
    addValidation(this, () => this.machineAccess.validate(this.domain !== undefined));
    addValidation(this, () => this.machineAccess.warnSharedScopes(this, selfSignUp));
    addValidation(this, () => (this.clients.brandingBytes > MAX_TEMPLATE_BYTES
      ? [`\`branding\`: the web clients' branding images add ${this.clients.brandingBytes} characters of Base64 to the template, and CloudFormation reads templates of at most ${MAX_TEMPLATE_BYTES} bytes (received ${this.clients.brandingBytes}). Use smaller images (SVG), fewer of them, or share one style's images through \`BrandingColorMode.DYNAMIC\`.`]
      : []));
    addValidation(this, () => (this.serverClientSet.clients.length > 0 && this.domain === undefined
      ? [`\`domainPrefix\`: server clients (${this.serverClientSet.clients.map((c) => c.node.id).join(', ')}) sign users in on the managed login pages, which need a user pool domain (received no domain). Set \`domainPrefix\` or \`customDomain\`.`]
      : []));
  }
}
