import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { expectInvalid, newStack, synthErrors } from './helpers';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src';
import { GoogleProviderOptions } from '../../src/user-directory/directory-provider';

const secret = SecretValue.secretsManager('provider-secret');

function google(signUp?: FederatedSignUp, extra: Partial<GoogleProviderOptions> = {}): DirectoryProvider {
  return DirectoryProvider.google({ clientId: 'google-client', clientSecret: secret, signUp, ...extra });
}

const SOCIAL: Array<[string, (signUp?: FederatedSignUp) => DirectoryProvider]> = [
  ['Google', (signUp) => google(signUp)],
  ['Facebook', (signUp) => DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret, signUp })],
  ['SignInWithApple', (signUp) => DirectoryProvider.apple({ servicesId: 'com.example', teamId: 'TEAM', keyId: 'KEY', privateKey: secret, signUp })],
  ['LoginWithAmazon', (signUp) => DirectoryProvider.amazon({ clientId: 'amzn', clientSecret: secret, signUp })],
];

function userFn(stack: Stack, id = 'MyPreSignUp'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
  });
}

function invitedDirectory(stack: Stack = newStack()): UserDirectory {
  const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
  users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  return users;
}

/** The library's admission functions in the template. */
function admissionFunctions(template: Template) {
  return template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Pre sign-up trigger') } });
}

describe('who may sign up through a social provider on an invite-only directory', () => {
  test.each(SOCIAL)('fails when %s has no sign-up rule, and says why and how to fix it', (name, provider) => {
    // GIVEN an invite-only directory (the default)
    const users = invitedDirectory();

    // WHEN the provider is added without `signUp` THEN it is refused
    const error = expectInvalid(() => users.addIdentityProvider(provider()), {
      property: 'signUp',
      received: 'undefined',
      fix: `State who may sign up through ${name}`,
    });
    expect(error.message).toContain('invite-only');
    expect(error.message).toContain('authenticated role');
    expect(error.message).toContain('FederatedSignUp.emailDomains');
    expect(error.message).toContain('FederatedSignUp.anyone()');
    expect(users.identityProviderNames).toEqual([]);
  });

  test.each(SOCIAL)('%s with FederatedSignUp.anyone() is the stated choice: no trigger, as Cognito behaves alone', (_name, provider) => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);

    // WHEN
    users.addIdentityProvider(provider(FederatedSignUp.anyone()));

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: Match.absent() });
    expect(users.signUpAdmissionFunction).toBeUndefined();
    expect(synthErrors(stack)).toBe('');
  });

  test.each(SOCIAL)('%s with an email-domain rule gets the admission trigger on the pool', (name, provider) => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);

    // WHEN
    users.addIdentityProvider(provider(FederatedSignUp.emailDomains('example.com')));

    // THEN the pool's pre sign-up trigger is the library's function, which knows the provider's rule
    const template = Template.fromStack(stack);
    const functions = admissionFunctions(template);
    expect(Object.keys(functions)).toHaveLength(1);
    const [logicalId, fn] = Object.entries(functions)[0];
    template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: { PreSignUp: { 'Fn::GetAtt': [logicalId, 'Arn'] } } });
    expect(fn.Properties.Code.ZipFile).toContain(`{"name":"${name}","rule":{"kind":"emailDomains","values":["example.com"]}}`);
    expect(users.triggerOperations).toEqual(['preSignUp']);
    expect(synthErrors(stack)).toBe('');
  });

  test('a social provider on a self sign-up directory admits anyone by default (anyone can sign up there already)', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { selfSignUp: true, domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // WHEN
    users.addIdentityProvider(google());

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
    expect(synthErrors(stack)).toBe('');
  });

  test('enterprise providers (OIDC, SAML) admit their own users by default, on an invite-only directory too', () => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);

    // WHEN
    users.addIdentityProvider(DirectoryProvider.oidc({ name: 'Okta', clientId: 'okta', clientSecret: secret, issuerUrl: 'https://example.okta.com' }));
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataDocument: '<EntityDescriptor/>' }));

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
    expect(synthErrors(stack)).toBe('');
  });

  test('enterprise providers take the same rules', () => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);

    // WHEN
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataDocument: '<EntityDescriptor/>', signUp: FederatedSignUp.emails('alice@example.com') }));
    users.addIdentityProvider(DirectoryProvider.oidc({
      name: 'Okta', clientId: 'okta', clientSecret: secret, issuerUrl: 'https://example.okta.com', signUp: FederatedSignUp.emailDomains('example.com'),
    }));

    // THEN one trigger carries both rules
    const functions = admissionFunctions(Template.fromStack(stack));
    expect(Object.keys(functions)).toHaveLength(1);
    const code: string = Object.values(functions)[0].Properties.Code.ZipFile;
    expect(code).toContain('{"name":"Corp","rule":{"kind":"emails","values":["alice@example.com"]}}');
    expect(code).toContain('{"name":"Okta","rule":{"kind":"emailDomains","values":["example.com"]}}');
  });

  test('the trigger knows every provider, including those added before and after the rule, with their defaults', () => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);

    // WHEN
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataDocument: '<EntityDescriptor/>' }));
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('Example.COM', 'example.org')));
    users.addIdentityProvider(DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret, signUp: FederatedSignUp.anyone() }));

    // THEN
    const code: string = Object.values(admissionFunctions(Template.fromStack(stack)))[0].Properties.Code.ZipFile;
    expect(code).toContain('const CONFIG = {"providers":['
      + '{"name":"Corp","rule":{"kind":"anyone","values":[]}},'
      + '{"name":"Google","rule":{"kind":"emailDomains","values":["example.com","example.org"]}},'
      + '{"name":"Facebook","rule":{"kind":"anyone","values":[]}}]};');
  });
});

