export * from './directory-provider';
export * from './federated-sign-up';
export * from './machine-client';
export * from './resource-server';
export * from './sign-in';
export * from './triggers';
export * from './user-directory';
export * from './web-client';
