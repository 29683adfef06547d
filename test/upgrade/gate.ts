/**
 * The upgrade gate: what deploying today's template over the baseline's would do to the stateful
 * resources (the ones that hold users, identities, data or keys), and whether UPGRADING.json
 * records it. Silent data loss on deploy is the worst failure of an infrastructure library.
 *
 * Reported, per stateful resource of the baseline:
 * - `replace`: CloudFormation replaces it (a property the resource specification marks as
 *   replacing, its type, or a resource it references is replaced): the data stays with the old one.
 * - `delete`: it is gone from the template: deleted, or orphaned when it was retained.
 * - `rename`: it is gone under its logical id and a resource of its type appears under another one:
 *   CloudFormation creates an empty one and deletes (or orphans) the old one.
 * - `immutable`: a setting AWS cannot change on an existing resource though the specification lists
 *   it as updatable: the deploy fails (see IMMUTABLE_PROPERTIES).
 * - `retain-removed`: its DeletionPolicy or UpdateReplacePolicy no longer retains it.
 * Additions and changes of other resources pass; a change into Retain passes.
 */
import { fullDiff, ResourceDifference, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { Template } from '../../scripts/upgrade-baseline';

/**
 * The resource types that hold users, identities, data or keys: replacing or deleting one loses
 * them. The one list the gate reads.
 */
export const STATEFUL_TYPES: readonly string[] = [
  'AWS::Cognito::UserPool', // users, their passwords, passkeys and MFA devices
  'AWS::Cognito::IdentityPool', // identity ids, which key S3 folders and DynamoDB items
  'AWS::Cognito::UserPoolDomain', // the managed login domain: passkeys are bound to it
  'AWS::Cognito::UserPoolClient', // client ids (and secrets) that deployed apps carry
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::KMS::Key', // data encrypted under it cannot be read with another key
];

/**
 * Settings that AWS cannot change on an existing resource although the CloudFormation resource
 * specification (as bundled in @aws-cdk/cloudformation-diff) lists them as updatable: the update
 * fails and only a new resource takes the new value, so users need a migration.
 */
export const IMMUTABLE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  // "Settings you can't change": sign-in options (aliases or username attributes) and username
  // case sensitivity. https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html
  // (Schema is checked by attribute: see schemaChanges.)
  'AWS::Cognito::UserPool': ['AliasAttributes', 'UsernameAttributes', 'UsernameConfiguration'],
  // "If you change the value of ... on an existing KMS key, the update request fails."
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
  'AWS::KMS::Key': ['KeySpec', 'KeyUsage', 'MultiRegion'],
};

/** The kinds of unsafe change, as UPGRADING.json's `change` names them. */
export const CHANGE_KINDS = ['replace', 'delete', 'rename', 'immutable', 'retain-removed'] as const;
export type ChangeKind = typeof CHANGE_KINDS[number];

/** One unsafe change to a stateful resource of one app. */
export interface UnsafeChange {
  readonly app: string;
  /** The resource's logical id in the baseline. */
  readonly logicalId: string;
  readonly type: string;
  readonly change: ChangeKind;
  /** What happens and why, for the failure message. */
  readonly detail: string;
}

/** One entry of UPGRADING.json. */
export interface UpgradeNote {
  readonly app: string;
  readonly logicalId: string;
  readonly change: ChangeKind;
  /** What users do before or after deploying (export and import, `cdk import`, a data copy...). */
  readonly migration: string;
}

const RETAINING = ['Retain', 'RetainExceptOnCreate'];

function isStateful(type: string | undefined): boolean {
  return type !== undefined && STATEFUL_TYPES.includes(type);
}

function isReplacement(impact: ResourceImpact | undefined): boolean {
  return impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE;
}

/** Why a resource is replaced: its type, or the properties that replace it. */
function replacementCause(diff: ResourceDifference): string {
  if (diff.resourceTypeChanged) {
    return `its type changes to ${diff.newResourceType}`;
  }
  const properties = Object.entries(diff.propertyUpdates)
    .filter(([, p]) => isReplacement(p.changeImpact))
    .map(([name, p]) => `${name}${p.changeImpact === ResourceImpact.MAY_REPLACE ? ' (may replace)' : ''}`);
  return `changed ${properties.join(', ')}`;
}

/** What a removal does to the removed resource. */
function removalEffect(diff: ResourceDifference): string {
  return diff.changeImpact === ResourceImpact.WILL_ORPHAN
    ? 'orphaned (it stays in the account, out of the stack)'
    : 'deleted with its data';
}

/** Schema attributes of a user pool that are removed or changed (Cognito refuses both). */
function schemaChanges(oldProps: any, newProps: any): string[] {
  const byName = (schema: any[] | undefined) => new Map((Array.isArray(schema) ? schema : []).map(a => [a.Name, a]));
  const before = byName(oldProps?.Schema);
  const after = byName(newProps?.Schema);
  return [...before.entries()]
    .filter(([name, attr]) => JSON.stringify(after.get(name)) !== JSON.stringify(attr))
    .map(([name]) => `Schema attribute ${name} ${after.has(name) ? 'changed' : 'removed'}`);
}

/** The immutable settings a change touches. */
function immutableChanges(type: string, diff: ResourceDifference): string[] {
  const changed = (IMMUTABLE_PROPERTIES[type] ?? []).filter(p => p in diff.propertyUpdates);
  const schema = type === 'AWS::Cognito::UserPool' ? schemaChanges(diff.oldProperties, diff.newProperties) : [];
  return [...changed, ...schema];
}

