import { Lazy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { checkQuota, COGNITO_QUOTAS } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS, USER_WRITABLE_STANDARD_ATTRIBUTES } from '../defaults';
import { CustomAttributeOptions } from '../user-directory-props';

const CUSTOM_ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,20}$/;

interface CustomAttributeEntry {
  readonly name: string;
  readonly userWritable: boolean;
  readonly schema: cognito.CfnUserPool.SchemaAttributeProperty;
}

/**
 * The directory's custom attributes: their checks, the pool schema they render to, and which of
 * them users may write through the web clients.
 */
export class CustomAttributes {
  private readonly attributes = new Map<string, CustomAttributeEntry>();
  /** The standard attributes aws-cdk-lib puts in the pool's schema (email when it is required); they count towards its 50 entries. */
  private standardSchemaAttributes: string[] = [];

  /** Checks the name, quota and lengths, then records the attribute for the schema. */
  public add(name: string, options: CustomAttributeOptions): void {
    if (!CUSTOM_ATTRIBUTE_NAME.test(name)) {
      invalid('name', name, 'a custom attribute name is 1-20 letters, digits, `_` or `-`, without the `custom:` prefix', 'Use a name such as `tenant`.');
    }
    if (this.attributes.has(name)) {
      invalid('name', name, 'the directory already has this custom attribute', 'Add each attribute once.');
    }
    checkQuota(COGNITO_QUOTAS.customAttributesPerUserPool, this.attributes.size + 1, 'name', `custom attribute \`${name}\``,
      'Store the rest elsewhere (e.g. a DynamoDB table keyed by the user).');
    checkQuota(COGNITO_QUOTAS.schemaAttributesPerUserPool, this.standardSchemaAttributes.length + this.attributes.size + 1, 'name',
      `custom attribute \`${name}\` (the schema holds ${this.standardSchemaAttributes.join(', ')} and the custom attributes)`,
      'Store the rest elsewhere (e.g. a DynamoDB table keyed by the user).');
    const minLength = options.minLength ?? 1;
    const maxLength = options.maxLength ?? USER_DIRECTORY_DEFAULTS.customAttributeMaxLength;
    if (!Number.isInteger(minLength) || minLength < 0 || !Number.isInteger(maxLength) || maxLength < 1 || maxLength > 2048 || minLength > maxLength) {
      invalid('maxLength', { minLength, maxLength }, 'lengths must be whole numbers with 0 <= minLength <= maxLength <= 2048', 'Fix `minLength` and `maxLength`.');
    }
    this.attributes.set(name, {
      name,
      userWritable: options.userWritable ?? false,
      schema: {
        name,
        attributeDataType: 'String',
        mutable: options.mutable ?? true,
        stringAttributeConstraints: { minLength: String(minLength), maxLength: String(maxLength) },
      },
    });
  }

  /**
   * Appends the custom attributes to the pool's schema at synth (they can be added after the
   * pool is constructed).
   */
  public renderInto(cfnPool: cognito.CfnUserPool): void {
    const baseSchema = cfnPool.schema;
    const standard = Array.isArray(baseSchema) ? baseSchema : [];
    this.standardSchemaAttributes = standard.map((a) => String((a as cognito.CfnUserPool.SchemaAttributeProperty).name));
    cfnPool.schema = Lazy.any({
      produce: () => {
        const base = Array.isArray(baseSchema) ? baseSchema : [];
        const custom = [...this.attributes.values()].map((a) => a.schema);
        return base.length + custom.length === 0 ? undefined : [...base, ...custom];
      },
    });
  }

  /** The attributes users may write through the web clients: standard ones and `userWritable` custom ones. */
  public writableAttributes(): string[] {
    const custom = [...this.attributes.values()].filter((a) => a.userWritable).map((a) => `custom:${a.name}`);
    return [...USER_WRITABLE_STANDARD_ATTRIBUTES, ...custom];
  }

  /** Whether `attribute` (a claim name) is a custom attribute created with `mutable: false`. */
  public isImmutable(attribute: string): boolean {
    return attribute.startsWith('custom:')
      && this.attributes.get(attribute.slice('custom:'.length))?.schema.mutable === false;
  }
}
