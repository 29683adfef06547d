export * from './access';
export * from './audience';
export * from './scoped-bucket-access';
export * from './scoped-table-access';
export * from './scoped-api-access';
export * from './storage-events';
