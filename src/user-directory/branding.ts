import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { invalid } from '../private/errors';

/**
 * Where managed login shows an image (`AssetType.Category`).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssetType.html
 */
export enum BrandingAssetCategory {
  /** The browser tab icon, as an ICO file. */
  FAVICON_ICO = 'FAVICON_ICO',
  /** The browser tab icon, as an SVG file. */
  FAVICON_SVG = 'FAVICON_SVG',
  /** The graphic of the email one-time code page. */
  EMAIL_GRAPHIC = 'EMAIL_GRAPHIC',
  /** The graphic of the SMS one-time code page. */
  SMS_GRAPHIC = 'SMS_GRAPHIC',
  /** The graphic of the authenticator app (TOTP) page. */
  AUTH_APP_GRAPHIC = 'AUTH_APP_GRAPHIC',
  /** The graphic of the password page. */
  PASSWORD_GRAPHIC = 'PASSWORD_GRAPHIC',
  /** The graphic of the passkey page. */
  PASSKEY_GRAPHIC = 'PASSKEY_GRAPHIC',
  /** The logo in the page header. */
  PAGE_HEADER_LOGO = 'PAGE_HEADER_LOGO',
  /** The background of the page header. */
  PAGE_HEADER_BACKGROUND = 'PAGE_HEADER_BACKGROUND',
  /** The logo in the page footer. */
  PAGE_FOOTER_LOGO = 'PAGE_FOOTER_LOGO',
  /** The background of the page footer. */
  PAGE_FOOTER_BACKGROUND = 'PAGE_FOOTER_BACKGROUND',
  /** The background of the whole page. */
  PAGE_BACKGROUND = 'PAGE_BACKGROUND',
  /** The background of the sign-in form. */
  FORM_BACKGROUND = 'FORM_BACKGROUND',
  /** The logo on the sign-in form. */
  FORM_LOGO = 'FORM_LOGO',
  /** The icon on the buttons of the identity providers. */
  IDP_BUTTON_ICON = 'IDP_BUTTON_ICON',
}

/**
 * When managed login shows an image (`AssetType.ColorMode`).
 */
export enum BrandingColorMode {
  /** Only in light mode. */
  LIGHT = 'LIGHT',
  /** Only in dark mode. */
  DARK = 'DARK',
  /** In every mode (browser-adaptive). */
  DYNAMIC = 'DYNAMIC',
}

/**
 * The file types managed login takes (`AssetType.Extension`).
 */
export enum BrandingAssetExtension {
  /** An icon file, for `FAVICON_ICO` only. */
  ICO = 'ICO',
  /** A JPEG image. */
  JPEG = 'JPEG',
  /** A PNG image. */
  PNG = 'PNG',
  /** An SVG image. */
  SVG = 'SVG',
  /** A WebP image. */
  WEBP = 'WEBP',
}

/** AssetType.Bytes: at most 1,000,000 characters of Base64, so 750,000 bytes of file. */
const MAX_BASE64_LENGTH = 1_000_000;
const MAX_FILE_BYTES = (MAX_BASE64_LENGTH / 4) * 3;

const EXTENSIONS: Record<string, BrandingAssetExtension> = {
  '.ico': BrandingAssetExtension.ICO,
  '.jpg': BrandingAssetExtension.JPEG,
  '.jpeg': BrandingAssetExtension.JPEG,
  '.png': BrandingAssetExtension.PNG,
  '.svg': BrandingAssetExtension.SVG,
  '.webp': BrandingAssetExtension.WEBP,
};

/**
 * An image of a managed login branding style: a logo, a background, a favicon or a graphic,
 * checked at synth against what Cognito accepts (file type, category, size).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssetType.html
 *
 * @example
 * /// fixture=api
 * users.addWebClient('Web', {
 *   callbackUrls: ['https://app.example.com/'],
 *   branding: { assets: [BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, 'assets/logo.svg')] },
 * });
 */
