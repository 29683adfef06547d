import { Annotations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';

/**
 * Checks `deviceTracking` against the MFA setting. Cognito lets a remembered device replace MFA
 * only when `ChallengeRequiredOnNewDevice` is true and MFA is on; devices that are not remembered
 * still need the second factor (API reference, DeviceConfigurationType).
 */
export function checkDeviceTracking(scope: IConstruct, deviceTracking: cognito.DeviceTracking | undefined, mfa: cognito.Mfa): void {
  if (deviceTracking === undefined || !deviceTracking.challengeRequiredOnNewDevice) {
    return;
  }
  if (mfa === cognito.Mfa.OFF) {
    invalid('deviceTracking', deviceTracking, '`challengeRequiredOnNewDevice` lets a remembered device replace MFA, and MFA is off, so it has no effect',
      'Set `challengeRequiredOnNewDevice: false`, or turn MFA on (`Mfa.REQUIRED`, the default, or `Mfa.OPTIONAL`).');
  }
  Annotations.of(scope).addWarningV2('cdk-federated-access:rememberedDeviceSkipsMfa',
    'With `deviceTracking.challengeRequiredOnNewDevice`, a user signing in from a remembered device is not asked for a second factor: '
    + 'whoever holds that device (and the password) signs in. Keep `deviceOnlyRememberedOnUserPrompt: true` so users choose which devices to trust, '
    + 'and acknowledge this warning once reviewed.');
}
