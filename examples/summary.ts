/**
 * Prints what `npm run example` synthesized: stacks, resources by type and the security settings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS, MANAGE_ACCOUNTS_ACTIONS, MANAGE_GROUPS_ACTIONS, READ_USERS_ACTIONS } from '../src/user-directory/private/grants';

export type Template = {
  Resources?: Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;
  Outputs?: Record<string, { Description?: string; Value: any }>;
};
type Row = AccessSection['rows'][number];

/** Access rules of one access construct, from its describe(). */
export interface AccessSection {
  readonly resource: string;
  readonly rows: ReadonlyArray<{ readonly path: string; readonly audience: string; readonly access: string }>;
}

/** The access table: one row per resource path, one column per audience. */
export function accessTable(sections: readonly AccessSection[]): string[] {
  // A rule on a `{tag:NAME}` path applies per tenant: show it in a column of its own.
  const column = (row: AccessSection['rows'][number]) => {
    const tag = /\{tag:([^}]+)\}/.exec(row.path);
    if (row.audience.startsWith('principal:')) {
      return `${row.audience.split('/').pop()} (back end)`; // Audience.principal(fn)
    }
    return tag ? `${row.audience} (per ${tag[1]} tag)` : row.audience;
  };
  const audiences = ['guest', 'authenticated', 'owner'];
  for (const section of sections) {
    for (const row of section.rows) {
      if (!audiences.includes(column(row))) {
        audiences.push(column(row));
      }
    }
  }
  const cells = new Map<string, Map<string, string>>();
  for (const section of sections) {
    for (const row of section.rows) {
      const key = `${section.resource} ${row.path}`;
      const byAudience = cells.get(key) ?? new Map<string, string>();
      byAudience.set(column(row), [byAudience.get(column(row)), row.access].filter(Boolean).join(', '));
      cells.set(key, byAudience);
    }
  }
  const lines = [
    `| resource | ${audiences.join(' | ')} |`,
    `| --- |${audiences.map(() => ' --- |').join('')}`,
  ];
  for (const [key, byAudience] of cells) {
    lines.push(`| \`${key}\` | ${audiences.map((a) => byAudience.get(a) ?? '-').join(' | ')} |`);
  }
  return lines;
}

const FACTOR_LABELS: Record<string, string> = { PASSWORD: 'password', WEB_AUTHN: 'passkey', EMAIL_OTP: 'email code', SMS_OTP: 'SMS code' };

/** The sign-in factors of the template's user pool, in words. */
function factorsOf(template: Template): string[] {
  const pool = Object.values(template.Resources ?? {}).find((r) => r.Type === 'AWS::Cognito::UserPool');
  const factors: string[] = pool?.Properties?.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
  return factors.map((f) => FACTOR_LABELS[f] ?? f);
}

/** Which function a role belongs to (its logical id), or the role's own id. */
function ownerOfRole(template: Template, roleId: string): string {
  const fn = Object.entries(template.Resources ?? {})
    .find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Role?.['Fn::GetAtt']?.[0] === roleId);
  return fn ? `${fn[0].replace(/[0-9A-F]{8}$/, '')} (function)` : roleId;
}

/**
 * The user pool's own access rows, read from the template: who may administer it (IAM policies
 * with cognito-idp actions, named by bundle) and which machine client may get which scope.
 */
export function userPoolAccess(template: Template): Row[] {
  const rows: Row[] = [];
  const resources = Object.entries(template.Resources ?? {});
  // The bundles share actions (reads, membership): each one is matched against everything granted.
  const bundles: Array<[string, string, readonly string[]]> = [
    ['users', 'read users', READ_USERS_ACTIONS],
    ['accounts', 'manage accounts', MANAGE_ACCOUNTS_ACTIONS],
    ['groups', 'manage groups', MANAGE_GROUPS_ACTIONS],
    ['sign-in attributes', 'change sign-in attributes (signs in as any user)', CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS],
  ];
  for (const [, policy] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Policy')) {
    const granted = new Set<string>((policy.Properties?.PolicyDocument?.Statement ?? [])
      .flatMap((st: any) => [].concat(st.Action)).filter((a: string) => a.startsWith('cognito-idp:')));
    if (granted.size === 0) {
      continue;
    }
    for (const roleRef of policy.Properties?.Roles ?? []) {
      const audience = ownerOfRole(template, roleRef.Ref);
      const actions = new Set(granted);
      for (const [target, access, bundle] of bundles.filter(([, , b]) => b.every((a) => granted.has(a)))) {
        rows.push({ path: target, audience, access });
        bundle.forEach((a) => actions.delete(a));
      }
      if (actions.size > 0) {
        rows.push({ path: 'pool', audience, access: [...actions].map((a) => a.replace('cognito-idp:', '')).join(', ') });
      }
    }
  }
  for (const [id, client] of resources.filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')) {
    if ((client.Properties?.AllowedOAuthFlows ?? []).includes('client_credentials')) {
      for (const scope of client.Properties?.AllowedOAuthScopes ?? []) {
        rows.push({ path: scope, audience: `${id.replace(/^Users|[0-9A-F]{8}$/g, '')} (machine client)`, access: 'client credentials' });
      }
    }
  }
  return rows;
}

