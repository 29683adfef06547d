/**
 * What keeps a stack from deploying with nothing prepared outside it, or from being destroyed
 * cleanly by `integ-runner`: a pure check over one template.
 */

const KEEPS = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];
const RESOLVE_SECRET = '{{resolve:secretsmanager:';
/** The oldest Node.js Lambda runtime the integ stacks may use (nodejs20.x: creation disabled 2026-06-01). */
const OLDEST_NODEJS = 22;

/** Reasons why the template does not deploy on its own or destroy cleanly, one per finding. */
export function destroyProblems(template: any): string[] {
  const resources: Record<string, any> = template.Resources ?? {};
  const problems: string[] = [];
  const typeOf = (ref: unknown) => (typeof ref === 'object' && ref !== null && 'Ref' in ref ? resources[(ref as { Ref: string }).Ref]?.Type : undefined);
  const emptiedBuckets = new Set(Object.values(resources)
    .filter(r => r.Type === 'Custom::S3AutoDeleteObjects')
    .map(r => r.Properties?.BucketName?.Ref));

  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      if (KEEPS.includes(resource[policy])) {
        problems.push(`${id} (${resource.Type}): ${policy} ${resource[policy]} leaves it behind`);
      }
    }
    switch (resource.Type) {
      case 'AWS::Cognito::UserPool':
        if (props.DeletionProtection === 'ACTIVE') {
          problems.push(`${id} (${resource.Type}): deletion protection is on`);
        }
        break;
      case 'AWS::DynamoDB::Table':
        if (props.DeletionProtectionEnabled === true) {
          problems.push(`${id} (${resource.Type}): deletion protection is on`);
        }
        break;
      case 'AWS::DynamoDB::GlobalTable':
        if ((props.Replicas ?? []).some((r: any) => r.DeletionProtectionEnabled === true)) {
          problems.push(`${id} (${resource.Type}): deletion protection is on`);
        }
        break;
      case 'AWS::S3::Bucket':
        if (!emptiedBuckets.has(id)) {
          problems.push(`${id} (${resource.Type}): nothing empties it, so deleting it fails once it holds an object (server access logs included)`);
        }
        break;
      case 'AWS::Cognito::UserPoolIdentityProvider':
        if (props.ProviderType === 'SAML' && props.ProviderDetails?.MetadataURL !== undefined) {
          problems.push(`${id} (${resource.Type}): Cognito must reach the SAML metadata URL ${JSON.stringify(props.ProviderDetails.MetadataURL)} at create time; give the metadata document instead`);
        }
        if (props.ProviderType === 'OIDC') {
          problems.push(`${id} (${resource.Type}): Cognito must reach the OIDC issuer ${JSON.stringify(props.ProviderDetails?.oidc_issuer)} at create time`);
        }
        break;
      case 'AWS::Lambda::Function': {
        const runtime = /^nodejs(\d+)\.x$/.exec(props.Runtime ?? '');
        if (runtime !== null && Number(runtime[1]) < OLDEST_NODEJS) {
          problems.push(`${id} (${resource.Type}): runtime ${props.Runtime} is deprecated, use nodejs${OLDEST_NODEJS}.x or newer`);
        }
        break;
      }
    }
  }

  // A dynamic reference must name a secret this stack creates: `{{resolve:secretsmanager:` + Ref.
  const walk = (node: unknown, where: string): void => {
    if (typeof node === 'string') {
      if (node.includes(RESOLVE_SECRET)) {
        problems.push(`${where}: ${JSON.stringify(node)} resolves a secret this stack does not create`);
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${where}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') {
      return;
    }
    const join = (node as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      const parts: unknown[] = join[1];
      parts.forEach((part, i) => {
        if (typeof part === 'string' && part.endsWith(RESOLVE_SECRET) && part.indexOf(RESOLVE_SECRET) === part.length - RESOLVE_SECRET.length) {
          if (typeOf(parts[i + 1]) !== 'AWS::SecretsManager::Secret') {
            problems.push(`${where}: resolves ${JSON.stringify(parts[i + 1])}, which is not a secret this stack creates`);
          }
        } else {
          walk(part, `${where}/Fn::Join/${i}`);
        }
      });
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      walk(value, `${where}/${key}`);
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    walk(resource.Properties, id);
  }
  return problems;
}