export class BrandingAsset {
  /**
   * An image file, read at synth. The file type comes from the name (`.png`, `.jpg`, `.jpeg`,
   * `.svg`, `.ico`, `.webp`) and must match the file's content; at most 750,000 bytes (Cognito
   * takes 1,000,000 characters of Base64).
   *
   * @param category where managed login shows it
   * @param filePath the image file
   * @param colorMode when it shows; default `BrandingColorMode.DYNAMIC` (every mode)
   *
   * @example
   * /// fixture=api
   * const background = BrandingAsset.fromFile(BrandingAssetCategory.PAGE_BACKGROUND, 'assets/background-dark.jpg', BrandingColorMode.DARK);
   * users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { assets: [background] } });
   */
  public static fromFile(category: BrandingAssetCategory, filePath: string, colorMode?: BrandingColorMode): BrandingAsset {
    const extension = EXTENSIONS[path.extname(filePath).toLowerCase()];
    if (extension === undefined) {
      invalid('filePath', filePath, 'managed login takes PNG, JPEG, SVG, WebP and (for the favicon) ICO files',
        'Use a file ending in `.png`, `.jpg`, `.jpeg`, `.svg`, `.webp` or `.ico`.');
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(filePath);
    } catch (e) {
      return invalid('filePath', filePath, `the file cannot be read (${(e as Error).message})`, 'Pass the path of an existing image file.');
    }
    if (!contentMatches(extension, bytes)) {
      invalid('filePath', filePath, `the file's content is not a ${extension} image`, 'Convert the image, or name it after its real type.');
    }
    return new BrandingAsset(category, extension, bytes, colorMode ?? BrandingColorMode.DYNAMIC, filePath);
  }

  /**
   * An image given as Base64 (for example from `DescribeManagedLoginBranding`).
   *
   * @param category where managed login shows it
   * @param extension the file type
   * @param base64 the file, Base64-encoded
   * @param colorMode when it shows; default `BrandingColorMode.DYNAMIC` (every mode)
   *
   * @example
   * /// fixture=api
   * const logo = BrandingAsset.fromBase64(BrandingAssetCategory.FORM_LOGO, BrandingAssetExtension.SVG,
   *   'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=');
   * users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { assets: [logo] } });
   */
  public static fromBase64(category: BrandingAssetCategory, extension: BrandingAssetExtension, base64: string,
    colorMode?: BrandingColorMode): BrandingAsset {
    if (Token.isUnresolved(base64)) {
      return new BrandingAsset(category, extension, undefined, colorMode ?? BrandingColorMode.DYNAMIC, 'base64', base64);
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0 || base64.length === 0) {
      invalid('base64', `${base64.slice(0, 20)}...`, 'not Base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4)', 'Encode the file with `base64` or `Buffer.toString(\'base64\')`.');
    }
    const bytes = Buffer.from(base64, 'base64');
    if (!contentMatches(extension, bytes)) {
      invalid('base64', `${base64.slice(0, 20)}...`, `the content is not a ${extension} image`, 'Pass the extension of the encoded file.');
    }
    return new BrandingAsset(category, extension, bytes, colorMode ?? BrandingColorMode.DYNAMIC, 'base64');
  }

  /** Where managed login shows the image. */
  public readonly category: BrandingAssetCategory;
  /** The file type. */
  public readonly extension: BrandingAssetExtension;
  /** When managed login shows the image. */
  public readonly colorMode: BrandingColorMode;
  /** The image, Base64-encoded, as the template holds it. */
  public readonly base64: string;

  private constructor(category: BrandingAssetCategory, extension: BrandingAssetExtension, bytes: Buffer | undefined,
    colorMode: BrandingColorMode, source: string, base64?: string) {
    if (category === BrandingAssetCategory.FAVICON_ICO && extension !== BrandingAssetExtension.ICO) {
      invalid('category', category, `the ICO favicon must be an ICO file, and ${source} is ${extension}`, 'Use an `.ico` file, or `BrandingAssetCategory.FAVICON_SVG` for an SVG.');
    }
    if (category === BrandingAssetCategory.FAVICON_SVG && extension !== BrandingAssetExtension.SVG) {
      invalid('category', category, `the SVG favicon must be an SVG file, and ${source} is ${extension}`, 'Use an `.svg` file, or `BrandingAssetCategory.FAVICON_ICO` for an ICO.');
    }
    if (extension === BrandingAssetExtension.ICO && category !== BrandingAssetCategory.FAVICON_ICO) {
      invalid('category', category, `ICO files are for the favicon only, and ${source} is an ICO file`, 'Use `BrandingAssetCategory.FAVICON_ICO`, or a PNG, JPEG, SVG or WebP file.');
    }
    if (bytes !== undefined && bytes.length > MAX_FILE_BYTES) {
      invalid('filePath', `${source} (${bytes.length} bytes)`, `Cognito takes images of at most ${MAX_FILE_BYTES} bytes (${MAX_BASE64_LENGTH} characters of Base64, AssetType.Bytes)`,
        'Compress or resize the image, or use an SVG.');
    }
    this.category = category;
    this.extension = extension;
    this.colorMode = colorMode;
    this.base64 = base64 ?? bytes!.toString('base64');
  }
}

