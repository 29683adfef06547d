import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { IFederatedIdentityPool } from '../../identity-pool/federated-identity-pool';
import { invalid } from '../../private/errors';

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
 * by the same deploy-time value. Rules on the same resource in another CDK app cannot be seen.
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
}

interface Member<R> {
  readonly construct: IConstruct;
  readonly rules: () => readonly R[];
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
  private readonly kind: string;
  private readonly pool: IFederatedIdentityPool;
  private readonly settings: { readonly [name: string]: string | undefined };
  private readonly members: Member<R>[] = [];

  private constructor(owner: IConstruct, options: JoinOptions<R>) {
    this.owner = owner;
    this.kind = options.kind;
    this.pool = options.pool;
    this.settings = options.settings;
    this.members.push({ construct: owner, rules: options.rules });
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
    this.members.push({ construct, rules: options.rules });
  }
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
