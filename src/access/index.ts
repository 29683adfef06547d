export * from './access';
export * from './audience';
