export * from './firestore.provider';
export * from './firestore.module';
export * from './firestore.readiness';
export * from './firestore-values';
export * from './transaction-contention';
