import { Annotations, Lazy, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { claimWritersOf, clientViews, poolSettingsOf, providerViews, renderedClaimWriters } from './claims';
import { USER_DIRECTORY_DEFAULTS, USER_WRITABLE_STANDARD_ATTRIBUTES } from './defaults';
import { DirectoryProvider } from './directory-provider';
import { userPoolQuotaProblems, validateWebClientLimits } from './limits';
import { MachineClientOptions } from './machine-client';
import { DirectoryAdmission } from './private/admission-trigger';
import {
  CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS, MANAGE_ACCOUNTS_ACTIONS, MANAGE_GROUPS_ACTIONS, MANAGE_USERS_ACTIONS, READ_USERS_ACTIONS,
  signInWarnings, validateGrantActions,
} from './private/grants';
import { constructIdFor } from './private/ids';
import { MachineAccess } from './private/machine-access';
import { resolveSignIn, SignInSettings, validateEmailOtpSender } from './private/sign-in';
import { DirectoryTriggers } from './private/triggers';
import { ResourceServerOptions } from './resource-server';
import { SignInFactor } from './sign-in';
import { TriggerOptions } from './triggers';
import { refreshTokenRotationFor, validateRedirectUrls, WebClientOptions } from './web-client';
import { checkQuota, COGNITO_QUOTAS, RESERVED_DOMAIN_PREFIX_WORDS } from '../private/cognito-quotas';
import { addValidation, invalid } from '../private/errors';

/**
 * A user directory: a Cognito user pool that the identity and access constructs can federate.
 *
 * Implemented by `UserDirectory` and by `UserDirectory.fromUserPool()` for existing pools.
 */
export interface IUserDirectory extends IConstruct {
  /** The Cognito user pool. */
  readonly userPool: cognito.IUserPool;

  /** The user pool id. */
  readonly userPoolId: string;

  /** The user pool ARN. */
  readonly userPoolArn: string;

  /** The provider name identity pools use for this pool (`cognito-idp.<region>.amazonaws.com/<id>`). */
  readonly userPoolProviderName: string;

  /** The names of the groups this directory knows of. */
  readonly groupNames: string[];

  /** The app clients users of this directory sign in through. */
  readonly webClients: cognito.IUserPoolClient[];

  /**
   * Whether the directory has a group of this name.
   */
  hasGroup(groupName: string): boolean;

  /**
   * Whether a user can choose this token claim: write the attribute behind it through any app
   * client of the pool in this app, choose it at sign-up (an attribute, or `cognito:username` when
   * users pick user names), or have an identity provider that is not trusted for it fill it.
   *
   * A claim that users can choose (e.g. `email`, a custom attribute with `userWritable: true`, or
   * one an identity provider maps) must never decide access, e.g. as a principal tag or in a
   * role-mapping rule.
   *
   * @param claim a claim name such as `custom:tenant` or `email`
   */
  isClaimUserWritable(claim: string): boolean;

  /**
   * Every way a user can choose this token claim, each as `<construct path> (<why>)`: the app
   * clients through which they write the attribute behind it or set it at sign-up, the pool when
   * they pick their user name (`cognito:username`), and the identity providers that fill it
   * without being trusted for it (`identities`: every provider). Empty when only administrators,
   * back ends and trusted enterprise providers set it. Every app client and identity provider of
   * the pool in this app is inspected, L1 resources included. An imported pool is read
   * conservatively: sign-up may be on and users may pick their user names.
   *
   * @param claim a claim name such as `custom:tenant` or `email`
   */
  claimWriters(claim: string): string[];

  /**
   * `claimWriters` read from the resources as CloudFormation will receive them (every client
   * resource of the pool in the app, escape hatches included); only valid at synth (validation).
   * @internal
   */
  _claimWritersAtSynth(claim: string): string[];

  /**
   * Makes `role` the IAM role of the group, so that the group's members receive it
   * through the `cognito:preferred_role` and `cognito:roles` claims.
   *
   * @returns false when the directory cannot set it (an imported pool): set it yourself then
   */
  setGroupRole(groupName: string, role: iam.IRole): boolean;

  /**
   * Lets `grantee` read the pool's users, groups and group members. Scoped to this pool's ARN.
   *
   * Actions: AdminGetUser, ListUsers, AdminListGroupsForUser, ListGroups, GetGroup,
   * ListUsersInGroup. Worst case: reads every user's attributes (personal data). Devices and
   * sign-in history are left out (name them with `grant()`).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-manage-user-accounts.html
   */
  grantReadUsers(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` run the account lifecycle: create, confirm, disable, enable and delete users,
   * force a password reset, sign users out, and add users to groups or remove them. Scoped to
   * this pool's ARN.
   *
   * Actions: AdminCreateUser, AdminConfirmSignUp, AdminDisableUser, AdminEnableUser,
   * AdminDeleteUser, AdminResetUserPassword (the code goes to the user's own verified email or
   * phone), AdminUserGlobalSignOut, AdminAddUserToGroup, AdminRemoveUserFromGroup.
   *
   * Worst case: it creates users with any attributes (a verified email it does not own, any
   * `custom:tenant`) and a password it chooses, and puts any user in any group, `admins` and
   * its IAM role included, so it can act as a new member of any tenant or group. An invited user
   * who has not signed in yet can be re-invited with a temporary password it chooses
   * (AdminCreateUser with RESEND). It never signs in as a user who has signed in.
   *
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
   */
  grantManageAccounts(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` change and delete any user's attributes, the ones users sign in with
   * included: THIS CAN SIGN IN AS ANY USER, administrators included. Scoped to this pool's ARN.
   *
   * Actions: AdminUpdateUserAttributes, AdminDeleteUserAttributes. Worst case: it sets `email`
   * with `email_verified` to an address it receives, then signs in with an email code or resets
   * the password, wherever MFA does not stop it (MFA off or optional, a user without an
   * authenticator yet, email MFA). Grant it only to a back end you would trust with every account;
   * `custom:tenant` and other admin-only attributes are written through it.
   *
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
   */
  grantChangeSignInAttributes(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` read users and run their lifecycle: create, read, disable, enable and delete
   * them, force a password reset and sign them out. Scoped to this pool's ARN.
   *
   * It no longer changes attributes (that signs in as any user: `grantChangeSignInAttributes()`).
   *
   * @deprecated use `grantReadUsers()` and `grantManageAccounts()`, and
   * `grantChangeSignInAttributes()` where a back end must change attributes
   */
  grantManageUsers(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` manage group membership: list groups and members, add and remove users.
   * Groups themselves (precedence, IAM role) stay with the stack. Scoped to this pool's ARN.
   *
   * Worst case: puts any user, its own accounts included, in any group, `admins` and its IAM role
   * included.
   */
  grantManageGroups(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` call the given `cognito-idp` actions on this pool only. Actions are named one
   * by one (no wildcards) and must apply to a user pool.
   *
   * Each action that signs in as a user (or a client) or changes how users sign in
   * (`AdminSetUserPassword`, `AdminInitiateAuth`, `AdminUpdateUserAttributes`, `UpdateUserPool`,
   * `UpdateUserPoolClient`, ... README "Admin grants" lists them) adds a warning with the id
   * `cdk-federated-access:grantSignsInAsUser-<action>`.
   *
   * @param actions e.g. `cognito-idp:AdminGetUser`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * A custom domain for the managed login pages.
 */
export interface CustomDomainOptions {
  /** The fully qualified domain name, e.g. `auth.example.com`. */
  readonly domainName: string;
  /** An ACM certificate for the domain, in us-east-1. */
  readonly certificate: acm.ICertificate;
}

/**
 * Properties of a UserDirectory. Every default is the secure choice; see README for the reasons.
 */
export interface UserDirectoryProps {
  /**
   * The name of the user pool.
   *
   * @default - generated by CloudFormation
   */
  readonly userPoolName?: string;

  /**
   * Let visitors sign themselves up; their email is verified before they can sign in.
   *
   * @default false - only administrators create users
   */
  readonly selfSignUp?: boolean;

  /**
   * What users sign in with.
   *
   * Fixed at creation: Cognito cannot change a pool's sign-in options (`UsernameAttributes`,
   * `AliasAttributes`), its username case sensitivity (case-insensitive here), or the attributes
   * it made required (`email` when users sign in with it). Changing this means a new user pool and
   * migrating the users (README "Decide before the first deploy").
   *
   * @default - email, case-insensitive
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html
   */
  readonly signInAliases?: cognito.SignInAliases;

  /**
   * Multi-factor authentication. `Mfa.OFF` adds a warning. Cognito offers one-time codes as a
   * first factor (`SignInFactor.EMAIL_OTP`, `SMS_OTP`) only to users without MFA, so with them
   * choose `Mfa.OPTIONAL` explicitly (required MFA is then an error, and a warning says what
   * optional MFA means). Passkeys that verify the user (`passkeyUserVerification` REQUIRED, the
   * default) satisfy required MFA: the pool then counts a passkey sign-in as MFA
   * (`WebAuthnFactorConfiguration: MULTI_FACTOR_WITH_USER_VERIFICATION`).
   *
   * @default Mfa.REQUIRED
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_WebAuthnConfigurationType.html
   */
  readonly mfa?: cognito.Mfa;

  /**
   * The first factors users may choose from at sign-in (choice-based sign-in). Any passwordless
   * factor adds the `USER_AUTH` flow to the web clients and needs the Essentials or Plus plan.
   *
   * @default - `SignInFactor.PASSWORD` only, and no sign-in policy in the template
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html
   */
  readonly signInFactors?: SignInFactor[];

  /**
   * The domain passkeys are bound to (the WebAuthn relying party id), e.g. `auth.example.com`.
   * With a custom domain it must be that domain, for managed login; with only a prefix domain,
   * use `<prefix>.auth.<region>.amazoncognito.com`, or the domain of an app that signs users in
   * with the SDK. Public suffixes (`com`, `co.uk`, `auth.<region>.amazoncognito.com`) are refused.
   *
   * Required with `SignInFactor.PASSKEY` and never derived from the domain: every registered
   * passkey is bound to this id, so changing it (a new domain prefix, an added custom domain)
   * makes every passkey unusable. Fixed at creation in practice: keep it when the domain changes.
   *
   * @default - none; required when `signInFactors` includes `SignInFactor.PASSKEY`
   */
  readonly passkeyRelyingPartyId?: string;

  /**
   * Whether passkeys must verify the user (biometric or PIN).
   *
   * @default PasskeyUserVerification.REQUIRED
   */
  readonly passkeyUserVerification?: cognito.PasskeyUserVerification;

  /**
   * Second factors users may use.
   *
   * @default - TOTP authenticator apps only
   */
  readonly mfaSecondFactor?: cognito.MfaSecondFactor;

  /**
   * The password policy.
   *
   * @default - at least 12 characters with upper and lower case, a digit and a symbol; temporary passwords last 3 days
   */
  readonly passwordPolicy?: cognito.PasswordPolicy;

  /**
   * The feature plan. Anything but PLUS turns threat protection off and adds a warning.
   *
   * @default FeaturePlan.PLUS with full-function threat protection
   */
  readonly featurePlan?: cognito.FeaturePlan;

  /**
   * Guard the pool against deletion (`DeletionProtection: ACTIVE`).
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the pool when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How the pool sends email. Cognito's own sender is limited to a few emails a day; email
   * one-time codes (`SignInFactor.EMAIL_OTP`) need `UserPoolEmail.withSES()`.
   *
   * @default - Cognito's sender, with a warning that points to `UserPoolEmail.withSES()`
   */
  readonly email?: cognito.UserPoolEmail;

  /**
   * A Cognito domain prefix for the managed login pages (`<prefix>.auth.<region>.amazoncognito.com`).
   *
   * @default - no Cognito domain
   */
  readonly domainPrefix?: string;

  /**
   * A custom domain for the managed login pages.
   *
   * @default - no custom domain
   */
  readonly customDomain?: CustomDomainOptions;
}

/**
 * Options of a custom attribute.
 */
export interface CustomAttributeOptions {
  /**
   * Whether the value can change after the user is created.
   *
   * Fixed at creation: Cognito cannot change a custom attribute once the pool has it.
   *
   * @default true
   */
  readonly mutable?: boolean;

  /**
   * Whether users may write it about themselves through the directory's web clients.
   * Leave it false for anything that decides access (a tenant, a plan, a role).
   *
   * @default false - only administrators (and back-end code) write it
   */
  readonly userWritable?: boolean;

  /**
   * Minimum length of the string value.
   *
   * Fixed at creation: Cognito cannot change a custom attribute once the pool has it.
   *
   * @default 1
   */
  readonly minLength?: number;

  /**
   * Maximum length of the string value (at most 2048).
   *
   * Fixed at creation: Cognito cannot change a custom attribute once the pool has it.
   *
   * @default 256
   */
  readonly maxLength?: number;
}

/**
 * Options of a user pool group.
 */
export interface GroupOptions {
  /**
   * Which group's role wins when a user is in several (lower wins; 0 is highest).
   *
   * @default - no precedence
   */
  readonly precedence?: number;

  /**
   * A description of the group.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * Options for importing an existing user pool as a directory.
 */
export interface ImportedUserDirectoryOptions {
  /**
   * Groups of the pool that identity pools may give roles to.
   *
   * @default - none
   */
  readonly groupNames?: string[];

  /**
   * Attributes that users can write about themselves through the pool's clients, or that an
   * identity provider of the pool fills from its users' profiles, as claim names (`email`,
   * `custom:nickname`).
   *
   * @default - every standard attribute but the verification flags, and no custom attribute
   */
  readonly userWritableAttributes?: string[];

  /**
   * The pool's app clients.
   *
   * @default - none
   */
  readonly webClients?: cognito.IUserPoolClient[];
}

interface GroupEntry {
  readonly resource: cognito.CfnUserPoolGroup;
}

interface CustomAttributeEntry {
  readonly name: string;
  readonly userWritable: boolean;
  readonly schema: cognito.CfnUserPool.SchemaAttributeProperty;
}

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const CUSTOM_ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,20}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

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

  public hasGroup(groupName: string): boolean {
    return this.groupNames.includes(groupName);
  }

  public isClaimUserWritable(claim: string): boolean {
    return this.claimWriters(claim).length > 0;
  }

  public abstract claimWriters(claim: string): string[];

  /** @internal */
  public _claimWritersAtSynth(claim: string): string[] {
    return renderedClaimWriters(this, this.userPool, claim, (name) => this._trustedAttributesOf(name)).map(w => `${w.client} (${w.reason})`);
  }

  /**
   * The attributes an enterprise provider of this directory is trusted for (`trustedAttributes`).
   * @internal
   */
  public _trustedAttributesOf(_providerName: string): string[] {
    return [];
  }
  public abstract setGroupRole(groupName: string, role: iam.IRole): boolean;

  public grantReadUsers(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, READ_USERS_ACTIONS);
  }

  public grantManageAccounts(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_ACCOUNTS_ACTIONS);
  }

  public grantChangeSignInAttributes(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS);
  }

  public grantManageUsers(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_USERS_ACTIONS);
  }

  public grantManageGroups(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, MANAGE_GROUPS_ACTIONS);
  }

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

      public claimWriters(claim: string): string[] {
        const declared = writable.has(claim) ? [`${this.node.path} (\`userWritableAttributes\` of the imported pool lists \`${claim}\`)`] : [];
        // A pool from outside the app is read conservatively: sign-up may be on, users may pick
        // user names, and it may have identity providers the app does not show.
        const found = claimWritersOf({
          path: this.node.path,
          ...poolSettingsOf(userPool),
          clients: clientViews(this, userPool),
          providers: providerViews(this, userPool, () => []),
        }, claim).map(w => `${w.client} (${w.reason})`);
        return [...declared, ...found];
      }

      /** @internal */
      public _claimWritersAtSynth(claim: string): string[] {
        const declared = writable.has(claim) ? [`${this.node.path} (\`userWritableAttributes\` of the imported pool lists \`${claim}\`)`] : [];
        return [...declared, ...super._claimWritersAtSynth(claim)];
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

  /** The first factors users may choose from at sign-in. */
  public readonly signInFactors: SignInFactor[];

  /** The pool's MFA setting. */
  public readonly mfa: cognito.Mfa;

  /** The pool's feature plan. */
  public readonly featurePlan: cognito.FeaturePlan;

  /** The passkey relying party id, when passkeys are on. */
  public readonly passkeyRelyingPartyId?: string;

  private readonly pool: cognito.UserPool;
  private readonly selfSignUp: boolean;
  private readonly groups = new Map<string, GroupEntry>();
  private readonly customAttributes = new Map<string, CustomAttributeEntry>();
  /** The standard attributes aws-cdk-lib puts in the pool's schema (email when it is required); they count towards its 50 entries. */
  private readonly standardSchemaAttributes: string[];
  private readonly providers: cognito.IUserPoolIdentityProvider[] = [];
  private readonly providerNames: string[] = [];
  private readonly clients: cognito.UserPoolClient[] = [];
  private readonly oauthClients = new Set<cognito.UserPoolClient>();
  private readonly mappedAttributes = new Map<string, string[]>();
  private readonly trustedAttributes = new Map<string, string[]>();
  private readonly usernamesChosen: boolean;
  private readonly signIn: SignInSettings;
  private readonly triggers: DirectoryTriggers;
  private readonly admission: DirectoryAdmission;
  private readonly machineAccess: MachineAccess;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    const d = USER_DIRECTORY_DEFAULTS;

    const signInAliases = props.signInAliases ?? d.signInAliases;
    if (!signInAliases.email && !signInAliases.phone && !signInAliases.preferredUsername && !signInAliases.username) {
      invalid('signInAliases', signInAliases, 'at least one sign-in alias must be on', 'Keep the default `{ email: true }`, or turn on `phone` or `preferredUsername`.');
    }
    validateDomain(props);

    const featurePlan = props.featurePlan ?? d.featurePlan;
    const signIn = resolveSignIn(this, { ...props, featurePlan, customDomainName: props.customDomain?.domainName });
    const mfa = signIn.mfa;
    const selfSignUp = props.selfSignUp ?? d.selfSignUp;
    this.selfSignUp = selfSignUp;
    // With email or phone as the user name (no `username` alias), Cognito generates user names.
    this.usernamesChosen = signInAliases.username === true;

    const pool = new cognito.UserPool(this, 'Resource', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: selfSignUp,
      userVerification: selfSignUp ? { emailStyle: cognito.VerificationEmailStyle.CODE } : undefined,
      signInAliases,
      signInCaseSensitive: d.signInCaseSensitive,
      autoVerify: { email: signInAliases.email ?? false, phone: signInAliases.phone ?? false },
      keepOriginal: signInAliases.email ? d.keepOriginal : undefined,
      standardAttributes: signInAliases.email ? { email: { required: true, mutable: true } } : undefined,
      passwordPolicy: props.passwordPolicy ?? d.passwordPolicy,
      mfa,
      mfaSecondFactor: mfa === cognito.Mfa.OFF ? undefined : props.mfaSecondFactor ?? d.mfaSecondFactor,
      featurePlan,
      standardThreatProtectionMode: featurePlan === cognito.FeaturePlan.PLUS ? d.standardThreatProtectionMode : undefined,
      accountRecovery: d.accountRecovery,
      deletionProtection: props.deletionProtection ?? d.deletionProtection,
      removalPolicy: props.removalPolicy ?? d.removalPolicy,
      email: props.email,
      signInPolicy: signIn.signInPolicy,
      passkeyRelyingPartyId: signIn.passkeyRelyingPartyId,
      passkeyUserVerification: signIn.passkeyUserVerification,
      enableSmsRole: signIn.enableSmsRole,
    });
    this.userPool = pool;
    this.pool = pool;
    this.signIn = signIn;
    this.signInFactors = signIn.factors;
    this.mfa = mfa;
    this.featurePlan = featurePlan;
    this.passkeyRelyingPartyId = signIn.passkeyRelyingPartyId;
    validateEmailOtpSender(signIn, pool.node.defaultChild as cognito.CfnUserPool);
    // aws-cdk-lib's UserPool has no prop for it yet: passkeys with user verification count as MFA.
    (pool.node.defaultChild as cognito.CfnUserPool).webAuthnFactorConfiguration = signIn.passkeyFactorConfiguration;
    this.triggers = new DirectoryTriggers(pool, featurePlan);
    this.admission = new DirectoryAdmission(this, this.triggers, { selfSignUp, removalPolicy: props.removalPolicy ?? d.removalPolicy });
    this.machineAccess = new MachineAccess(pool);

    // Custom attributes can be added after construction, so the schema is computed at synth.
    const cfnPool = pool.node.defaultChild as cognito.CfnUserPool;
    const baseSchema = cfnPool.schema;
    const standard = Array.isArray(baseSchema) ? baseSchema : [];
    this.standardSchemaAttributes = standard.map((a) => String((a as cognito.CfnUserPool.SchemaAttributeProperty).name));
    cfnPool.schema = Lazy.any({
      produce: () => {
        const base = Array.isArray(baseSchema) ? baseSchema : [];
        const custom = [...this.customAttributes.values()].map((a) => a.schema);
        return base.length + custom.length === 0 ? undefined : [...base, ...custom];
      },
    });

    if (props.domainPrefix !== undefined) {
      this.domain = pool.addDomain('Domain', {
        cognitoDomain: { domainPrefix: props.domainPrefix },
        managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
    } else if (props.customDomain !== undefined) {
      this.domain = pool.addDomain('Domain', {
        customDomain: props.customDomain,
        managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
    }

    if (mfa === cognito.Mfa.OFF) {
      Annotations.of(this).addWarningV2('cdk-federated-access:mfaOff',
        'MFA is off: a stolen password is enough to sign in. Use Mfa.REQUIRED (the default) or Mfa.OPTIONAL.');
    }
    if (featurePlan !== cognito.FeaturePlan.PLUS) {
      Annotations.of(this).addWarningV2('cdk-federated-access:noThreatProtection',
        `Feature plan ${featurePlan} has no threat protection (compromised credentials, adaptive authentication). Use FeaturePlan.PLUS (the default).`);
    }
    if (props.email === undefined) {
      Annotations.of(this).addWarningV2('cdk-federated-access:cognitoEmail',
        'The user pool sends email with Cognito\'s own sender, which is limited to a few messages a day. Set `email: UserPoolEmail.withSES(...)` for production.');
    }

    addValidation(this, () => this.validateFederation());
    addValidation(this, () => this.admission.validate());
    addValidation(this, () => userPoolQuotaProblems(this));
    addValidation(this, () => this.machineAccess.validate(this.domain !== undefined));
    addValidation(this, () => this.machineAccess.warnSharedScopes(this, selfSignUp));
  }

  /** The names of the groups added with `addGroup`. */
  public get groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** The web clients added with `addWebClient`. */
  public get webClients(): cognito.IUserPoolClient[] {
    return [...this.clients];
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
    return [...this.providerNames];
  }

  /**
   * Adds a group. Its role is set by `FederatedIdentityPool.roleForGroup()`.
   *
   * @param groupName 1-128 characters without spaces; unique in the directory
   */
  public addGroup(groupName: string, options: GroupOptions = {}): cognito.CfnUserPoolGroup {
    if (Token.isUnresolved(groupName)) {
      invalid('groupName', groupName, 'group names must be known at synth, they name roles and construct ids', 'Pass a literal string.');
    }
    if (!GROUP_NAME.test(groupName)) {
      invalid('groupName', groupName, 'a group name is 1-128 characters without whitespace', 'Use a name such as `admins` or `editors`.');
    }
    if (this.groups.has(groupName)) {
      invalid('groupName', groupName, 'the directory already has this group', 'Add each group once; keep the value addGroup() returned.');
    }
    const precedence = options.precedence;
    if (precedence !== undefined && !Token.isUnresolved(precedence)
      && (!Number.isInteger(precedence) || precedence < 0 || precedence > 2147483647)) {
      invalid('precedence', precedence, 'must be a whole number from 0 to 2147483647', 'Use 0 for the group whose role wins over all others.');
    }
    const resource = new cognito.CfnUserPoolGroup(this, `Group${constructIdFor(groupName)}`, {
      userPoolId: this.userPool.userPoolId,
      groupName,
      precedence,
      description: options.description,
    });
    this.groups.set(groupName, { resource });
    return resource;
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
   */
  public addCustomAttribute(name: string, options: CustomAttributeOptions = {}): void {
    if (!CUSTOM_ATTRIBUTE_NAME.test(name)) {
      invalid('name', name, 'a custom attribute name is 1-20 letters, digits, `_` or `-`, without the `custom:` prefix', 'Use a name such as `tenant`.');
    }
    if (this.customAttributes.has(name)) {
      invalid('name', name, 'the directory already has this custom attribute', 'Add each attribute once.');
    }
    checkQuota(COGNITO_QUOTAS.customAttributesPerUserPool, this.customAttributes.size + 1, 'name', `custom attribute \`${name}\``,
      'Store the rest elsewhere (e.g. a DynamoDB table keyed by the user).');
    checkQuota(COGNITO_QUOTAS.schemaAttributesPerUserPool, this.standardSchemaAttributes.length + this.customAttributes.size + 1, 'name',
      `custom attribute \`${name}\` (the schema holds ${this.standardSchemaAttributes.join(', ')} and the custom attributes)`,
      'Store the rest elsewhere (e.g. a DynamoDB table keyed by the user).');
    const minLength = options.minLength ?? 1;
    const maxLength = options.maxLength ?? USER_DIRECTORY_DEFAULTS.customAttributeMaxLength;
    if (!Number.isInteger(minLength) || minLength < 0 || !Number.isInteger(maxLength) || maxLength < 1 || maxLength > 2048 || minLength > maxLength) {
      invalid('maxLength', { minLength, maxLength }, 'lengths must be whole numbers with 0 <= minLength <= maxLength <= 2048', 'Fix `minLength` and `maxLength`.');
    }
    this.customAttributes.set(name, {
      name,
      userWritable: options.userWritable ?? false,
      schema: {
        name,
        attributeDataType: 'String',
        mutable: options.mutable ?? true,
        stringAttributeConstraints: { minLength: String(minLength), maxLength: String(maxLength) },
      },
    });
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
   */
  public addIdentityProvider(provider: DirectoryProvider): cognito.IUserPoolIdentityProvider {
    if (this.providerNames.includes(provider.providerName)) {
      invalid('provider', provider.providerName, 'the directory already has a provider of this name', 'Add each provider once; give OIDC and SAML providers distinct names.');
    }
    this.admission.add(provider);
    const id = `Provider${constructIdFor(provider.providerName)}`;
    const resource = provider._create(this, id, this.userPool);
    this.providers.push(resource);
    this.providerNames.push(provider.providerName);
    this.mappedAttributes.set(provider.providerName, provider._mappedAttributes);
    this.trustedAttributes.set(provider.providerName, provider._trustedAttributes);
    return resource;
  }

  /**
   * Adds a public app client for a web or mobile app: no secret, SRP sign-in, the
   * authorization-code grant only (never implicit), user existence errors hidden,
   * token revocation on, and explicit token lifetimes.
   */
  public addWebClient(id: string, options: WebClientOptions = {}): cognito.UserPoolClient {
    validateRedirectUrls('callbackUrls', options.callbackUrls);
    validateRedirectUrls('logoutUrls', options.logoutUrls);
    validateWebClientLimits(options);
    if (options.scopes !== undefined && options.scopes.length === 0) {
      invalid('scopes', options.scopes, 'must not be empty', 'Leave `scopes` out for openid, email and profile.');
    }
    if (this.userPool.node.tryFindChild(id) !== undefined || this.node.tryFindChild(`${id}Branding`) !== undefined) {
      invalid('id', id, 'the directory already has a child with this id', 'Give each web client its own id.');
    }
    const d = USER_DIRECTORY_DEFAULTS;
    const oauth = options.callbackUrls !== undefined;
    const client = this.pool.addClient(id, {
      generateSecret: false,
      // Choice-based sign-in (passkeys, one-time codes) runs in the USER_AUTH flow.
      authFlows: { userSrp: true, user: this.signIn.passwordless ? true : undefined },
      refreshTokenRotationGracePeriod: refreshTokenRotationFor(options, this.featurePlan),
      disableOAuth: !oauth,
      oAuth: oauth ? {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        callbackUrls: options.callbackUrls,
        logoutUrls: options.logoutUrls ?? options.callbackUrls,
        scopes: options.scopes ?? [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      } : undefined,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? d.accessTokenValidity,
      idTokenValidity: options.idTokenValidity ?? d.idTokenValidity,
      refreshTokenValidity: options.refreshTokenValidity ?? d.refreshTokenValidity,
    });

    // Providers and custom attributes may be added after the client: compute both at synth.
    const cfnClient = client.node.defaultChild as cognito.CfnUserPoolClient;
    if (oauth) {
      cfnClient.supportedIdentityProviders = Lazy.list({
        produce: () => ['COGNITO', ...this.providers.map((p) => p.providerName)],
      });
      this.oauthClients.add(client);
    } else {
      cfnClient.supportedIdentityProviders = ['COGNITO'];
    }
    cfnClient.writeAttributes = Lazy.list({ produce: () => this.writableAttributes() });
    // No DependsOn on the providers: SupportedIdentityProviders refers to each (Ref), which orders them.
    if (this.domain !== undefined) {
      // Managed login (version 2) shows nothing for a client without a branding style.
      new cognito.CfnManagedLoginBranding(this, `${id}Branding`, {
        userPoolId: this.userPool.userPoolId,
        clientId: client.userPoolClientId,
        useCognitoProvidedValues: true,
      }).node.addDependency(this.domain);
    }
    this.clients.push(client);
    return client;
  }

  /**
   * Adds a Lambda trigger (pre sign-up, pre token generation, custom senders...). The function may
   * be invoked by Cognito for this pool only.
   *
   * @param options the event version (pre token generation V2_0 / V3_0) and the KMS key of custom senders
   */
  public addTrigger(operation: cognito.UserPoolOperation, fn: lambda.IFunction, options: TriggerOptions = {}): void {
    this.admission.checkUserTrigger(operation);
    this.triggers.add(operation, fn, options);
  }

  /**
   * Adds an OAuth 2.0 resource server with custom scopes, for machine clients and access tokens.
   *
   * @param identifier the prefix of the server's scopes, e.g. `notes-api` or `https://api.example.com`
   */
  public addResourceServer(identifier: string, options: ResourceServerOptions): cognito.UserPoolResourceServer {
    return this.machineAccess.addResourceServer(identifier, options);
  }

  /**
   * Adds a machine-to-machine app client: the client-credentials grant with a generated secret,
   * custom scopes only (checked against the resource servers at synth), an explicit access-token
   * lifetime, and no user sign-in flow or attribute access. Needs a domain (the token endpoint).
   */
  public addMachineClient(id: string, options: MachineClientOptions): cognito.UserPoolClient {
    return this.machineAccess.addMachineClient(id, options);
  }

  public claimWriters(claim: string): string[] {
    const own = new Map(this.clients.map(c => [c.node.defaultChild as cognito.CfnUserPoolClient, c]));
    const known = (client: cognito.CfnUserPoolClient) => (own.has(client) ? this.writableAttributes() : undefined);
    return claimWritersOf({
      path: this.node.path,
      selfSignUp: this.selfSignUp,
      usernamesChosen: this.usernamesChosen,
      providersUnknown: false,
      clients: clientViews(this, this.userPool, known),
      providers: providerViews(this, this.userPool, (name) => this._trustedAttributesOf(name)),
      immutable: (attribute) => attribute.startsWith('custom:')
        && this.customAttributes.get(attribute.slice('custom:'.length))?.schema.mutable === false,
    }, claim).map(w => `${w.client} (${w.reason})`);
  }

  /** @internal */
  public _trustedAttributesOf(providerName: string): string[] {
    return [...(this.trustedAttributes.get(providerName) ?? [])];
  }

  public setGroupRole(groupName: string, role: iam.IRole): boolean {
    const group = this.groups.get(groupName);
    if (group === undefined) {
      invalid('groupName', groupName, 'the directory has no such group', `Call addGroup('${groupName}') first. Known groups: ${this.groupNames.join(', ') || 'none'}.`);
    }
    group.resource.roleArn = role.roleArn;
    return true;
  }

  private writableAttributes(): string[] {
    const custom = [...this.customAttributes.values()].filter((a) => a.userWritable).map((a) => `custom:${a.name}`);
    return [...USER_WRITABLE_STANDARD_ATTRIBUTES, ...custom];
  }

  private validateFederation(): string[] {
    const errors: string[] = [];
    if (this.providers.length > 0 && this.domain === undefined) {
      errors.push(`\`domainPrefix\`: sign-in with ${this.identityProviderNames.join(', ')} needs the managed login pages (received no domain). Set \`domainPrefix\` or \`customDomain\`.`);
    }
    if (this.providers.length > 0 && this.clients.length > 0 && this.oauthClients.size === 0) {
      errors.push(`\`callbackUrls\`: no web client can use ${this.identityProviderNames.join(', ')} (received clients without callback URLs). Give \`callbackUrls\` to addWebClient().`);
    }
    const writable = new Set(this.writableAttributes());
    for (const [providerName, attributes] of this.mappedAttributes) {
      for (const attribute of attributes.filter((a) => !writable.has(a))) {
        errors.push(`\`attributeMapping\`: provider ${providerName} maps \`${attribute}\`, which the web clients cannot write, so federated sign-in would fail (received ${JSON.stringify(attribute)}). Map it only if users may write it (custom attributes: \`userWritable: true\`), or drop the mapping.`);
      }
    }
    return errors;
  }
}

function validateDomain(props: UserDirectoryProps): void {
  if (props.domainPrefix !== undefined && props.customDomain !== undefined) {
    invalid('domainPrefix', props.domainPrefix, '`domainPrefix` and `customDomain` cannot both be set', 'Choose one domain for the managed login pages.');
  }
  const prefix = props.domainPrefix;
  if (prefix === undefined || Token.isUnresolved(prefix)) {
    return;
  }
  if (!DOMAIN_PREFIX.test(prefix)) {
    invalid('domainPrefix', prefix, 'a domain prefix is 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen', 'Use a prefix such as `notes-app-auth`.');
  }
  if (RESERVED_DOMAIN_PREFIX_WORDS.some((word) => prefix.includes(word))) {
    invalid('domainPrefix', prefix, 'Cognito reserves prefixes containing `aws`, `amazon` or `cognito`', 'Pick a prefix without those words.');
  }
}
