import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { expectInvalid, newStack } from './helpers';
import { SignInFactor, UserDirectory } from '../../src/user-directory';

const US_EAST_1 = { account: '123456789012', region: 'us-east-1' };
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

function zoneIn(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
}

describe('custom domain with its certificate and DNS', () => {
  test('default with a hosted zone in us-east-1: a DNS-validated certificate, a managed login v2 domain and an alias record, no custom resource', () => {
    // GIVEN
    const stack = newStack({ env: US_EAST_1 });
    const zone = zoneIn(stack);

    // WHEN
    const users = new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', hostedZone: zone } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'auth.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'auth.example.com', HostedZoneId: 'Z0123456789' }],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'auth.example.com',
      ManagedLoginVersion: 2,
      CustomDomainConfig: { CertificateArn: { Ref: Match.stringLikeRegexp('UsersDomainCertificate') } },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'auth.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('UsersDomain'), 'CloudFrontDistribution'] },
        HostedZoneId: Match.anyValue(),
      },
    });
    // No DnsValidatedCertificate or UserPoolDomainTarget custom resource: no Lambda at all.
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter((t: string) => t.startsWith('Custom::'))).toEqual([]);
    expect(users.domainCertificate).toBeDefined();
    expect(users.domainAliasRecord).toBeDefined();
  });

  test('override: a given certificate from us-east-1 is used as is, and the stack may be in another region', () => {
    // GIVEN
    const stack = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);

    // WHEN
    const users = new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', certificate, hostedZone: zoneIn(stack) } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { CustomDomainConfig: { CertificateArn: CERT_ARN } });
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    expect(users.domainCertificate).toBe(certificate);
  });

  test('without a hosted zone no record is created (the domain points to domain.cloudFrontEndpoint by hand)', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    const users = new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', certificate } });
    Template.fromStack(stack).resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(users.domainAliasRecord).toBeUndefined();
  });

  test('a certificate made in a us-east-1 stack of the app is accepted from a stack in another region', () => {
    // GIVEN
    const app = new App();
    const certStack = new Stack(app, 'Certs', { env: US_EAST_1, crossRegionReferences: true });
    const zone = zoneIn(certStack);
    const certificate = new acm.Certificate(certStack, 'Cert', { domainName: 'auth.example.com', validation: acm.CertificateValidation.fromDns(zone) });
    const stack = new Stack(app, 'Auth', { env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true });

    // WHEN / THEN
    expect(() => new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', certificate } })).not.toThrow();
  });

  test('the passkey relying party id still never follows the domain by itself', () => {
    const stack = newStack({ env: US_EAST_1 });
    expectInvalid(() => new UserDirectory(stack, 'Users', {
      signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
      customDomain: { domainName: 'auth.example.com', hostedZone: zoneIn(stack) },
    }), { property: 'passkeyRelyingPartyId', received: 'undefined', fix: 'passkeyRelyingPartyId' });
  });

  test('fails to create a certificate outside us-east-1, or in an environment-agnostic stack', () => {
    const regional = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    expectInvalid(() => new UserDirectory(regional, 'Users', { customDomain: { domainName: 'auth.example.com', hostedZone: zoneIn(regional) } }),
      { property: 'customDomain.certificate', received: 'undefined', fix: 'create the certificate in a us-east-1 stack' });
    const agnostic = newStack();
    expectInvalid(() => new UserDirectory(agnostic, 'Users', { customDomain: { domainName: 'auth.example.com', hostedZone: zoneIn(agnostic) } }),
      { property: 'customDomain.certificate', received: 'undefined', fix: "env: { region: 'us-east-1' }" });
  });

  test('fails with a certificate from another region', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    expectInvalid(() => new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', certificate } }),
      { property: 'customDomain.certificate', received: 'eu-west-1', fix: 'in us-east-1' });
  });

  test('fails without a certificate or a hosted zone to create one in', () => {
    expectInvalid(() => new UserDirectory(newStack({ env: US_EAST_1 }), 'Users', { customDomain: { domainName: 'auth.example.com' } }),
      { property: 'customDomain.certificate', received: 'undefined', fix: 'Pass `hostedZone`' });
  });

  test('fails for a domain outside the hosted zone', () => {
    const stack = newStack({ env: US_EAST_1 });
    expectInvalid(() => new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.org', hostedZone: zoneIn(stack) } }),
      { property: 'customDomain.hostedZone', received: 'example.com', fix: 'hosted zone that holds the domain' });
  });

  test('fails for a domain whose parent cannot have an A record (a top-level domain or a public suffix), or that is not a host name', () => {
    const stack = newStack({ env: US_EAST_1 });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    expectInvalid(() => new UserDirectory(stack, 'A', { customDomain: { domainName: 'example.com', certificate } }),
      { property: 'customDomain.domainName', received: 'example.com', fix: 'give `example.com` an A record' });
    expectInvalid(() => new UserDirectory(stack, 'B', { customDomain: { domainName: 'example.co.uk', certificate } }),
      { property: 'customDomain.domainName', received: 'example.co.uk', fix: 'subdomain of a domain you own' });
    expectInvalid(() => new UserDirectory(stack, 'C', { customDomain: { domainName: 'https://auth.example.com', certificate } }),
      { property: 'customDomain.domainName', received: 'https://auth.example.com', fix: 'without scheme' });
    // a subdomain of a registrable domain works
    expect(() => new UserDirectory(stack, 'D', { customDomain: { domainName: 'auth.example.co.uk', certificate } })).not.toThrow();
  });
});
