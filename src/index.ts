export { ValidationErrors } from './private/errors';
export * from './user-directory';
