import { createHash } from 'crypto';

/**
 * The acknowledgement id of a warning about one thing (a rule's path and audience, a route):
 * `cdk-federated-access:<kind>:<hash>`, where `<hash>` is the first 8 hex digits of the SHA-256 of
 * `subject`. The subject is the warning's text, which names the paths, audience and access it is
 * about and holds no token, so the id stays the same when other rules are added, removed or
 * reordered, and an acknowledgement never silences another warning. It changes only when the
 * warning says something else (README "Warnings and acknowledgements").
 * @internal
 */
export function subjectWarningId(kind: string, subject: string): string {
  return `cdk-federated-access:${kind}:${createHash('sha256').update(subject).digest('hex').slice(0, 8)}`;
}
