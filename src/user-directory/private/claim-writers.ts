import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { ClaimMatch, ClaimWriter, claimWritersOf, clientViews, poolSettingsOf, providerViews } from '../claims';

/** What a directory built in this app knows about who writes its claims. */
export interface OwnDirectoryClaims {
  readonly selfSignUp: boolean;
  readonly usernamesChosen: boolean;
  /** The directory's own web clients: their write attributes are known before synth. */
  readonly webClients: cognito.UserPoolClient[];
  readonly writableAttributes: () => string[];
  readonly trustedAttributesOf: (providerName: string) => string[];
  readonly isImmutable: (attribute: string) => boolean;
}

/** `claimWriters` of a `UserDirectory`: every client and provider of its pool in the app. */
export function ownClaimWriters(directory: IConstruct, userPool: cognito.IUserPool, facts: OwnDirectoryClaims, claim: string,
  match?: ClaimMatch): string[] {
  const own = new Map(facts.webClients.map(c => [c.node.defaultChild as cognito.CfnUserPoolClient, c]));
  const known = (client: cognito.CfnUserPoolClient) => (own.has(client) ? facts.writableAttributes() : undefined);
  return describe(claimWritersOf({
    path: directory.node.path,
    selfSignUp: facts.selfSignUp,
    usernamesChosen: facts.usernamesChosen,
    providersUnknown: false,
    clients: clientViews(directory, userPool, known),
    providers: providerViews(directory, userPool, facts.trustedAttributesOf),
    immutable: facts.isImmutable,
  }, claim, match));
}

/**
 * `claimWriters` of an imported pool. A pool from outside the app is read conservatively: sign-up
 * may be on, users may pick user names, and it may have identity providers the app does not show.
 */
export function importedClaimWriters(directory: IConstruct, userPool: cognito.IUserPool, claim: string, match?: ClaimMatch,
  declaredWritableAttributes?: readonly string[]): string[] {
  return describe(claimWritersOf({
    path: directory.node.path,
    ...poolSettingsOf(userPool),
    declaredWritableAttributes,
    clients: clientViews(directory, userPool),
    providers: providerViews(directory, userPool, () => []),
  }, claim, match));
}

/** The writer an imported pool's `userWritableAttributes` declares for `claim`, if it lists it. */
export function declaredClaimWriters(directory: IConstruct, userWritableAttributes: ReadonlySet<string>, claim: string): string[] {
  return userWritableAttributes.has(claim) ? [`${directory.node.path} (\`userWritableAttributes\` of the imported pool lists \`${claim}\`)`] : [];
}

/** Each writer as `<construct path> (<why>)`. */
export function describe(writers: ClaimWriter[]): string[] {
  return writers.map(w => `${w.client} (${w.reason})`);
}
