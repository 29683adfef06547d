import { Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct, IConstruct } from 'constructs';
import { RESERVED_DOMAIN_PREFIX_WORDS } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { UserDirectoryProps } from '../user-directory-props';
import { publicSuffixReason } from './sign-in';

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks `domainPrefix` and `customDomain` (at most one of them, a valid unreserved prefix). */
export function validateDomain(props: UserDirectoryProps): void {
  if (props.domainPrefix !== undefined && props.customDomain !== undefined) {
    invalid('domainPrefix', props.domainPrefix, '`domainPrefix` and `customDomain` cannot both be set', 'Choose one domain for the managed login pages.');
  }
  const prefix = props.domainPrefix;
  if (prefix === undefined || Token.isUnresolved(prefix)) {
    return;
  }
  if (!DOMAIN_PREFIX.test(prefix)) {
    invalid('domainPrefix', prefix, 'a domain prefix is 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen', 'Use a prefix such as `notes-app-auth`.');
  }
  if (RESERVED_DOMAIN_PREFIX_WORDS.some((word) => prefix.includes(word))) {
    invalid('domainPrefix', prefix, 'Cognito reserves prefixes containing `aws`, `amazon` or `cognito`', 'Pick a prefix without those words.');
  }
}

/**
 * Adds the managed login domain (version 2) the props ask for, as the pool's child `Domain`.
 *
 * @returns undefined when neither `domainPrefix` nor `customDomain` is set
 */
export function addManagedLoginDomain(pool: cognito.UserPool, props: UserDirectoryProps,
  certificate?: acm.ICertificate): cognito.UserPoolDomain | undefined {
  if (props.domainPrefix !== undefined) {
    return pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  } else if (props.customDomain !== undefined) {
    return pool.addDomain('Domain', {
      customDomain: { domainName: props.customDomain.domainName, certificate: certificate ?? props.customDomain.certificate! },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  }
  return undefined;
}

/** Where Cognito needs the certificate of a custom domain: CloudFront's region. */
const CERTIFICATE_REGION = 'us-east-1';
// A host name: lower-case labels of letters, digits and hyphens, at least two of them.
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Checks `customDomain`: a host name whose parent can hold an A record, inside the hosted zone,
 * and a certificate in us-east-1 (given, or created here when the stack is in us-east-1).
 */
export function validateCustomDomain(scope: IConstruct, props: UserDirectoryProps): void {
  const custom = props.customDomain;
  if (custom === undefined) {
    return;
  }
  const name = custom.domainName;
  if (!Token.isUnresolved(name)) {
    if (!HOST_NAME.test(name)) {
      invalid('customDomain.domainName', name, 'a custom domain is a fully qualified lower-case host name',
        'Use a name such as `auth.example.com`, without scheme, path or trailing dot.');
    }
    const parent = name.slice(name.indexOf('.') + 1);
    const suffix = publicSuffixReason(parent);
    if (suffix !== undefined) {
      invalid('customDomain.domainName', name, `Cognito needs the parent domain (${parent}) to have an A record, and ${suffix}`,
        'Use a subdomain of a domain you own, such as `auth.example.com`, and give `example.com` an A record first.');
    }
    const zoneName = zoneNameOf(custom.hostedZone);
    if (zoneName !== undefined && name !== zoneName && !name.endsWith(`.${zoneName}`)) {
      invalid('customDomain.hostedZone', zoneName, `the domain ${name} is not in the hosted zone ${zoneName}`,
        'Pass the hosted zone that holds the domain.');
    }
  }
  if (custom.certificate === undefined) {
    if (custom.hostedZone === undefined) {
      invalid('customDomain.certificate', undefined, 'a custom domain needs a certificate, and without `hostedZone` none can be created',
        'Pass `hostedZone` (the certificate is then created and validated in it), or a `certificate` in us-east-1.');
    }
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region) || region !== CERTIFICATE_REGION) {
      invalid('customDomain.certificate', undefined,
        `Cognito needs the certificate in ${CERTIFICATE_REGION}, and this stack's region is ${Token.isUnresolved(region) ? 'not known at synth (an environment-agnostic stack)' : region}; aws-cdk-lib creates a certificate in another region only with a Lambda-backed custom resource`,
        `Deploy this stack to ${CERTIFICATE_REGION} (\`env: { region: '${CERTIFICATE_REGION}' }\`), or create the certificate in a ${CERTIFICATE_REGION} stack and pass it as \`certificate\`.`);
    }
  } else {
    const region = certificateRegion(custom.certificate);
    if (region !== undefined && region !== CERTIFICATE_REGION) {
      invalid('customDomain.certificate', custom.certificate.certificateArn,
        `Cognito serves custom domains through CloudFront, which takes certificates from ${CERTIFICATE_REGION} only, and this one is in ${region}`,
        `Create or import the certificate in ${CERTIFICATE_REGION}.`);
    }
  }
}

