export { ValidationErrors } from './private/errors';
export * from './user-directory';
export * from './identity-pool';
export * from './access';
export * from './client-config';
