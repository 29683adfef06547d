export * from './directory-provider';
export * from './user-directory';
export * from './web-client';
