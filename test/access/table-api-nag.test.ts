import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Access, Audience, ScopedApiAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

function scenario(options: { pitr: boolean }) {
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });

  // The notes table as DESIGN.md's notes app creates it.
  const table = new dynamodb.Table(stack, 'NotesTable', {
    partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: options.pitr },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
  notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  notes.allowItems(Audience.group('admins'), Access.READ);

  // A REST API with IAM authorization, access logs and request validation.
  const accessLogs = new logs.LogGroup(stack, 'ApiLogs', { retention: logs.RetentionDays.ONE_YEAR });
  const rest = new apigateway.RestApi(stack, 'Rest', {
    cloudWatchRole: false,
    defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    deployOptions: {
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
    },
  });
  const validator = rest.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
  const method = rest.root.addResource('notes').addMethod('GET', new apigateway.MockIntegration(), { requestValidator: validator });
  const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
  api.allow('/notes/*', Audience.authenticated(), 'GET', 'POST', 'PUT', 'DELETE');
  api.allow('/admin/*', Audience.group('admins'), '*');
  return { app, stack, rest, pool, method };
}

function findings(app: App): string[] {
  return new AwsSolutionsChecks(app).validateScope(app).violations
    .map((v: any) => `${v.ruleName ?? v.ruleId} ${JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations) ?? v)}`);
}

describe('cdk-nag AwsSolutions for tables and APIs', () => {
  test('the notes table and REST API scenario has no unacknowledged findings', () => {
    // GIVEN
    const { app, rest, method } = scenario({ pitr: true });
    // Granular acknowledgements of the example API, none on the access constructs or their policies.
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The method uses IAM authorization: callers sign with identity pool credentials, and ScopedApiAccess decides who may invoke it.',
    });
    Validations.of(rest.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'A WAF web ACL is deployment-specific; this test API only carries the IAM-authorized routes under test.',
    });

    // WHEN
    const violations = findings(app);

    // THEN
    expect(violations).toEqual([]);
  });

  test('the checks can fail: a table without point-in-time recovery and unacknowledged API findings are reported', () => {
    // GIVEN (a positive control for the test above)
    const { app } = scenario({ pitr: false });

    // WHEN
    const rules = findings(app).map(f => f.split(' ')[0]);

    // THEN
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-DDB3', 'AwsSolutions-COG4', 'AwsSolutions-APIG3']));
  });
});
