export * from './repository-contract';
