import { CfnOutput, CfnParameter, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { overlaps, ParsedPath, sameKeys } from './path';
import type { IFederatedIdentityPool } from '../../identity-pool/i-federated-identity-pool';
import { addValidation, invalid } from '../../private/errors';

/*
 * One rule set per resource: every access construct that names the same bucket (table, API stage)
 * in an app joins the same set, so nesting works across constructs (DESIGN.md: "All rules on one
 * bucket (table, API) form one rule set, even when several constructs add them").
 *
 * The first construct owns the set: it compiles the rules of every member and contributes the
 * statements; the others contribute none. A construct whose identity pool, or whose settings that
 * shape the statements (e.g. the KMS key), differ from the owner's is refused.
 *
 * Resources are recognised by the strings that name them in the app (a bucket's name and ARN, a
 * table's name and ARN, a stage's ARN): the same object, or imports by the same literal name, or
 * by the same deploy-time value. Names that travel through the app are followed to their source
 * (`nameKeys`): an `Fn::ImportValue` of an export of the app is the exported value, an SSM
 * parameter (`valueForStringParameter`, `valueFromLookup`) is keyed by its parameter name and,
 * when the app writes that parameter, is the written value.
 *
 * A name that cannot be followed (a CloudFormation parameter, an export or SSM parameter from
 * outside the app, an `Fn::Join` of such values) may name any resource. Two rule sets that might
 * be one resource, and whose paths nest across them (where one set would emit the Denies of the
 * inner path), are refused at synth: nesting never breaks silently. Rules on the same resource in
 * another CDK app cannot be seen.
 */

/** How a construct joins the rule set of its resource. */
export interface JoinOptions<R> {
  /** What the resource is, for messages: `bucket`, `table`, `API stage`. */
  readonly kind: string;
  /** The property that names the resource, for messages: `bucket`, `table`, `api`. */
  readonly property: string;
  /** Strings that identify the resource in the app (names, ARNs; tokens allowed). */
  readonly keys: readonly string[];
  /** The identity pool whose roles get the access. */
  readonly pool: IFederatedIdentityPool;
  /**
   * Settings that shape the compiled statements and so must be the same for every member
   * (e.g. the KMS key ARN), by name.
   */
  readonly settings: { readonly [name: string]: string | undefined };
  /** The member's rules, read when the set compiles. */
  readonly rules: () => readonly R[];
  /**
   * Whether the name is known at synth to be one resource: a literal, or a resource created in
   * the app (followed through exports and SSM parameters). A set named otherwise might be any
   * resource of its kind.
   */
  readonly provable: boolean;
  /**
   * A resource created in the app with a generated name (`Stack.of(resource).stackName`), whose
   * deployed name starts with the stack name: a literal name could be it.
   * @default - none
   */
  readonly generatedIn?: string;
  /**
   * The member's paths, read at synth: two sets that might be one resource are refused only when
   * a path of one nests in a path of the other.
   * @default - no paths: the rules never nest (tables)
   */
  readonly paths?: () => readonly ParsedPath[];
}

interface Member<R> {
  readonly construct: IConstruct;
  readonly rules: () => readonly R[];
  readonly paths?: () => readonly ParsedPath[];
}

const REGISTRIES = new WeakMap<IConstruct, Map<string, ResourceRuleSet<unknown>>>();

/**
 * The rules of one resource across every access construct of the app that names it.
 */
export class ResourceRuleSet<R> {
  /**
   * Joins (or starts) the rule set of the resource that `options.keys` name.
   */
  public static join<R>(construct: IConstruct, options: JoinOptions<R>): ResourceRuleSet<R> {
    const root = construct.node.root;
    let registry = REGISTRIES.get(root);
    if (registry === undefined) {
      registry = new Map();
      REGISTRIES.set(root, registry);
    }
    const keys = options.keys.map(k => `${options.kind}\u0000${k}`);
    const found = new Set(keys.map(k => registry!.get(k)).filter((s): s is ResourceRuleSet<unknown> => s !== undefined));
    if (found.size > 1) {
      const paths = [...found].map(s => s.owner.node.path).join(' and ');
      invalid(options.property, construct.node.path, `The ${options.kind} is already named by two separate rule sets (${paths})`,
        `Give every access construct on one ${options.kind} the same ${options.property} object.`);
    }
    let set = [...found][0] as ResourceRuleSet<R> | undefined;
    if (set === undefined) {
      set = new ResourceRuleSet<R>(construct, options);
      const others = [...new Set(registry.values())].filter(s => s.kind === options.kind);
      const created = set;
      addValidation(construct, () => others.flatMap(other => created.ambiguityWith(other, options.property)));
    } else {
      set.admit(construct, options);
    }
    for (const key of keys) {
      registry.set(key, set as ResourceRuleSet<unknown>);
    }
    return set;
  }

  /** The construct that owns the set: it compiles every member's rules. */
  public readonly owner: IConstruct;
  /** The keys that named the resource when the set started, for messages. */
  public readonly keys: readonly string[];
  /** See `JoinOptions.provable`. */
  public readonly provable: boolean;
  /** See `JoinOptions.generatedIn`. */
  public readonly generatedIn?: string;
  private readonly kind: string;
  private readonly pool: IFederatedIdentityPool;
  private readonly settings: { readonly [name: string]: string | undefined };
  private readonly members: Member<R>[] = [];

  private constructor(owner: IConstruct, options: JoinOptions<R>) {
    this.owner = owner;
    this.keys = options.keys;
    this.provable = options.provable;
    this.generatedIn = options.generatedIn;
    this.kind = options.kind;
    this.pool = options.pool;
    this.settings = options.settings;
    this.members.push({ construct: owner, rules: options.rules, paths: options.paths });
  }

  /** Whether `construct` owns the set (and so contributes its statements). */
  public isOwner(construct: IConstruct): boolean {
    return construct === this.owner;
  }

  /** Every member's rules, the owner's first, then in the order the members joined. */
  public rules(): R[] {
    return this.members.flatMap(m => [...m.rules()]);
  }

  private admit(construct: IConstruct, options: JoinOptions<R>): void {
    if (options.pool !== this.pool) {
      invalid('identityPool', options.pool.node.path,
        `${this.owner.node.path} already grants access to this ${this.kind} for identity pool ${this.pool.node.path}, and all rules on one ${this.kind} form one rule set, `
        + 'so that a more specific path decides for its subtree whichever construct adds it',
        `Use the same identity pool for every access construct on this ${this.kind}, or another ${this.kind}.`);
    }
    for (const name of new Set([...Object.keys(this.settings), ...Object.keys(options.settings)])) {
      if (this.settings[name] !== options.settings[name]) {
        invalid(name, options.settings[name], `${this.owner.node.path} grants access to the same ${this.kind} with another \`${name}\` (${this.settings[name] ?? 'none'})`,
          `Give every access construct on this ${this.kind} the same \`${name}\`.`);
      }
    }
    this.members.push({ construct, rules: options.rules, paths: options.paths });
  }

  /** Every member's paths. */
  private paths(): ParsedPath[] {
    return this.members.flatMap(m => [...(m.paths?.() ?? [])]);
  }

  /**
   * Problems when this set and `other` (an earlier set of the same kind) might name one resource
   * and their paths nest across them, so one set would miss the inner path's Denies.
   */
  private ambiguityWith(other: ResourceRuleSet<unknown>, property: string): string[] {
    if (!mightBeSame(this, other)) {
      return [];
    }
    const mine = this.paths();
    const theirs = other.paths();
    const nested = mine.flatMap(a => theirs.filter(b => overlaps(a, b) && !sameKeys(a, b)).map(b => [a, b] as const))[0];
    if (nested === undefined) {
      return [];
    }
    const [a, b] = nested;
    return [`\`${property}\`: ${this.owner.node.path} and ${other.owner.node.path} name their ${this.kind}s in ways that cannot be told apart at synth `
      + `(${describeKeys(this)} and ${describeKeys(other)}), and their paths nest (\`${a.text}\` and \`${b.text}\`): if they are one ${this.kind}, `
      + `each construct alone would miss the Denies the inner path needs, since all rules on one ${this.kind} form one rule set (received ${describeKeys(this)}). `
      + `Name the ${this.kind} the same way in every access construct (the same object, the same SSM parameter or export, or its literal name), `
      + `or, if they are different ${this.kind}s, name at least one by its literal name or by the construct that creates it.`];
  }
}

/** Whether two sets with no key in common might still name one resource. */
function mightBeSame(a: ResourceRuleSet<unknown>, b: ResourceRuleSet<unknown>): boolean {
  if (!a.provable || !b.provable) {
    return true;
  }
  // A literal name may be the generated name of a created resource (`<stack name>-<logical id>-<suffix>`;
  // `*`: any literal, as for an API's generated id).
  const literals = (set: ResourceRuleSet<unknown>) => set.keys.filter(k => k.startsWith('literal:')).map(k => k.slice('literal:'.length).toLowerCase());
  const generatedMatch = (gen: ResourceRuleSet<unknown>, lit: ResourceRuleSet<unknown>) => gen.generatedIn !== undefined
    && literals(lit).some(l => gen.generatedIn === '*' || l.startsWith(`${gen.generatedIn!.toLowerCase()}-`));
  return generatedMatch(a, b) || generatedMatch(b, a);
}

function describeKeys(set: ResourceRuleSet<unknown>): string {
  return set.keys.map(k => (Token.isUnresolved(k) ? 'a deploy-time value' : k)).filter((k, i, all) => all.indexOf(k) === i).join(', ');
}

/**
 * The literal a resource property holds, when it is known at synth: the value itself, or, for a
 * reference to a resource created in the app (`Ref`), that resource's literal property `read`
 * returns (a bucket's physical name, a stage's name). Used to recognise one resource named in
 * two ways (a created bucket with `bucketName: 'x'` and `Bucket.fromBucketName(..., 'x')`).
 */
export function literalOf(value: string, read: (target: IConstruct) => unknown): string | undefined {
  if (!Token.isUnresolved(value)) {
    return value;
  }
  const tokens = Tokenization.reverseString(value).tokens;
  const target = tokens.length === 1 && tokens[0] instanceof Reference ? tokens[0].target : undefined;
  const literal = target === undefined ? undefined : read(target);
  return typeof literal === 'string' && !Token.isUnresolved(literal) ? literal : undefined;
}

/** The literal a name holds or refers to, as a rule-set key (`literal:` keeps it apart from token keys). */
export function literalKeys(name: string, read: (target: IConstruct) => unknown): string[] {
  const literal = literalOf(name, read);
  return literal === undefined ? [] : [`literal:${literal}`];
}

/** The keys of several names of one resource (a bucket's name and ARN): provable when any of them is. */
export function namesKeys(scope: IConstruct, names: readonly string[], types: readonly string[], read: (target: IConstruct) => unknown): NameKeys {
  const all = names.map(n => nameKeys(scope, n, types, read));
  return {
    keys: [...new Set(all.flatMap(k => k.keys))],
    provable: all.some(k => k.provable),
    generatedIn: all.find(k => k.generatedIn !== undefined)?.generatedIn,
  };
}

/** The keys a name resolves to, and whether it is provably one resource (see `JoinOptions.provable`). */
export interface NameKeys {
  readonly keys: string[];
  readonly provable: boolean;
  /** The stack name of a created resource with a generated name. */
  readonly generatedIn?: string;
}

const SSM_DUMMY = 'dummy-value-for-';

/**
 * The keys of a resource name: the name itself, the literal it holds or refers to (`read` gives
 * the literal name of a created resource of one of `types`), and what it travels through in the app: an
 * `Fn::ImportValue` of a literal export name is the exporting output's value; an SSM parameter
 * (`valueForStringParameter`, `valueFromLookup`) is `ssm:<name>` and, when the app writes a
 * parameter of that name, its value.
 */
export function nameKeys(scope: IConstruct, name: string, types: readonly string[], read: (target: IConstruct) => unknown, depth = 0): NameKeys {
  const keys = [name];
  if (!Token.isUnresolved(name)) {
    keys.push(`literal:${name}`);
    if (name.startsWith(SSM_DUMMY)) {
      keys.push(`ssm:${name.slice(SSM_DUMMY.length)}`); // valueFromLookup before the lookup ran
    }
    return { keys, provable: !name.startsWith(SSM_DUMMY) };
  }
  const tokens = Tokenization.reverseString(name);
  const only = tokens.firstToken !== undefined && tokens.length === 1 ? tokens.firstToken : undefined;
  if (only instanceof Reference) {
    const target = only.target;
    if (target instanceof CfnParameter) {
      const ssmName = ssmParameterName(target);
      if (ssmName === undefined) {
        return { keys, provable: false }; // a CloudFormation parameter: any value at deploy time
      }
      keys.push(`ssm:${ssmName}`);
      const written = writtenParameter(scope, ssmName);
      if (written !== undefined && depth < 5) {
        const inner = nameKeys(scope, written, types, read, depth + 1);
        return { keys: [...keys, ...inner.keys], provable: inner.provable, generatedIn: inner.generatedIn };
      }
      return { keys, provable: false };
    }
    if (target instanceof CfnResource && types.includes(target.cfnResourceType)) {
      const literal = read(target);
      if (typeof literal === 'string' && !Token.isUnresolved(literal)) {
        keys.push(`literal:${literal}`);
        return { keys, provable: true };
      }
      return { keys, provable: true, generatedIn: Stack.of(target).stackName };
    }
    return { keys, provable: false };
  }
  const resolved = resolveIn(scope, name);
  if (typeof resolved === 'string' && !Token.isUnresolved(resolved)) {
    keys.push(`literal:${resolved}`); // a lazy value that is a literal at synth
    return { keys, provable: true };
  }
  const imported = importedExport(resolved);
  if (imported !== undefined) {
    keys.push(`export:${imported}`);
    const value = exportedValue(scope, imported);
    if (value !== undefined && depth < 5) {
      const inner = nameKeys(scope, value, types, read, depth + 1);
      return { keys: [...keys, ...inner.keys], provable: inner.provable, generatedIn: inner.generatedIn };
    }
  }
  return { keys, provable: false };
}

/** A name resolved in the scope's stack, or undefined when it cannot be. */
function resolveIn(scope: IConstruct, name: string): unknown {
  try {
    return Stack.of(scope).resolve(name);
  } catch {
    return undefined;
  }
}

/** The literal export name of a resolved `Fn::ImportValue`, if the name is one. */
function importedExport(resolved: unknown): string | undefined {
  const value = resolved !== null && typeof resolved === 'object' ? (resolved as Record<string, unknown>)['Fn::ImportValue'] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The value of the app's output exported under `exportName`, when there is one. */
function exportedValue(scope: IConstruct, exportName: string): string | undefined {
  for (const node of scope.node.root.node.findAll()) {
    if (node instanceof CfnOutput && node.exportName === exportName) {
      return typeof node.value === 'string' ? node.value : undefined;
    }
  }
  return undefined;
}

/** The SSM parameter name a CloudFormation parameter of an SSM type reads (`valueForStringParameter`). */
function ssmParameterName(parameter: CfnParameter): string | undefined {
  const type = parameter.type;
  return typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::Value<') && typeof parameter.default === 'string' && !Token.isUnresolved(parameter.default)
    ? parameter.default
    : undefined;
}

/** The value the app writes to the SSM parameter `name` (an `AWS::SSM::Parameter` with that literal name). */
function writtenParameter(scope: IConstruct, name: string): string | undefined {
  for (const node of scope.node.root.node.findAll()) {
    if (node instanceof CfnResource && node.cfnResourceType === 'AWS::SSM::Parameter') {
      const props = (node as unknown as { name?: unknown; value?: unknown });
      if (props.name === name && typeof props.value === 'string') {
        return props.value;
      }
    }
  }
  return undefined;
}
