export * from './federated-identity-pool';
export * from './identity-source';
export * from './role-mapping';