describe('the admission trigger', () => {
  function withRule(): { stack: Stack; template: Template } {
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com')));
    return { stack, template: Template.fromStack(stack) };
  }

  test('is a plain Lambda trigger with inline code on a current Node.js runtime, not a custom resource', () => {
    const { template } = withRule();
    const [fn] = Object.values(admissionFunctions(template));
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(typeof fn.Properties.Code.ZipFile).toBe('string');
    expect(fn.Properties.Environment).toBeUndefined();
    expect(fn.Properties.Timeout).toBe(5);
    expect(Object.keys(template.findResources('AWS::CloudFormation::CustomResource'))).toEqual([]);
    expect(Object.keys(template.findResources('Custom::AWS'))).toEqual([]);
  });

  test('may be invoked by Cognito for this pool only', () => {
    const { template } = withRule();
    const [logicalId] = Object.keys(admissionFunctions(template));
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] },
      FunctionName: { 'Fn::GetAtt': [logicalId, 'Arn'] },
    });
  });

  test('has a role of its own that writes its own log group and nothing else', () => {
    const { template } = withRule();
    const [fn] = Object.values(admissionFunctions(template));
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))).toEqual([]);
    expect(Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(roleId))).toEqual([]);
    const policies = role.Properties.Policies;
    expect(policies).toHaveLength(1);
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(policies[0].PolicyDocument.Statement).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    }]);
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(fn.DependsOn).toBeUndefined(); // the Role's GetAtt orders it (cfn-lint W3005)
  });

  test('its log group follows the directory: retained by default, deleted with a directory that is', () => {
    const { template } = withRule();
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });

    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth', removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    users.addIdentityProvider(google(FederatedSignUp.emails('alice@example.com')));
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('one trigger serves every rule', () => {
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com')));
    users.addIdentityProvider(DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret, signUp: FederatedSignUp.emails('bob@example.org') }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });
});

describe('one pre sign-up trigger per pool', () => {
  test('fails when the user adds a pre sign-up trigger while a rule needs the directory\'s own', () => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com')));

    // WHEN / THEN
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, userFn(stack)), {
      property: 'operation',
      received: '"preSignUp"',
      fix: 'FederatedSignUp.preSignUpTrigger()',
    });
  });

  test('fails when a rule needs the directory\'s trigger and the user already added one', () => {
    // GIVEN
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, userFn(stack));

    // WHEN / THEN
    expectInvalid(() => users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com'))), {
      property: 'signUp',
      received: 'email addresses at example.com',
      fix: 'FederatedSignUp.preSignUpTrigger()',
    });
  });

  test('safe: the user\'s own trigger decides with FederatedSignUp.preSignUpTrigger(), in either order', () => {
    for (const triggerFirst of [true, false]) {
      // GIVEN
      const stack = newStack();
      const users = invitedDirectory(stack);
      const fn = userFn(stack);

      // WHEN
      if (triggerFirst) {
        users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn);
      }
      users.addIdentityProvider(google(FederatedSignUp.preSignUpTrigger()));
      if (!triggerFirst) {
        users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn);
      }

      // THEN the pool's trigger is the user's function and the directory adds none
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: { PreSignUp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyPreSignUp'), 'Arn'] } },
      });
      expect(synthErrors(stack)).toBe('');
    }
  });

  test('safe: a pre sign-up trigger added to the aws-cdk-lib pool directly counts as the user\'s own', () => {
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.preSignUpTrigger()));
    (users.userPool as cognito.UserPool).addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, userFn(stack));
    expect(synthErrors(stack)).toBe('');
  });

  test('fails at synth when preSignUpTrigger() is stated and the pool has no pre sign-up trigger', () => {
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.preSignUpTrigger()));
    const errors = synthErrors(stack);
    expect(errors).toContain('`signUp`: Google leaves sign-up to your own pre sign-up trigger, and the pool has none');
    expect(errors).toContain('addTrigger(UserPoolOperation.PRE_SIGN_UP, fn)');
  });

  test('fails to mix the user\'s trigger and the directory\'s rules across providers, in either order', () => {
    const users = invitedDirectory();
    users.addIdentityProvider(google(FederatedSignUp.preSignUpTrigger()));
    expectInvalid(() => users.addIdentityProvider(DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret, signUp: FederatedSignUp.emails('a@example.com') })), {
      property: 'signUp',
      received: '1 listed email address',
      fix: 'FederatedSignUp.preSignUpTrigger()',
    });

    const other = invitedDirectory();
    other.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com')));
    expectInvalid(() => other.addIdentityProvider(DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret, signUp: FederatedSignUp.preSignUpTrigger() })), {
      property: 'signUp',
      received: 'your own pre sign-up trigger',
      fix: 'FederatedSignUp.preSignUpTrigger()` for every provider',
    });
  });

  test('safe: other triggers still go beside the admission trigger', () => {
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com')));
    users.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, userFn(stack, 'PostConfirmation'));
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreSignUp: Match.anyValue(), PostConfirmation: Match.anyValue() },
    });
  });
});

