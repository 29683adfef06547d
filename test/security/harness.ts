import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/*
 * Shared helpers for the security matrices: resolve the intrinsics of a synthesized template to
 * fake concrete values, collect every identity policy attached to a role, and evaluate identity
 * and trust policies with @cloud-copilot/iam-simulate (validated first).
 */

export type Verdict = 'Allowed' | 'Denied';
export type Context = Record<string, string | string[]>;
export interface Doc { Version: string; Statement: any[] }
export interface NamedDoc { readonly name: string; readonly doc: Doc }

/**
 * Resolves `Ref`, `Fn::GetAtt` (as `<id>.<attr>`), `Fn::Join`, `Fn::Split` and `Fn::Select` with `values`; any other
 * intrinsic, or an unknown name, throws (a policy referencing something unexpected fails the test).
 */
export function resolveIntrinsics(value: any, values: Record<string, string>): any {
  if (Array.isArray(value)) {
    return value.map(v => resolveIntrinsics(v, values));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    if (keys[0] === 'Ref') {
      return known(values, value.Ref);
    }
    if (keys[0] === 'Fn::GetAtt') {
      return known(values, `${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}`);
    }
    if (keys[0] === 'Fn::Join') {
      const [separator, parts] = value['Fn::Join'];
      return parts.map((p: any) => resolveIntrinsics(p, values)).join(separator);
    }
    if (keys[0] === 'Fn::Split') {
      const [separator, source] = value['Fn::Split'];
      return String(resolveIntrinsics(source, values)).split(separator);
    }
    if (keys[0] === 'Fn::Select') {
      const [index, list] = value['Fn::Select'];
      const resolved = resolveIntrinsics(list, values);
      if (!Array.isArray(resolved) || resolved[index] === undefined) {
        throw new Error(`Fn::Select out of range: ${JSON.stringify(value)}`);
      }
      return resolved[index];
    }
    throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(keys.map(k => [k, resolveIntrinsics(value[k], values)]));
}

function known(values: Record<string, string>, name: string): string {
  if (values[name] === undefined) {
    throw new Error(`unexpected intrinsic ${name} in a policy`);
  }
  return values[name];
}

/**
 * AWS managed policies that roles of the synthesized apps use, with their documents as AWS
 * publishes them (Lambda functions' basic execution role: their own logs only).
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
 */
const AWS_MANAGED_POLICIES: Record<string, Doc> = {
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

/** Every identity policy attached to a role: AWS managed (known ones), inline, AWS::IAM::Policy and AWS::IAM::ManagedPolicy naming it. */
export function policiesOf(template: any, roleId: string, values: Record<string, string>): NamedDoc[] {
  const resources: Record<string, any> = template.Resources;
  const role = resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') {
    throw new Error(`${roleId} is not a role`);
  }
  const found: NamedDoc[] = (role.Properties.ManagedPolicyArns ?? []).map((arn: any) => {
    const name = String(resolveIntrinsics(arn, { ...values, 'AWS::Partition': 'aws' })).replace(/^arn:aws:iam::aws:policy\//, '');
    const doc = AWS_MANAGED_POLICIES[name];
    if (doc === undefined) {
      throw new Error(`${roleId} has a managed policy the matrix cannot evaluate: ${name}`);
    }
    return { name: `${roleId}/aws:${name}`, doc };
  });
  found.push(...(role.Properties.Policies ?? []).map((p: any) => ({
    name: `${roleId}/${p.PolicyName}`, doc: resolveIntrinsics(p.PolicyDocument, values),
  })));
  for (const [id, r] of Object.entries<any>(resources)) {
    if ((r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
      && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId)) {
      found.push({ name: id, doc: resolveIntrinsics(r.Properties.PolicyDocument, values) });
    }
  }
  return found;
}

/** Validation errors of every identity policy (empty when all are valid). */
export function identityPolicyErrors(docs: NamedDoc[]): string[] {
  return docs.flatMap(d => validateIdentityPolicy(d.doc).map(e => `${d.name}: ${JSON.stringify(e)}`));
}

export interface IdentityRequest {
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly accountId: string;
  readonly context: Context;
}

/** Identity policies validated once, for many evaluations (see evaluatePrepared). */
export interface PreparedPolicies {
  readonly policies: ReadonlyArray<{ readonly name: string; readonly policy: unknown }>;
}

/** Validates identity policies (throws on an invalid one) for `evaluatePrepared`. */
export function prepareIdentity(docs: NamedDoc[]): PreparedPolicies {
  return {
    policies: docs.map(d => {
      const policy = createValidatedPolicy(d.doc, validateIdentityPolicy, { name: d.name });
      if (policy.errors.length > 0) {
        throw new Error(`invalid policy ${d.name}: ${JSON.stringify(policy.errors)}`);
      }
      return { name: d.name, policy };
    }),
  };
}

/** Evaluates identity policies with `runUnsafeSimulation` (resolves policy variables); validates first. */
export function evaluateIdentity(docs: NamedDoc[], request: IdentityRequest): Verdict {
  return evaluatePrepared(prepareIdentity(docs), request);
}

/** Evaluates prepared identity policies with `runUnsafeSimulation` (resolves policy variables). */
export function evaluatePrepared(prepared: PreparedPolicies, request: IdentityRequest): Verdict {
  const identityPolicies = prepared.policies;
  const result = runUnsafeSimulation({
    request: {
      principal: request.principalArn,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context,
    },
    identityPolicies: identityPolicies as any,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Denied';
}

/** Validation errors of a trust policy (empty when valid). */
export function trustPolicyErrors(trust: Doc): string[] {
  return [...validateTrustPolicy(trust), ...validateResourcePolicy(trust)].map(e => JSON.stringify(e));
}

/** The multi-valued key that names how an identity pool identity signed in. */
export const AMR_KEY = 'cognito-identity.amazonaws.com:amr';

function globMatches(value: string, pattern: string): boolean {
  const regex = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return regex.test(value);
}

/**
 * Whether one condition on the multi-valued `amr` key holds for the request's values, with IAM's
 * set semantics: `ForAnyValue:` needs some value to match some pattern (and fails without values),
 * `ForAllValues:` needs every value to match some pattern (and holds without values). iam-simulate
 * reads only the first value of a multi-valued context key, so the matrices decide `amr` here.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function amrConditionHolds(operator: string, patterns: string | string[], values: string | string[] | undefined): boolean {
  const [qualifier, base] = operator.includes(':') ? operator.split(':') : ['', operator];
  const list = patterns === undefined ? [] : Array.isArray(patterns) ? patterns : [patterns];
  const actual = values === undefined ? [] : Array.isArray(values) ? values : [values];
  let match: (v: string, p: string) => boolean;
  let negated = false;
  if (base === 'StringLike') {
    match = globMatches;
  } else if (base === 'StringEquals') {
    match = (v, p) => v === p;
  } else if (base === 'StringNotEquals') {
    // IAM: a negated operator holds for one value when it equals none of the policy's values.
    match = (v, p) => v === p;
    negated = true;
  } else {
    throw new Error(`the matrices do not evaluate ${operator} on ${AMR_KEY}`);
  }
  const holds = (v: string) => negated !== list.some(p => match(v, p));
  if (qualifier === 'ForAnyValue') {
    // true when at least one request value satisfies the operator (false for no values)
    return actual.some(holds);
  }
  if (qualifier === 'ForAllValues') {
    // true when every request value satisfies the operator (also true for no values)
    return actual.every(holds);
  }
  throw new Error(`${operator} on the multi-valued ${AMR_KEY} needs ForAnyValue or ForAllValues`);
}

/**
 * Decides every `amr` condition of the trust policy with IAM's set semantics (amrConditionHolds)
 * and returns the policy without them: a statement whose `amr` conditions hold keeps the rest of
 * its conditions; a statement whose `amr` conditions fail cannot match the request and is dropped.
 */
export function decideAmr(trust: Doc, amr: string | string[] | undefined): Doc {
  const statements = trust.Statement.flatMap((statement: any) => {
    const conditions: Record<string, Record<string, any>> = statement.Condition ?? {};
    const rest: Record<string, Record<string, any>> = {};
    for (const [operator, entries] of Object.entries(conditions)) {
      for (const [key, patterns] of Object.entries(entries)) {
        if (key === AMR_KEY) {
          if (!amrConditionHolds(operator, patterns, amr)) {
            return [];
          }
        } else {
          rest[operator] = { ...rest[operator], [key]: patterns };
        }
      }
    }
    const { Condition: _unused, ...withoutConditions } = statement;
    return [Object.keys(rest).length > 0 ? { ...withoutConditions, Condition: rest } : withoutConditions];
  });
  return { ...trust, Statement: statements };
}

/**
 * Evaluates a role trust policy: `amr` conditions are decided with IAM's set semantics
 * (decideAmr), then sts:AssumeRoleWithWebIdentity goes through `runSimulation` (no context key may
 * be ignored), any other action (sts:TagSession) through `runUnsafeSimulation` on the validated
 * policy (`runSimulation` drops the cognito-identity keys for that action).
 */
export async function evaluateTrust(trust: Doc, roleArn: string, accountId: string, action: string, context: Context): Promise<Verdict> {
  const errors = trustPolicyErrors(trust);
  if (errors.length > 0) {
    throw new Error(`invalid trust policy: ${errors.join('; ')}`);
  }
  const decided = decideAmr(trust, context[AMR_KEY]);
  if (decided.Statement.length === 0) {
    return 'Denied'; // no statement can match: the implicit deny
  }
  const { [AMR_KEY]: _amr, ...rest } = context;
  const request = {
    principal: 'cognito-identity.amazonaws.com',
    action,
    resource: { resource: roleArn, accountId },
    contextVariables: rest,
  };
  if (action === 'sts:AssumeRoleWithWebIdentity') {
    const response = await runSimulation({
      request, identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: decided,
    }, {});
    if (response.resultType !== 'single') {
      throw new Error(`simulation did not run: ${JSON.stringify(response)}`);
    }
    const ignored = response.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
      throw new Error(`context keys ignored by the simulation: ${ignored.join(', ')}`);
    }
    return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
  }
  const policy = createValidatedPolicy(decided, validateResourcePolicy, { name: 'trust' });
  if (policy.errors.length > 0) {
    throw new Error(`invalid trust policy: ${JSON.stringify(policy.errors)}`);
  }
  const result = runUnsafeSimulation({
    request, identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: policy,
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Denied';
}
