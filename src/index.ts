export * from './private/errors';
export * from './user-directory';
