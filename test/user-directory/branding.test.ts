import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expectInvalid, newStack } from './helpers';
import {
  BrandingAsset, BrandingAssetCategory, BrandingAssetExtension, BrandingColorMode, BrandingSettings, UserDirectory,
} from '../../src/user-directory';

// The smallest files of each type, by their signatures (PNG, JPEG, ICO, WebP headers; SVG markup).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const ICO = Buffer.from([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10]);
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');

let dir: string;
function file(name: string, content: Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'branding-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const SETTINGS = {
  components: { pageBackground: { lightMode: { color: 'f2f8fdff' }, darkMode: { color: '0f1b2aff' }, image: { enabled: true } } },
  categories: { global: { colorSchemeMode: 'LIGHT', pageHeader: { enabled: false }, pageFooter: { enabled: false } } },
};

describe('managed login branding', () => {
  test('default: each web client gets Cognito\'s style', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      Assets: Match.absent(),
      Settings: Match.absent(),
    });
  });

  test('override: assets and settings replace Cognito\'s style for that client only', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });

    // WHEN
    users.addWebClient('Web', {
      callbackUrls: ['https://app.example.com/'],
      branding: {
        assets: [
          BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('logo.png', PNG)),
          BrandingAsset.fromFile(BrandingAssetCategory.PAGE_BACKGROUND, file('background.jpg', JPEG), BrandingColorMode.LIGHT),
          BrandingAsset.fromFile(BrandingAssetCategory.FAVICON_ICO, file('favicon.ico', ICO)),
          BrandingAsset.fromBase64(BrandingAssetCategory.FAVICON_SVG, BrandingAssetExtension.SVG, SVG.toString('base64')),
        ],
        settings: BrandingSettings.fromJson(JSON.stringify(SETTINGS)),
      },
    });
    users.addWebClient('Admin', { callbackUrls: ['https://admin.example.com/'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: Match.stringLikeRegexp('UsersWeb') },
      UseCognitoProvidedValues: false,
      Assets: [
        { Category: 'FORM_LOGO', ColorMode: 'DYNAMIC', Extension: 'PNG', Bytes: PNG.toString('base64') },
        { Category: 'PAGE_BACKGROUND', ColorMode: 'LIGHT', Extension: 'JPEG', Bytes: JPEG.toString('base64') },
        { Category: 'FAVICON_ICO', ColorMode: 'DYNAMIC', Extension: 'ICO', Bytes: ICO.toString('base64') },
        { Category: 'FAVICON_SVG', ColorMode: 'DYNAMIC', Extension: 'SVG', Bytes: SVG.toString('base64') },
      ],
      Settings: SETTINGS,
    });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: Match.stringLikeRegexp('UsersAdmin') },
      UseCognitoProvidedValues: true,
    });
  });

  test('settings alone, from a file', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { settings: BrandingSettings.fromFile(file('settings.json', Buffer.from(JSON.stringify(SETTINGS)))) } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: false, Settings: SETTINGS, Assets: Match.absent() });
  });

  test('fails for a file type Cognito does not take, or content that is not what the name says', () => {
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('logo.gif', Buffer.from('GIF89a'))),
      { property: 'filePath', received: 'logo.gif', fix: '`.png`' });
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('fake.png', JPEG)),
      { property: 'filePath', received: 'fake.png', fix: 'real type' });
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, path.join(dir, 'missing.png')),
      { property: 'filePath', received: 'missing.png', fix: 'existing image file' });
    expectInvalid(() => BrandingAsset.fromBase64(BrandingAssetCategory.FORM_LOGO, BrandingAssetExtension.PNG, 'not base64!'),
      { property: 'base64', received: 'not base64!', fix: 'Encode the file' });
    // the real files work
    expect(() => BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('real.svg', SVG))).not.toThrow();
  });

  test('fails for favicons of the wrong type and ICO files outside the favicon', () => {
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FAVICON_ICO, file('icon.png', PNG)),
      { property: 'category', received: 'FAVICON_ICO', fix: '`.ico`' });
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FAVICON_SVG, file('icon2.png', PNG)),
      { property: 'category', received: 'FAVICON_SVG', fix: '`.svg`' });
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('logo.ico', ICO)),
      { property: 'category', received: 'FORM_LOGO', fix: 'FAVICON_ICO' });
  });

  test('fails for an image over 750,000 bytes (1,000,000 characters of Base64); exactly the limit works', () => {
    const at = Buffer.concat([PNG, Buffer.alloc(750_000 - PNG.length)]);
    expect(BrandingAsset.fromFile(BrandingAssetCategory.PAGE_BACKGROUND, file('at.png', at)).base64.length).toBe(1_000_000);
    expectInvalid(() => BrandingAsset.fromFile(BrandingAssetCategory.PAGE_BACKGROUND, file('over.png', Buffer.concat([at, Buffer.alloc(1)]))),
      { property: 'filePath', received: '750001 bytes', fix: 'Compress' });
  });

  test('fails for colors that are not RRGGBBAA, a non-object document, bad JSON, or an unknown color scheme', () => {
    expectInvalid(() => BrandingSettings.fromJson('{"components":{"pageBackground":{"lightMode":{"color":"#ffffff"}}}}'),
      { property: 'settings.components.pageBackground.lightMode.color', received: '#ffffff', fix: '0972d3ff' });
    expectInvalid(() => BrandingSettings.fromJson('[1]'), { property: 'settings', received: '[1]', fix: 'object' });
    expectInvalid(() => BrandingSettings.fromJson('{'), { property: 'settings', received: '{', fix: 'settings document' });
    expectInvalid(() => BrandingSettings.fromJson('{"categories":{"global":{"colorSchemeMode":"SEPIA"}}}'),
      { property: 'settings.categories.global.colorSchemeMode', received: 'SEPIA', fix: 'one of them' });
    expect(() => BrandingSettings.fromJson(JSON.stringify(SETTINGS))).not.toThrow();
  });

  test('fails without a domain, with an empty style, with two images for one category and mode, or over 40 images', () => {
    const logo = BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('l.png', PNG));
    const noDomain = new UserDirectory(newStack(), 'Users');
    expectInvalid(() => noDomain.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], branding: { assets: [logo] } }),
      { property: 'branding', received: 'Web', fix: 'domainPrefix' });
    const users = new UserDirectory(newStack(), 'Users', { domainPrefix: 'notes-auth' });
    expectInvalid(() => users.addWebClient('A', { callbackUrls: ['https://app.example.com/'], branding: {} }),
      { property: 'branding', received: '{}', fix: 'assets' });
    expectInvalid(() => users.addWebClient('B', { callbackUrls: ['https://app.example.com/'], branding: { assets: [logo, logo] } }),
      { property: 'branding.assets', received: 'FORM_LOGO/DYNAMIC', fix: 'one image' });
    const many = Array.from({ length: 41 }, () => logo);
    expectInvalid(() => users.addWebClient('C', { callbackUrls: ['https://app.example.com/'], branding: { assets: many } }),
      { property: 'branding.assets', received: '41 images', fix: 'DYNAMIC' });
    // one logo per mode works
    expect(() => users.addWebClient('D', {
      callbackUrls: ['https://app.example.com/'],
      branding: { assets: [BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('light.png', PNG), BrandingColorMode.LIGHT), BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, file('dark.png', PNG), BrandingColorMode.DARK)] },
    })).not.toThrow();
  });

  test('fails at synth when the images of the directory exceed the template size CloudFormation reads', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    const big = BrandingAsset.fromFile(BrandingAssetCategory.PAGE_BACKGROUND, file('big.png', Buffer.concat([PNG, Buffer.alloc(600_000)])));
    users.addWebClient('A', { callbackUrls: ['https://app.example.com/'], branding: { assets: [big] } });
    users.addWebClient('B', { callbackUrls: ['https://app.example.com/'], branding: { assets: [big] } });
    expect(() => app.synth()).toThrow(/`branding`: the web clients' branding images add 1600\d+ characters of Base64 to the template, and CloudFormation reads templates of at most 1000000 bytes/);
  });
});
