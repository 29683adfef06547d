import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
// Types only at import: aws-lambda and aws-logs load when a directory first needs this function (issue 19).
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { admissionHandlerCode, AdmissionConfig } from './admission';
import { DirectoryTriggers } from './triggers';
import { invalid } from '../../private/errors';
import { DirectoryProvider } from '../directory-provider';
import { FederatedSignUp } from '../federated-sign-up';

/** What the directory tells its admission about itself. */
export interface AdmissionSettings {
  /** Whether anyone may sign up with the directory itself. */
  readonly selfSignUp: boolean;
  /** What happens to the trigger's log group when it leaves the stack (the directory's removal policy). */
  readonly removalPolicy: RemovalPolicy;
}

interface ProviderRule {
  readonly name: string;
  readonly signUp: FederatedSignUp;
}

/**
 * Who may sign up through the directory's federated providers: each provider's rule, and the
 * pre sign-up trigger that enforces them when a rule is more than "anyone". The trigger is a plain
 * Lambda trigger (no custom resource): inline code, a current Node.js runtime, a role that may
 * write its own log group and nothing else, invocable by this pool only.
 */
export class DirectoryAdmission {
  private readonly rules: ProviderRule[] = [];
  private fn?: lambda.Function;

  constructor(
    private readonly scope: Construct,
    private readonly triggers: DirectoryTriggers,
    private readonly settings: AdmissionSettings,
  ) {}

  /** The trigger the directory created to enforce sign-up rules, if a rule needs one. */
  public get triggerFunction(): lambda.IFunction | undefined {
    return this.fn;
  }

  /** The providers that leave sign-up to the user's own pre sign-up trigger. */
  public get ownTriggerProviders(): string[] {
    return this.rules.filter((r) => r.signUp._kind === 'ownTrigger').map((r) => r.name);
  }

  /**
   * Records the provider's sign-up rule (or its default) before the provider is created; creates
   * the trigger when the rule needs one. Throws for a social provider on an invite-only directory
   * without a rule, and when the rule cannot share the pool's one pre sign-up trigger.
   */
  public add(provider: DirectoryProvider): void {
    const name = provider.providerName;
    const signUp = provider._signUp ?? this.defaultRule(provider);
    if (signUp._kind === 'ownTrigger' && this.fn !== undefined) {
      invalid('signUp', signUp.description, `${name} leaves sign-up to your own pre sign-up trigger, but the directory already enforces ${this.enforcedRules()} with its own, and a user pool has one pre sign-up trigger`,
        'Use `FederatedSignUp.preSignUpTrigger()` for every provider with a rule and apply the rules in your function, or give this provider a rule of its own (`emailDomains`, `emails`, `anyone`).');
    }
    if (signUp._needsEmail) {
      const own = this.rules.find((r) => r.signUp._kind === 'ownTrigger');
      if (own !== undefined) {
        invalid('signUp', signUp.description, `${name}'s rule needs the directory's pre sign-up trigger, but ${own.name} leaves sign-up to your own pre sign-up trigger, and a user pool has one`,
          `Apply ${name}'s rule in your own function too and give it \`FederatedSignUp.preSignUpTrigger()\`, or give ${own.name} a rule of its own.`);
      }
      this.ensureTrigger(name, signUp);
    }
    this.rules.push({ name, signUp });
  }

  /**
   * Throws when a trigger added by the user would take the pre sign-up slot that the directory's
   * sign-up rules need.
   */
  public checkUserTrigger(operation: cognito.UserPoolOperation): void {
    if (operation.operationName === cognito.UserPoolOperation.PRE_SIGN_UP.operationName && this.fn !== undefined) {
      invalid('operation', operation.operationName, `the directory's own pre sign-up trigger enforces ${this.enforcedRules()}, and a user pool has one pre sign-up trigger`,
        'Give those providers `signUp: FederatedSignUp.preSignUpTrigger()` and apply their rules in your function (refuse a `PreSignUp_ExternalProvider` event by throwing), then add it.');
    }
  }