/** The unsafe changes to stateful resources when `current` is deployed over `baseline`. */
export function unsafeChanges(app: string, baseline: Template, current: Template): UnsafeChange[] {
  const diff = fullDiff(baseline, current);
  const found: UnsafeChange[] = [];
  const removed: Array<[string, ResourceDifference]> = [];
  const added = new Map<string, string[]>();

  diff.resources.forEachDifference((logicalId, change) => {
    if (change.isAddition) {
      const type = change.newResourceType!;
      added.set(type, [...(added.get(type) ?? []), logicalId]);
      return;
    }
    const type = change.oldResourceType!;
    if (!isStateful(type)) {
      return;
    }
    if (change.isRemoval) {
      removed.push([logicalId, change]);
      return;
    }
    const report = (kind: ChangeKind, detail: string) => found.push({ app, logicalId, type, change: kind, detail });
    if (isReplacement(change.changeImpact)) {
      report('replace', `replaced (${replacementCause(change)}): a new resource (new physical id, none of the old one's data); the old one is `
        + (RETAINING.includes(String(change.oldValue?.UpdateReplacePolicy)) ? 'retained out of the stack' : 'deleted with its data'));
    }
    const immutable = immutableChanges(type, change);
    if (immutable.length > 0) {
      report('immutable', `changed ${immutable.join(', ')}: AWS cannot change this on an existing resource, the deploy fails`);
    }
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      const before = change.oldValue?.[policy];
      const after = change.newValue?.[policy];
      if (RETAINING.includes(String(before)) && !RETAINING.includes(String(after))) {
        report('retain-removed', `${policy} ${before} -> ${after ?? '(none: Delete)'}: deleting the stack or replacing it deletes its data`);
      }
    }
  });

  for (const [logicalId, change] of removed) {
    const type = change.oldResourceType!;
    const successors = added.get(type) ?? [];
    if (successors.length > 0) {
      found.push({
        app,
        logicalId,
        type,
        change: 'rename',
        detail: `logical id changes (a new ${type} appears as ${successors.join(', ')}): the new one is empty, the old one is ${removalEffect(change)}`,
      });
    } else {
      found.push({ app, logicalId, type, change: 'delete', detail: `removed from the template: ${removalEffect(change)}` });
    }
  }
  return found;
}

/** Reads and checks the upgrade notes: every entry names its app, resource, change and migration. */
export function parseNotes(json: unknown): UpgradeNote[] {
  const changes = (json as { changes?: unknown })?.changes;
  if (!Array.isArray(changes)) {
    throw new Error('UPGRADING.json: `changes` must be a list of { app, logicalId, change, migration }.');
  }
  return changes.map((entry, i) => {
    const where = `UPGRADING.json changes[${i}]`;
    for (const field of ['app', 'logicalId', 'change']) {
      if (typeof entry?.[field] !== 'string' || entry[field].trim() === '') {
        throw new Error(`${where}: \`${field}\` is missing (received ${JSON.stringify(entry?.[field])}).`);
      }
    }
    if (!(CHANGE_KINDS as readonly string[]).includes(entry.change)) {
      throw new Error(`${where}: \`change\` must be one of ${CHANGE_KINDS.join(', ')} (received "${entry.change}").`);
    }
    if (typeof entry.migration !== 'string' || entry.migration.trim().length < 20) {
      throw new Error(`${where} (${entry.app} ${entry.logicalId} ${entry.change}): \`migration\` must say what users do to keep `
        + `their data (received ${JSON.stringify(entry.migration)}). An unsafe change without a migration is refused.`);
    }
    return entry as UpgradeNote;
  });
}

/** The verdict: the unsafe changes no note records, and the notes that record no change (stale). */
export interface GateResult {
  readonly unrecorded: UnsafeChange[];
  readonly stale: UpgradeNote[];
}

/** Matches the unsafe changes with the notes. */
export function gate(changes: UnsafeChange[], notes: UpgradeNote[]): GateResult {
  const covers = (n: UpgradeNote, c: UnsafeChange) => n.app === c.app && n.logicalId === c.logicalId && n.change === c.change;
  return {
    unrecorded: changes.filter(c => !notes.some(n => covers(n, c))),
    stale: notes.filter(n => !changes.some(c => covers(n, c))),
  };
}

/** The failure message: each unrecorded change with the entry that would record it. */
export function explain(result: GateResult): string {
  const lines: string[] = [];
  if (result.unrecorded.length > 0) {
    lines.push(`${result.unrecorded.length} unsafe change(s) to stateful resources since the baseline, not in test/upgrade/UPGRADING.json:`);
    for (const c of result.unrecorded) {
      lines.push(`  ${c.app} ${c.logicalId} (${c.type}) ${c.change}: ${c.detail}`);
      lines.push(`    to accept it, record: { "app": "${c.app}", "logicalId": "${c.logicalId}", "change": "${c.change}", "migration": "<what users do>" }`);
    }
  }
  if (result.stale.length > 0) {
    lines.push(`${result.stale.length} upgrade note(s) that record no change (remove them; the baseline may have been refreshed):`);
    result.stale.forEach(n => lines.push(`  ${JSON.stringify(n)}`));
  }
  return lines.join('\n');
}
