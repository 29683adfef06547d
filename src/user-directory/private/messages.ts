import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
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

/** Cognito takes email templates only when the pool sends email through SES (`EmailSendingAccount: DEVELOPER`). */
export function validateMessageSender(props: UserDirectoryProps, pool: cognito.CfnUserPool): void {
  const email = pool.emailConfiguration as cognito.CfnUserPool.EmailConfigurationProperty | undefined;
  if (email?.emailSendingAccount === 'DEVELOPER') {
    return;
  }
  for (const [prop, m] of [['verificationMessage', props.verificationMessage], ['invitationMessage', props.invitationMessage]] as const) {
    if (m?.emailSubject !== undefined || m?.emailBody !== undefined) {
      invalid(`${prop}.${m.emailBody !== undefined ? 'emailBody' : 'emailSubject'}`, m.emailBody ?? m.emailSubject,
        'Cognito takes custom email text only when the pool sends email with Amazon SES (EmailSendingAccount DEVELOPER)',
        'Set `email: UserPoolEmail.withSES({ fromEmail, ... })` with an SES-verified identity, or keep Cognito\'s email text (custom `smsMessage` needs no SES).');
    }
  }
}