  /** Synth-time problems: a provider leaves sign-up to a trigger that the pool does not have. */
  public validate(): string[] {
    const own = this.rules.filter((r) => r.signUp._kind === 'ownTrigger').map((r) => r.name);
    if (own.length === 0 || this.triggers.hasTrigger(cognito.UserPoolOperation.PRE_SIGN_UP.operationName)) {
      return [];
    }
    return [`\`signUp\`: ${own.join(', ')} leave${own.length === 1 ? 's' : ''} sign-up to your own pre sign-up trigger, and the pool has none, so anyone with an account there could sign up (received FederatedSignUp.preSignUpTrigger()). `
      + 'Add it with `addTrigger(UserPoolOperation.PRE_SIGN_UP, fn)`, or give the provider a rule such as `FederatedSignUp.emailDomains(\'example.com\')`.'];
  }

  private defaultRule(provider: DirectoryProvider): FederatedSignUp {
    if (!provider._social || this.settings.selfSignUp) {
      return FederatedSignUp.anyone();
    }
    const name = provider.providerName;
    return invalid('signUp', undefined, `the directory is invite-only (\`selfSignUp\` is off), but Cognito creates a user at the first sign-in through ${name}, with the authenticated role, for anyone with an account there`,
      `State who may sign up through ${name}: \`signUp: FederatedSignUp.emailDomains('example.com')\` or \`FederatedSignUp.emails('alice@example.com')\` (enforced by a pre sign-up trigger), \`FederatedSignUp.preSignUpTrigger()\` (your own trigger decides), or \`FederatedSignUp.anyone()\` if anyone with a ${name} account may become a user.`);
  }

  private enforcedRules(): string {
    return this.rules.filter((r) => r.signUp._needsEmail).map((r) => `${r.name}'s rule (${r.signUp.description})`).join(' and ') || 'sign-up rules';
  }

  private ensureTrigger(providerName: string, signUp: FederatedSignUp): void {
    if (this.fn !== undefined) {
      return;
    }
    if (this.triggers.hasTrigger(cognito.UserPoolOperation.PRE_SIGN_UP.operationName)) {
      invalid('signUp', signUp.description, `${providerName}'s rule needs the directory's own pre sign-up trigger, but the pool already has your pre sign-up trigger, and a user pool has one`,
        `Give ${providerName} \`signUp: FederatedSignUp.preSignUpTrigger()\` and apply the rule in your function (refuse a \`PreSignUp_ExternalProvider\` event by throwing).`);
    }
    /* eslint-disable @typescript-eslint/no-require-imports */
    const logsLib: typeof logs = require('aws-cdk-lib/aws-logs');
    const lambdaLib: typeof lambda = require('aws-cdk-lib/aws-lambda');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const logGroup = new logsLib.LogGroup(this.scope, 'SignUpAdmissionLogs', {
      retention: logsLib.RetentionDays.ONE_YEAR,
      removalPolicy: this.settings.removalPolicy,
    });
    // Basic execution only: write its own log group, nothing else (no managed policy, no other service).
    // Inline, so the permission exists as soon as the role does (the function's GetAtt orders them).
    const role = new iam.Role(this.scope, 'SignUpAdmissionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'The sign-up admission trigger of a user directory: writes its own logs, nothing else',
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
        }),
      },
    });
    this.fn = new lambdaLib.Function(this.scope, 'SignUpAdmission', {
      description: 'Pre sign-up trigger: admits a federated first sign-in only if its provider\'s sign-up rule does',
      runtime: lambdaLib.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambdaLib.Code.fromInline(Lazy.string({ produce: () => admissionHandlerCode(this.config()) })),
      timeout: Duration.seconds(5),
      role,
      logGroup,
    });
    // aws-cdk-lib adds a DependsOn on the role, which the Role property's GetAtt already enforces (cfn-lint W3005).
    (this.fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride('DependsOn');
    this.triggers.add(cognito.UserPoolOperation.PRE_SIGN_UP, this.fn);
  }

  private config(): AdmissionConfig {
    return {
      providers: this.rules
        .filter((r) => r.signUp._kind !== 'ownTrigger')
        .map((r) => ({ name: r.name, rule: { kind: r.signUp._kind, values: [...r.signUp._values] } })),
    };
  }
}
