import { Annotations, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { InvitationMessageOptions, UserDirectoryProps, VerificationMessageOptions } from '../user-directory-props';

/** Cognito's limits on message templates (CloudFormation `VerificationMessageTemplate`, `InviteMessageTemplate`). */
const LIMITS = { emailSubject: [1, 140], emailBody: [6, 20_000], smsMessage: [6, 140] } as const;
const CODE = '{####}';
const USERNAME = '{username}';

type Texts = VerificationMessageOptions & InvitationMessageOptions;

/** Checks the message templates: lengths and the placeholders Cognito needs in them. */
export function validateMessages(props: UserDirectoryProps): void {
  check('verificationMessage', props.verificationMessage, [CODE]);
  check('invitationMessage', props.invitationMessage, [USERNAME, CODE]);
}

function check(prop: string, texts: Texts | undefined, placeholders: string[]): void {
  if (texts === undefined) {
    return;
  }
  for (const field of ['emailSubject', 'emailBody', 'smsMessage'] as const) {
    const text = texts[field];
    if (text === undefined || Token.isUnresolved(text)) {
      continue;
    }
    const [min, max] = LIMITS[field];
    if (text.length < min || text.length > max) {
      invalid(`${prop}.${field}`, text, `Cognito takes ${min}-${max.toLocaleString('en-US')} characters here, this has ${text.length}`, 'Shorten the text (or lengthen it) to fit.');
    }
    if (field === 'emailSubject') {
      continue;
    }
    const missing = placeholders.filter((p) => !text.includes(p));
    if (missing.length > 0) {
      invalid(`${prop}.${field}`, text, `the text must carry ${missing.join(' and ')}, which Cognito replaces with the ${missing.map(describe).join(' and the ')}`,
        `Add ${missing.map((p) => `\`${p}\``).join(' and ')} to the text.`);
    }
  }
}

function describe(placeholder: string): string {
  return placeholder === USERNAME ? 'user name' : 'code (or temporary password)';
}

/** The aws-cdk-lib `userVerification` of a directory: the code style always, with the custom texts. */
export function userVerificationOf(props: UserDirectoryProps, selfSignUp: boolean): cognito.UserVerificationConfig | undefined {
  const m = props.verificationMessage;
  if (!selfSignUp && m === undefined) {
    return undefined;
  }
  return {
    emailStyle: cognito.VerificationEmailStyle.CODE,
    emailSubject: m?.emailSubject,
    emailBody: m?.emailBody,
    smsMessage: m?.smsMessage,
  };
}

/** The aws-cdk-lib `userInvitation` of a directory. */
export function userInvitationOf(props: UserDirectoryProps): cognito.UserInvitationConfig | undefined {
  const m = props.invitationMessage;
  return m && { emailSubject: m.emailSubject, emailBody: m.emailBody, smsMessage: m.smsMessage };
}

/**
 * AWS documents custom email text (`EmailMessage`, `EmailSubject`) as taken only when the pool sends
 * email through SES (`EmailSendingAccount: DEVELOPER`); Cognito's own sender is also limited to a few
 * messages a day. aws-cdk-lib renders Cognito's default texts on every pool, so this is advice, not a refusal.
 */
export function warnAboutMessageSender(scope: IConstruct, props: UserDirectoryProps, pool: cognito.CfnUserPool): void {
  const email = pool.emailConfiguration as cognito.CfnUserPool.EmailConfigurationProperty | undefined;
  if (email?.emailSendingAccount === 'DEVELOPER') {
    return;
  }
  const custom = [['verificationMessage', props.verificationMessage], ['invitationMessage', props.invitationMessage]] as const;
  const named = custom.filter(([, m]) => m?.emailSubject !== undefined || m?.emailBody !== undefined).map(([name]) => `\`${name}\``);
  if (named.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:messageWithoutSes',
      `${named.join(' and ')} customize email text while the pool sends with Cognito's own sender: AWS documents custom email text as taken `
      + 'only with Amazon SES (EmailSendingAccount DEVELOPER). Set `email: UserPoolEmail.withSES({ fromEmail, ... })` with an SES-verified identity.');
  }
}