/**
 * The chain as a plain-text diagram (Construct Hub and npm render no Mermaid): one edge a line,
 * `from --> to  (how)`, sources first, then the pool's roles and what each reaches.
 */
function accessDiagram(template: Template, sections: readonly AccessSection[]): string[] {
  const resources = Object.values(template.Resources ?? {});
  const providers = resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolIdentityProvider').map((r) => String(r.Properties?.ProviderName));
  const edges: Array<[string, string, string?]> = [];
  edges.push([`email (${factorsOf(template).join(' / ')})`, 'UserDirectory']);
  providers.forEach((p) => edges.push([p, 'UserDirectory']));
  const directoryRows = userPoolAccess(template);
  [...new Set(directoryRows.map((r) => r.audience))].forEach((a) => {
    const access = [...new Set(directoryRows.filter((r) => r.audience === a).map((r) => r.access))].join(', ');
    edges.push([a, 'UserDirectory', access]);
  });
  edges.push(['UserDirectory', 'FederatedIdentityPool']);
  edges.push(['Google direct', 'FederatedIdentityPool']);
  edges.push(['FederatedIdentityPool', 'guest role', 'unauthenticated']);
  edges.push(['FederatedIdentityPool', 'authenticated role', 'authenticated']);
  edges.push(['FederatedIdentityPool', 'group role: admins', 'cognito:preferred_role']);
  for (const section of sections) {
    const audiences = new Set(section.rows.map((r) => r.audience));
    const id = `[${section.resource}]`;
    if (audiences.has('guest')) {
      edges.push(['guest role', id]);
    }
    if (audiences.has('authenticated') || audiences.has('owner')) {
      edges.push(['authenticated role', id]);
      edges.push(['group role: admins', id]);
    } else if ([...audiences].some((a) => a.startsWith('group:'))) {
      edges.push(['group role: admins', id]);
    }
    // Back ends in the rule language: their own role, not one of the pool's.
    for (const a of [...audiences].filter((x) => x.startsWith('principal:'))) {
      edges.push([`back end: ${a.split('/').pop()}`, id]);
    }
  }
  const fromWidth = Math.max(...edges.map(([from]) => from.length));
  const toWidth = Math.max(...edges.map(([, to]) => to.length));
  const lines = ['```text'];
  for (const [from, to, how] of edges) {
    lines.push(`${from.padEnd(fromWidth)} --> ${how ? `${to.padEnd(toWidth)}  (${how})` : to}`);
  }
  lines.push('```');
  return lines;
}

/**
 * The access picture README shows (between its `generated:access-picture` markers) and
 * `npm run example` writes to cdk.out/ACCESS.md: the diagram of the chain and the access table.
 */
export function accessPicture(template: Template, sections: readonly AccessSection[]): string[] {
  const directoryRows = userPoolAccess(template);
  const table = accessTable(directoryRows.length > 0 ? [...sections, { resource: 'user pool', rows: directoryRows }] : sections);
  return [...accessDiagram(template, sections), '', ...table];
}

