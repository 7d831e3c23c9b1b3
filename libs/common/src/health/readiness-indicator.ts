/** A dependency the service needs before it can take traffic (Firestore, Pub/Sub, ...). */
export interface ReadinessIndicator {
  readonly name: string;
  /** Resolves when the dependency answers; throws (or rejects) when it does not. */
  check(): Promise<void>;
}
