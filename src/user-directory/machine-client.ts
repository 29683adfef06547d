import { Duration } from 'aws-cdk-lib';

/**
 * Options of a machine-to-machine app client added with `UserDirectory.addMachineClient()`.
 *
 * @example
 * /// fixture=api
 * const options: MachineClientOptions = {
 *   scopes: ['notes-api/reports.read'],
 *   accessTokenValidity: Duration.minutes(15),
 * };
 * users.addMachineClient('Reports', options);
 */
export interface MachineClientOptions {
  /**
   * The custom scopes the client may request, as `<resource server identifier>/<scope name>`,
   * e.g. `notes-api/notes.read`. Each must be a scope of a resource server of this directory
   * (checked at synth); OpenID scopes such as `openid` have no meaning without a user.
   */
  readonly scopes: string[];

  /**
   * Lifetime of the access tokens the client gets (5 minutes to 1 day). The client-credentials
   * grant issues no ID or refresh token.
   *
   * @default Duration.minutes(60)
   */
  readonly accessTokenValidity?: Duration;
}
