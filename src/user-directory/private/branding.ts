import * as cognito from 'aws-cdk-lib/aws-cognito';
import { invalid } from '../../private/errors';
import { ManagedLoginBranding } from '../branding';

/** ManagedLoginBrandingType.Assets: at most 40 images per style. */
const MAX_ASSETS = 40;
/**
 * CloudFormation reads a template of at most 1 MB (from S3): the images are inline in it, so
 * a directory's images must leave room for the rest of the stack.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_TEMPLATE_BYTES = 1_000_000;

/** The `CfnManagedLoginBranding` props of a web client: Cognito's style, or the one given. */
export function brandingPropsOf(branding: ManagedLoginBranding | undefined): Partial<cognito.CfnManagedLoginBrandingProps> {
  if (branding === undefined) {
    // Managed login (version 2) shows nothing for a client without a branding style.
    return { useCognitoProvidedValues: true };
  }
  const assets = branding.assets ?? [];
  if (assets.length === 0 && branding.settings === undefined) {
    invalid('branding', '{}', 'a branding style needs assets or settings', 'Give `assets` or `settings`, or leave `branding` out for Cognito\'s style.');
  }
  if (assets.length > MAX_ASSETS) {
    invalid('branding.assets', `${assets.length} images`, `a managed login style holds at most ${MAX_ASSETS} images (ManagedLoginBrandingType.Assets)`, 'Drop images, e.g. use `BrandingColorMode.DYNAMIC` for one image in every mode.');
  }
  const seen = new Set<string>();
  for (const asset of assets) {
    const key = `${asset.category}/${asset.colorMode}`;
    if (seen.has(key)) {
      invalid('branding.assets', key, 'managed login shows one image per category and color mode', 'Keep one image for each category and color mode.');
    }
    seen.add(key);
  }
  return {
    useCognitoProvidedValues: false,
    assets: assets.length > 0
      ? assets.map((a) => ({ category: a.category, colorMode: a.colorMode, extension: a.extension, bytes: a.base64 }))
      : undefined,
    settings: branding.settings?._document,
  };
}

/** The characters the images of the branding styles add to the template. */
export function brandingBytes(branding: ManagedLoginBranding | undefined): number {
  return (branding?.assets ?? []).reduce((sum, a) => sum + a.base64.length, 0);
}
