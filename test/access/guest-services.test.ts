import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { attachedPolicies } from './attached';
import { Access, Audience, FederatedIdentityPool, IdentitySource, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess, UserDirectory } from '../../src';
import { GUEST_SERVICES } from '../../src/access/private/guest-services';
import { ValidationErrors } from '../../src/private/errors';

/*
 * Cognito's enhanced flow scopes guest credentials down to a fixed list of services (developer
 * guide "IAM roles", access policies; AmazonCognitoUnAuthedIdentitiesSessionPolicy): a guest rule
 * for a service outside it can never work and is refused at synth, even with guest access on.
 */
function setup() {
  const stack = new Stack(new App(), 'Stack');
  const users = new UserDirectory(stack, 'Users');
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)], guestAccess: true });
  return { stack, pool };
}

describe('guest rules and Cognito\'s guest service list', () => {
  test('the list names S3 and DynamoDB, not API Gateway', () => {
    expect(GUEST_SERVICES.s3).toBeDefined();
    expect(GUEST_SERVICES.dynamodb).toBeDefined();
    expect(GUEST_SERVICES['execute-api']).toBeUndefined();
  });

  test('fails for a guest API rule on a pool with guest access, naming the service and the fix', () => {
    // GIVEN
    const { stack, pool } = setup();
    const rest = new apigateway.RestApi(stack, 'Rest', { defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM } });
    rest.root.addResource('public').addMethod('GET', new apigateway.MockIntegration());
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });

    // WHEN
    let error: unknown;
    try {
      api.allow('/public/*', Audience.guest(), 'GET');
    } catch (e) {
      error = e;
    }

    // THEN
    expect(ValidationErrors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^`audience`: A guest rule on `\/public\/\*` can never work: Cognito's enhanced flow scopes guest \(unauthenticated\) credentials down to a fixed list of services, and API Gateway \(`execute-api:\*`\) is not on it \(received "guest"\)\. Use `Audience\.authenticated\(\)`/);
    // and no policy grants anything on the API
    const t = Template.fromStack(stack);
    expect(JSON.stringify([t.findResources('AWS::IAM::ManagedPolicy'), t.findResources('AWS::IAM::Policy')])).not.toContain('execute-api');
  });

  test('guest rules on S3 and DynamoDB are accepted', () => {
    const { stack, pool } = setup();
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool }).allow('public/*', Audience.guest(), Access.READ);
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new ScopedTableAccess(stack, 'Catalog', { identityPool: pool, table }).allowItems(Audience.guest(), Access.GET);
    const t = Template.fromStack(stack);
    // every policy attached to the guest role: managed, AWS::IAM::Policy, or inline in the role
    const guestPolicies = attachedPolicies(t).filter(p => JSON.stringify(p.Roles).includes('GuestRole'));
    expect(JSON.stringify(guestPolicies)).toContain('s3:GetObject');
    expect(JSON.stringify(guestPolicies)).toContain('dynamodb:GetItem');
  });
});
