/**
 * Options of a resource server added with `UserDirectory.addResourceServer()`.
 *
 * @example
 * /// fixture=api
 * const options: ResourceServerOptions = {
 *   name: 'Notes API',
 *   scopes: { 'notes.read': 'Read notes' },
 * };
 * users.addResourceServer('notes-api', options);
 */
export interface ResourceServerOptions {
  /**
   * The custom scopes of the server: scope name to description, e.g. `{ 'notes.read': 'Read notes' }`.
   *
   * Clients request them as `<identifier>/<scope name>`. Names are 1-256 printable characters
   * without spaces, `"`, `/` or `\`; descriptions 1-256 characters; at most 100 scopes.
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
   */
  readonly scopes: { [name: string]: string };

  /**
   * A friendly name for the server (letters, digits, spaces and `+=,.@-_`).
   *
   * @default - the identifier, with other characters replaced by `-`
   */
  readonly name?: string;
}
