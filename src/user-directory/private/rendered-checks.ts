import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { describeValue } from '../../private/errors';
import { isSocialProviderType, renderedPoolResources, renderedProperties } from '../claims';

/*
 * Synth-time checks of what CloudFormation will receive (escape hatches included), for the
 * promises the constructs make before synth: an invite-only directory admits nobody through a
 * social provider without a rule, and the admission trigger is the pool's pre sign-up trigger.
 */

/** The `DirectoryProvider` factory for each social provider type. */
const FACTORY: Record<string, string> = { Google: 'google', Facebook: 'facebook', SignInWithApple: 'apple', LoginWithAmazon: 'amazon' };

/** The pool's properties as rendered, for a pool created in the app; undefined otherwise. */
function renderedPoolProperties(userPool: cognito.IUserPool): Record<string, unknown> | undefined {
  const cfn = userPool.node.defaultChild;
  return CfnResource.isCfnResource(cfn) && cfn.cfnResourceType === 'AWS::Cognito::UserPool' ? renderedProperties(cfn) : undefined;
}

/**
 * Social identity providers of the pool created outside `addIdentityProvider()` (L2
 * `UserPoolIdentityProvider*` on `users.userPool`, L1 or bare `CfnResource`, in any stack) while
 * the rendered pool is invite-only: Cognito creates a user at their users' first sign-in, and no
 * sign-up rule of the directory applies to them. A provider type known only at deploy time counts
 * as social. OIDC and SAML providers admit their organization's users, as the directory's own do.
 */
export function outsideSocialProviderProblems(directory: IConstruct, userPool: cognito.IUserPool, ownProviders: readonly IConstruct[]): string[] {
  const pool = renderedPoolProperties(userPool);
  const adminOnly = (pool?.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: unknown } | undefined)?.AllowAdminCreateUserOnly;
  if (adminOnly !== true) {
    return [];
  }
  const own = (node: IConstruct) => ownProviders.some((p) => node.node.scopes.includes(p));
  return renderedPoolResources(directory, userPool).providers
    .filter((p) => !own(p.resource) && isSocialProviderType(p.properties.ProviderType))
    .map((p) => {
      const type = p.properties.ProviderType;
      const factory = typeof type === 'string' ? FACTORY[type] : undefined;
      const add = factory === undefined ? 'DirectoryProvider.google(...)' : `DirectoryProvider.${factory}(...)`;
      return `\`identityProvider\`: ${p.resource.node.path} is a social provider of ${directory.node.path}'s pool created outside \`addIdentityProvider()\`; `
        + 'the directory is invite-only (`selfSignUp` is off), but Cognito creates a user at the first sign-in through it, with the authenticated role, '
        + `for anyone with an account there, and no sign-up rule applies (received ProviderType ${describeValue(type)}). `
        + `Remove it and add it with \`addIdentityProvider(${add.replace('(...)', '({ ..., signUp: FederatedSignUp.emailDomains(\'example.com\') })')})\``
        + ' (or `FederatedSignUp.emails(...)`, `preSignUpTrigger()`, or `anyone()` if anyone with an account there may become a user).';
    });
}

/**
 * The rendered pool's pre sign-up trigger: the admission function when the directory created one,
 * and present when a provider leaves sign-up to the user's own trigger. An override of
 * `LambdaConfig` that unwires it would let anyone with an account at a provider sign up.
 */
export function preSignUpProblems(userPool: cognito.IUserPool, admissionFunction: lambda.IFunction | undefined,
  ownTriggerProviders: readonly string[]): string[] {
  const pool = renderedPoolProperties(userPool);
  if (pool === undefined || (admissionFunction === undefined && ownTriggerProviders.length === 0)) {
    return [];
  }
  const rendered = (pool.LambdaConfig as { PreSignUp?: unknown } | undefined)?.PreSignUp;
  if (admissionFunction !== undefined) {
    const expected = Stack.of(userPool).resolve(admissionFunction.functionArn);
    if (JSON.stringify(rendered) !== JSON.stringify(expected)) {
      return [`\`LambdaConfig.PreSignUp\`: the pool's pre sign-up trigger must be the directory's admission function (${admissionFunction.node.path}), which enforces its providers' sign-up rules, `
        + `but the rendered pool has another one or none, so anyone with an account at those providers could sign up (received ${describeValue(rendered)}). `
        + 'Remove the escape hatch on the pool\'s `LambdaConfig`; to run your own pre sign-up code, give the providers `signUp: FederatedSignUp.preSignUpTrigger()` and add your function with `addTrigger()`.'];
    }
    return [];
  }
  if (rendered === undefined || rendered === null) {
    return [`\`LambdaConfig.PreSignUp\`: ${ownTriggerProviders.join(', ')} leave${ownTriggerProviders.length === 1 ? 's' : ''} sign-up to your own pre sign-up trigger, `
      + 'but the rendered pool has none, so anyone with an account there could sign up (received undefined). '
      + 'Remove the escape hatch on the pool\'s `LambdaConfig`, or add your function with `addTrigger(UserPoolOperation.PRE_SIGN_UP, fn)`.'];
  }
  return [];
}