/**
 * The region of a certificate: from its ARN when the ARN is a literal (an import), else from the
 * stack that creates it; undefined when neither is known at synth.
 */
function certificateRegion(certificate: acm.ICertificate): string | undefined {
  const arn = certificate.certificateArn;
  if (!Token.isUnresolved(arn)) {
    const region = arn.split(':')[3];
    return region === undefined || region === '' ? undefined : region;
  }
  const region = Stack.of(certificate).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/** The zone's name without the trailing dot, or undefined when it is not known at synth. */
function zoneNameOf(zone: route53.IHostedZone | undefined): string | undefined {
  if (zone === undefined) {
    return undefined;
  }
  let zoneName: string;
  try {
    zoneName = zone.zoneName;
  } catch {
    return undefined; // HostedZone.fromHostedZoneId() has no name
  }
  return Token.isUnresolved(zoneName) ? undefined : zoneName.replace(/\.$/, '');
}

/** The certificate of `customDomain`: the given one, or one created and DNS-validated in the hosted zone. */
export function customDomainCertificate(scope: Construct, props: UserDirectoryProps): acm.ICertificate | undefined {
  const custom = props.customDomain;
  if (custom === undefined) {
    return undefined;
  }
  // acm.Certificate, not the deprecated DnsValidatedCertificate (a Lambda-backed custom resource).
  return custom.certificate ?? new (acmLib()).Certificate(scope, 'DomainCertificate', {
    domainName: custom.domainName,
    validation: acmLib().CertificateValidation.fromDns(custom.hostedZone),
  });
}

/**
 * The alias record of a custom domain in its hosted zone, pointing to Cognito's CloudFront
 * distribution. The target reads the domain's `CloudFrontDistribution` attribute directly:
 * `UserPoolDomainTarget` uses a Lambda-backed custom resource unless the app sets the
 * `@aws-cdk/aws-route53-targets:userPoolDomainNameMethodWithoutCustomResource` flag.
 */
export function addCustomDomainAlias(scope: Construct, props: UserDirectoryProps,
  domain: cognito.UserPoolDomain | undefined): route53.ARecord | undefined {
  const zone = props.customDomain?.hostedZone;
  if (zone === undefined || domain === undefined) {
    return undefined;
  }
  return new (route53Lib()).ARecord(scope, 'DomainAlias', {
    zone,
    recordName: props.customDomain!.domainName,
    target: route53Lib().RecordTarget.fromAlias({
      bind: () => ({ dnsName: domain.cloudFrontEndpoint, hostedZoneId: route53TargetsLib().CloudFrontTarget.getHostedZoneId(domain) }),
    }),
  });
}

/** aws-cdk-lib/aws-certificatemanager loads only when a directory uses it (cold start: an app pays for what it uses). */
function acmLib(): typeof acm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib/aws-certificatemanager');
}

/** aws-cdk-lib/aws-route53 loads only when a directory uses it (cold start: an app pays for what it uses). */
function route53Lib(): typeof route53 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib/aws-route53');
}

/** aws-cdk-lib/aws-route53-targets loads only when a directory uses it (cold start: an app pays for what it uses). */
function route53TargetsLib(): typeof targets {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib/aws-route53-targets');
}
