import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { expectInvalid, newStack, sesEmail } from './helpers';
import { UserDirectory } from '../../src';

// What AWS documents (CloudFormation VerificationMessageTemplate and InviteMessageTemplate, message
// customizations): codes are `{####}`, invitations carry `{username}` and the temporary password
// `{####}`; email subjects take 1-140 characters, email bodies 6-20,000, SMS 6-140; email text is
// documented as taken only when the pool sends through SES (EmailSendingAccount DEVELOPER), although
// aws-cdk-lib renders Cognito's default texts on every pool: a warning, not a refusal.

describe('messages', () => {
  test('default: Cognito\'s texts, with codes', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { email: sesEmail() });
    const pool = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPool'))[0].Properties;
    expect(pool.AdminCreateUserConfig.InviteMessageTemplate).toBeUndefined();
    expect(pool.VerificationMessageTemplate).toEqual({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: 'Verify your new account',
      EmailMessage: 'The verification code to your new account is {####}',
      SmsMessage: 'The verification code to your new account is {####}',
    });
  });

  test('custom verification and invitation texts with SES', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new UserDirectory(stack, 'Users', {
      email: sesEmail(),
      selfSignUp: true,
      verificationMessage: { emailSubject: 'Your Notes code', emailBody: '<p>Your code is {####}</p>', smsMessage: 'Notes code: {####}' },
      invitationMessage: { emailSubject: 'Welcome to Notes', emailBody: 'Sign in as {username} with {####}', smsMessage: 'Notes: {username} / {####}' },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailSubject: 'Your Notes code',
        EmailMessage: '<p>Your code is {####}</p>',
        SmsMessage: 'Notes code: {####}',
      },
      AdminCreateUserConfig: Match.objectLike({
        InviteMessageTemplate: { EmailSubject: 'Welcome to Notes', EmailMessage: 'Sign in as {username} with {####}', SMSMessage: 'Notes: {username} / {####}' },
      }),
    });
  });

  test('custom SMS text needs no SES', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { invitationMessage: { smsMessage: 'Notes: {username} / {####}' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ InviteMessageTemplate: { SMSMessage: 'Notes: {username} / {####}' } }),
    });
  });

  test('custom email text with Cognito\'s sender is warned about (AWS documents it as SES-only)', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new UserDirectory(stack, 'Users', { verificationMessage: { emailBody: 'Code {####}' }, invitationMessage: { emailSubject: 'Welcome' } });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Users',
      Match.stringLikeRegexp('`verificationMessage` and `invitationMessage` customize email text.*UserPoolEmail.withSES'));
  });

  test('custom email text with SES is not warned about', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { email: sesEmail(), verificationMessage: { emailBody: 'Code {####}' } });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('customize email text'));
  });

  test('fails for a verification text without the code', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { email: sesEmail(), verificationMessage: { emailBody: 'Welcome aboard' } }),
      { property: 'verificationMessage.emailBody', received: 'Welcome aboard', fix: '`{####}`' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { verificationMessage: { smsMessage: 'Your code is ####' } }),
      { property: 'verificationMessage.smsMessage', received: 'Your code is ####', fix: '`{####}`' });
  });

  test('fails for an invitation without the user name or the temporary password', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { email: sesEmail(), invitationMessage: { emailBody: 'Your password is {####}' } }),
      { property: 'invitationMessage.emailBody', received: 'Your password is {####}', fix: '`{username}`' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { invitationMessage: { smsMessage: 'Hi {username}' } }),
      { property: 'invitationMessage.smsMessage', received: 'Hi {username}', fix: '`{####}`' });
  });

  test('fails for texts outside Cognito\'s lengths', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { email: sesEmail(), verificationMessage: { emailSubject: 'x'.repeat(141) } }),
      { property: 'verificationMessage.emailSubject', received: 'xxx', fix: 'fit' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { email: sesEmail(), verificationMessage: { emailSubject: '' } }),
      { property: 'verificationMessage.emailSubject', received: '""', fix: 'fit' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { email: sesEmail(), invitationMessage: { emailBody: `{username} {####} ${'x'.repeat(20_000)}` } }),
      { property: 'invitationMessage.emailBody', received: '{username}', fix: 'fit' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { verificationMessage: { smsMessage: `{####} ${'x'.repeat(140)}` } }),
      { property: 'verificationMessage.smsMessage', received: '{####}', fix: 'fit' });
    // the limits themselves are fine
    new UserDirectory(newStack(), 'Users', { email: sesEmail(), verificationMessage: { emailSubject: 'x'.repeat(140), smsMessage: `{####}${'x'.repeat(134)}` } });
  });
});