/** Whether the bytes start the way a file of the type does (its signature). */
function contentMatches(extension: BrandingAssetExtension, bytes: Buffer): boolean {
  const startsWith = (...signature: number[]) => signature.every((b, i) => bytes[i] === b);
  switch (extension) {
    case BrandingAssetExtension.PNG:
      return startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case BrandingAssetExtension.JPEG:
      return startsWith(0xff, 0xd8, 0xff);
    case BrandingAssetExtension.ICO:
      return startsWith(0x00, 0x00, 0x01, 0x00);
    case BrandingAssetExtension.WEBP:
      return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
    case BrandingAssetExtension.SVG:
      return /<svg[\s>]/.test(bytes.subarray(0, 4096).toString('utf8'));
    default:
      return false;
  }
}

/**
 * The settings document of a managed login branding style (colors, layout, fonts), as the
 * branding editor of the Cognito console exports it (`DescribeManagedLoginBrandingByClient`,
 * `Settings`). Checked at synth: a JSON object whose colors are `RRGGBBAA` hex strings.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingdesigner.html
 *
 * @example
 * /// fixture=api
 * users.addWebClient('Web', {
 *   callbackUrls: ['https://app.example.com/'],
 *   branding: { settings: BrandingSettings.fromFile('assets/branding-settings.json') }, // exported from the branding editor
 * });
 */
export class BrandingSettings {
  /**
   * Settings from a JSON string.
   *
   * @param json the settings document, e.g. `{"components":{"pageBackground":{"lightMode":{"color":"ffffffff"}}}}`
   *
   * @example
   * /// fixture=api
   * const settings = BrandingSettings.fromJson(JSON.stringify({
   *   components: { pageBackground: { lightMode: { color: 'f4f4f4ff' } } },
   * }));
   * users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { settings } });
   */
  public static fromJson(json: string): BrandingSettings {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      return invalid('settings', `${json.slice(0, 40)}...`, `not JSON (${(e as Error).message})`, 'Pass the settings document the branding editor exports.');
    }
    return new BrandingSettings(parsed);
  }

  /**
   * Settings from a JSON file, read at synth.
   *
   * @param filePath the settings document
   *
   * @example
   * /// fixture=api
   * const settings = BrandingSettings.fromFile('assets/branding-settings.json');
   * users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { settings } });
   */
  public static fromFile(filePath: string): BrandingSettings {
    let json: string;
    try {
      json = fs.readFileSync(filePath, 'utf8');
    } catch (e) {
      return invalid('settings', filePath, `the file cannot be read (${(e as Error).message})`, 'Pass the path of the settings JSON file.');
    }
    return BrandingSettings.fromJson(json);
  }

  /**
   * The settings document, as the template holds it.
   * @internal
   */
  public readonly _document: object;

  private constructor(document: unknown) {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      invalid('settings', JSON.stringify(document), 'the settings document is a JSON object', 'Pass an object such as `{"components": {...}, "categories": {...}}`.');
    }
    checkColors(document, 'settings');
    const mode = member(member(member(document, 'categories'), 'global'), 'colorSchemeMode');
    if (mode !== undefined && !['LIGHT', 'DARK', 'DYNAMIC'].includes(String(mode))) {
      invalid('settings.categories.global.colorSchemeMode', mode, 'the color scheme is LIGHT, DARK or DYNAMIC', 'Use one of them, or leave it out.');
    }
    this._document = document as object;
  }
}

/** `node[key]` when node is an object, else undefined. */
function member(node: unknown, key: string): unknown {
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
}

/** Colors in the settings are hex RRGGBBAA (the branding editor's format, e.g. `0972d3ff`). */
function checkColors(node: unknown, where: string): void {
  if (node === null || typeof node !== 'object') {
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    const at = Array.isArray(node) ? `${where}[${key}]` : `${where}.${key}`;
    if (typeof value === 'string' && /colou?r$/i.test(key) && !/^[0-9a-fA-F]{8}$/.test(value)) {
      invalid(at, value, 'managed login colors are 8 hex digits, red, green, blue and alpha (RRGGBBAA)', `Write e.g. \`"${at.split('.').pop()}": "0972d3ff"\` (\`ff\`: opaque), without \`#\`.`);
    }
    checkColors(value, at);
  }
}

/**
 * A managed login branding style of a web client: images and settings.
 *
 * @example
 * /// fixture=api
 * const branding: ManagedLoginBranding = {
 *   assets: [BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, 'assets/logo.svg')],
 *   settings: BrandingSettings.fromFile('assets/branding-settings.json'),
 * };
 * users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding });
 */
export interface ManagedLoginBranding {
  /**
   * The images: logos, backgrounds, favicon and graphics; at most 40, one per category and color mode.
   *
   * @default - none
   */
  readonly assets?: BrandingAsset[];

  /**
   * The settings document: colors, layout, fonts.
   *
   * @default - none: the style sets only the images
   */
  readonly settings?: BrandingSettings;
}
