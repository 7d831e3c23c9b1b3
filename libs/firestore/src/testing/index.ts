export * from './repository-contract';
export * from './declared-indexes';
