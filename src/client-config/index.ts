export * from './client-config';