describe('what the trigger sees: mapped attributes only', () => {
  test('fails when an email rule\'s provider does not map email', () => {
    expectInvalid(() => google(FederatedSignUp.emailDomains('example.com'), {
      attributeMapping: { fullname: cognito.ProviderAttribute.GOOGLE_NAME },
    }), {
      property: 'attributeMapping',
      received: '["name"]',
      fix: 'Map the provider\'s email to `email`',
    });
    expect(() => DirectoryProvider.saml({
      name: 'Corp', metadataDocument: '<x/>', attributeMapping: {}, signUp: FederatedSignUp.emails('a@example.com'),
    })).toThrow(/`attributeMapping`: the sign-up rule of Corp/);
  });

  test('safe: the default mapping, an explicit email mapping, or anyone() without email', () => {
    expect(() => google(FederatedSignUp.emailDomains('example.com'))).not.toThrow();
    expect(() => google(FederatedSignUp.emailDomains('example.com'), {
      attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL, fullname: cognito.ProviderAttribute.GOOGLE_NAME },
    })).not.toThrow();
    expect(() => google(FederatedSignUp.anyone(), { attributeMapping: { fullname: cognito.ProviderAttribute.GOOGLE_NAME } })).not.toThrow();
  });

  test('mapping email_verified stays refused: it would need client write access to the flag', () => {
    // GIVEN a rule and a mapping of the provider's verification flag
    const stack = newStack();
    const users = invitedDirectory(stack);
    users.addIdentityProvider(google(FederatedSignUp.emailDomains('example.com'), {
      attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL, emailVerified: cognito.ProviderAttribute.other('email_verified') },
    }));

    // THEN the existing check refuses it (users could then mark their own email verified)
    expect(synthErrors(stack)).toMatch(/`attributeMapping`: provider Google maps `email_verified`, which the web clients cannot write/);
  });
});

describe('rule values', () => {
  test('domains and addresses are lower-cased and deduplicated', () => {
    expect(FederatedSignUp.emailDomains('Example.COM', 'example.com', 'xn--bcher-kva.example').description)
      .toBe('email addresses at example.com, xn--bcher-kva.example');
    expect(FederatedSignUp.emails('Alice@Example.com', 'alice@example.com').description).toBe('1 listed email address');
    expect(FederatedSignUp.anyone().description).toBe('anyone with an account at the provider');
  });

  test.each([
    [[], 'at least one entry'],
    [['@example.com'], 'has an `@`'],
    [['alice@example.com'], 'has an `@`'],
    [['example.com.'], 'trailing dot'],
    [['example'], 'two or more labels'],
    [['exa mple.com'], 'outside printable ASCII'],
    [[' example.com'], 'outside printable ASCII'],
    [['bücher.example'], 'xn--'],
    [['-example.com'], 'two or more labels'],
    [['*.example.com'], 'two or more labels'],
    [['example..com'], 'two or more labels'],
  ])('fails on emailDomains(%j)', (domains, problem) => {
    expect(() => FederatedSignUp.emailDomains(...domains)).toThrow(new RegExp(`^\`emailDomains\`: .*${problem.replace(/[.*`]/g, (c) => `\\${c}`)}`));
  });

  test.each([
    [[], 'at least one entry'],
    [['example.com'], 'one `@`'],
    [['a@b@example.com'], 'one `@`'],
    [['"a@b"@example.com'], 'one `@`'],
    [['"alice"@example.com'], 'no quotes'],
    [['alice @example.com'], 'no spaces'],
    [['@example.com'], 'one `@`'],
    [['alice@example.com.'], 'trailing dot'],
    [['alice@'], 'two or more labels'],
  ])('fails on emails(%j)', (addresses, problem) => {
    expect(() => FederatedSignUp.emails(...addresses)).toThrow(new RegExp(`^\`emails\`: .*${problem.replace(/[.*`]/g, (c) => `\\${c}`)}`));
  });

  test('fails on values only known at deploy time: they are written into the trigger\'s code', () => {
    const stack = newStack();
    const token = new cognito.UserPool(stack, 'Other').userPoolId;
    expect(() => FederatedSignUp.emailDomains(token)).toThrow(/`emailDomains`: entries must be literal strings known at synth/);
  });

  test('fails on more than 1,000 entries', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `user${i}@example.com`);
    expect(() => FederatedSignUp.emails(...many)).toThrow(/`emails`: a rule carries at most 1000 entries/);
    expect(() => FederatedSignUp.emails(...many.slice(0, 1000))).not.toThrow();
  });
});
