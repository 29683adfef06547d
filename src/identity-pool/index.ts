export * from './federated-identity-pool';
export * from './federated-identity-pool-props';
export * from './i-federated-identity-pool';
export * from './identity-source';
export * from './role-mapping';