export function printSummary(assembly: cxapi.CloudAssembly, stack: Stack, synthMillis: number, sections: readonly AccessSection[] = []): void {
  const lines: string[] = [];
  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template as Template;
  const resources = Object.values(template.Resources ?? {});

  lines.push(`Synthesized ${assembly.stacks.length} stack(s) into ${path.relative(process.cwd(), assembly.directory) || '.'}/ in ${synthMillis.toFixed(0)} ms`);
  lines.push('');
  lines.push(`Stack ${artifact.stackName} (${artifact.templateFile}): ${resources.length} resources`);
  const byType = new Map<string, number>();
  for (const r of resources) {
    byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  }
  for (const [type, count] of [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  const customResources = resources.filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource');
  lines.push(`  Lambda-backed custom resources: ${customResources.length}`);

  for (const pool of resources.filter((r) => r.Type === 'AWS::Cognito::UserPool')) {
    const p = pool.Properties ?? {};
    const pw = p.Policies?.PasswordPolicy ?? {};
    const classes = ['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'].filter((k) => pw[k]).length;
    lines.push('');
    lines.push('User directory security settings:');
    lines.push(`  sign-in            ${(p.UsernameAttributes ?? p.AliasAttributes ?? ['username']).join(', ')} (case ${p.UsernameConfiguration?.CaseSensitive ? 'sensitive' : 'insensitive'})`);
    lines.push(`  self sign-up       ${p.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? 'off (admins create users)' : 'on, email verified'}`);
    lines.push(`  passwords          min ${pw.MinimumLength}, ${classes}/4 character classes, temporary ${pw.TemporaryPasswordValidityDays} days`);
    lines.push(`  first factors      ${factorsOf(template).join(', ')}${p.WebAuthnRelyingPartyID ? ` (passkeys: user verification ${p.WebAuthnUserVerification}, relying party ${describe(stack, p.WebAuthnRelyingPartyID)})` : ''}`);
    lines.push(`  MFA                ${p.MfaConfiguration} (${(p.EnabledMfas ?? []).join(', ') || 'none'})`);
    lines.push(`  email sender       ${p.EmailConfiguration?.EmailSendingAccount === 'DEVELOPER' ? 'Amazon SES' : 'Cognito (development only)'}`);
    const triggers = Object.entries<any>(p.LambdaConfig ?? {}).filter(([k]) => k !== 'KMSKeyID')
      .map(([k, v]) => `${k}${v?.LambdaVersion ? ` ${v.LambdaVersion}` : ''} -> ${describe(stack, v?.LambdaArn ?? v)}`);
    if (triggers.length > 0) {
      lines.push(`  triggers           ${triggers.join(', ')} (invoked by Cognito for this pool only)`);
    }
    lines.push(`  feature plan       ${p.UserPoolTier ?? 'ESSENTIALS'}, threat protection ${p.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF'}`);
    lines.push(`  deletion           protection ${p.DeletionProtection ?? 'INACTIVE'}, policy ${pool.DeletionPolicy ?? 'Delete'}`);
    lines.push(`  account recovery   ${(p.AccountRecoverySetting?.RecoveryMechanisms ?? []).map((m: any) => m.Name).join(', ')}`);
  }
  for (const client of resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolClient')) {
    const c = client.Properties ?? {};
    if ((c.AllowedOAuthFlows ?? []).includes('client_credentials')) {
      lines.push(`  machine client     secret ${c.GenerateSecret ? 'yes' : 'none'}, OAuth flows ${c.AllowedOAuthFlows.join(', ')}, scopes ${(c.AllowedOAuthScopes ?? []).join(', ')}, `
        + `access tokens ${c.AccessTokenValidity} ${c.TokenValidityUnits?.AccessToken ?? 'hours'}, auth flows ${(c.ExplicitAuthFlows ?? []).join(', ')}, writes ${(c.WriteAttributes ?? ['?']).length} attributes`);
      continue;
    }
    const rotation = c.RefreshTokenRotation?.Feature === 'ENABLED' ? `on (grace ${c.RefreshTokenRotation.RetryGracePeriodSeconds ?? 0} s)` : 'off';
    lines.push(`  web client         secret ${c.GenerateSecret ? 'yes' : 'none'}, OAuth flows ${(c.AllowedOAuthFlows ?? ['none']).join(', ')}, `
      + `auth flows ${(c.ExplicitAuthFlows ?? []).join(', ')}, user existence errors ${c.PreventUserExistenceErrors === 'ENABLED' ? 'hidden' : 'shown'}, `
      + `token revocation ${c.EnableTokenRevocation ? 'on' : 'off'}, refresh-token rotation ${rotation}`);
  }
  const servers = resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolResourceServer')
    .map((r) => `${r.Properties?.Identifier} (${(r.Properties?.Scopes ?? []).map((sc: any) => sc.ScopeName).join(', ')})`);
  if (servers.length > 0) {
    lines.push(`  resource servers   ${servers.join(', ')}`);
  }
  const providers = resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolIdentityProvider').map((r) => `${r.Properties?.ProviderName} (${r.Properties?.ProviderType})`);
  if (providers.length > 0) {
    lines.push(`  sign-in providers  ${providers.join(', ')}`);
  }
  const groups = resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup').map((r) => r.Properties?.GroupName);
  if (groups.length > 0) {
    lines.push(`  groups             ${groups.join(', ')}`);
  }
  for (const pool of resources.filter((r) => r.Type === 'AWS::Cognito::IdentityPool')) {
    const p = pool.Properties ?? {};
    lines.push('');
    lines.push('Identity pool:');
    lines.push(`  guest access       ${p.AllowUnauthenticatedIdentities ? 'on (guest role)' : 'off (no guest role)'}, classic flow ${p.AllowClassicFlow ? 'ON' : 'off'}`);
    lines.push(`  sources            ${[...(p.CognitoIdentityProviders ?? []).map(() => 'user directory'), ...Object.keys(p.SupportedLoginProviders ?? {})].join(', ')}`);
  }
  const roles = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  for (const [logicalId, role] of roles) {
    const trust = role.Properties?.AssumeRolePolicyDocument?.Statement ?? [];
    const amr = trust.map((st: any) => st.Condition?.['ForAnyValue:StringLike']?.['cognito-identity.amazonaws.com:amr']).filter(Boolean);
    const tags = trust.some((st: any) => [].concat(st.Action).includes('sts:TagSession' as never));
    lines.push(`  role ${logicalId.padEnd(40)} trusted for ${amr.join(', ') || 'other principals'}${tags ? ' + session tags' : ''}`);
  }
  for (const tags of resources.filter((r) => r.Type === 'AWS::Cognito::IdentityPoolPrincipalTag')) {
    lines.push(`  principal tags     ${Object.entries(tags.Properties?.PrincipalTags ?? {}).map(([k, v]) => `${k} <- ${v}`).join(', ')}`);
  }
  const policies = resources.filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
    .map((r) => JSON.stringify(stack.resolve(r.Properties?.PolicyDocument)).length)
    .sort((a, b) => b - a);
  if (policies.length > 0) {
    lines.push('');
    lines.push(`Managed policies: ${policies.length}, largest ${policies.slice(0, 3).join(', ')} characters (template JSON, tokens unresolved) of 6,144`);
  }
  if (sections.length > 0) {
    const directoryRows = userPoolAccess(template);
    const table = accessTable(directoryRows.length > 0 ? [...sections, { resource: 'user pool', rows: directoryRows }] : sections);
    lines.push('');
    lines.push('Access (from the constructs\' describe()):');
    lines.push(...table.map((l) => `  ${l}`));
    const doc = ['# Access picture of the notes app', '', ...accessPicture(template, sections), ''];
    fs.writeFileSync(path.join(assembly.directory, 'ACCESS.md'), doc.join('\n'));
    lines.push(`  (also written to ${path.relative(process.cwd(), path.join(assembly.directory, 'ACCESS.md'))})`);
  }
  lines.push(...clientConfigLines(template, assembly.directory));
  const warnings = artifact.messages.filter((m) => m.level === 'warning');
  if (warnings.length > 0) {
    lines.push('');
    lines.push(`Warnings (${warnings.length}):`);
    for (const w of warnings) {
      lines.push(`  ${w.id}: ${String(w.entry.data).split(' [ack:')[0]}`);
    }
  }
  console.log(lines.join('\n'));
}

/** A template value for a summary line: literals as they are, references by logical id. */
function describe(stack: Stack, value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  const ref = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
  if (ref !== undefined) {
    return String(ref);
  }
  if (value?.['Fn::Join']) {
    return (value['Fn::Join'][1] as any[]).map((part) => (typeof part === 'string' ? part : `<${part.Ref ?? 'token'}>`)).join(value['Fn::Join'][0]);
  }
  return JSON.stringify(stack.resolve(value));
}

/** The ClientConfig's Output(s), joined, with deploy-time values shown as `<LogicalId>`: written to cdk.out/. */
function clientConfigLines(template: Template, outdir: string): string[] {
  const parts = Object.entries(template.Outputs ?? {})
    .filter(([, o]) => o.Description?.includes('amplify_outputs.json'))
    .sort(([a], [b]) => a.length - b.length || a.localeCompare(b));
  if (parts.length === 0) {
    return [];
  }
  const show = (v: any): string => {
    if (typeof v === 'string') {
      return v;
    }
    if (v?.['Fn::Join']) {
      return v['Fn::Join'][1].map(show).join(v['Fn::Join'][0]);
    }
    return `<${v?.Ref ?? [].concat(v?.['Fn::GetAtt'] ?? []).join('.')}>`;
  };
  const config = JSON.parse(parts.map(([, o]) => show(o.Value)).join(''));
  const file = path.join(outdir, 'amplify_outputs.preview.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return [
    '',
    `Client configuration (stack Output ${parts.map(([name]) => name).join(', ')}, Amplify outputs version ${config.version}):`,
    `  auth               user pool, client, identity pool${config.auth.oauth ? `, OAuth domain (${config.auth.oauth.identity_providers.join(', ') || 'no social providers'})` : ''}, groups ${(config.auth.groups ?? []).map((g: object) => Object.keys(g)[0]).join(', ') || 'none'}`,
    ...(config.storage?.buckets ?? []).map((b: any) => `  bucket ${b.name.padEnd(11)} ${Object.keys(b.paths ?? {}).join(', ')}`),
    `  (deploy-time values as <LogicalId>: ${path.relative(process.cwd(), file)}; after deploying, \`npx cdk-federated-access client-config\` writes the file)`,
  ];
}
