import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UserDirectory } from '../src';

// cdk-nag 3 cannot run as a synth plugin on aws-cdk-lib 2.257: run the pack directly.
function findings(app: App) {
  return new AwsSolutionsChecks(app).validateScope(app).violations;
}

describe('cdk-nag AwsSolutions', () => {
  test('a default UserDirectory with a web client has no findings and no acknowledgements', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // WHEN
    const violations = findings(app);

    // THEN
    expect(violations).toEqual([]);
  });

  test('the checks can fail: a relaxed directory is reported', () => {
    // GIVEN a directory without MFA and threat protection (a positive control for the test above)
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new UserDirectory(stack, 'Users', {
      mfa: cognito.Mfa.OFF,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
    });

    // WHEN
    const rules = findings(app).map((v) => v.ruleName);

    // THEN
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/COG2/), expect.stringMatching(/COG8/)]));
  });
});
