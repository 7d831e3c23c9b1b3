import { GrpcStatus, hasGrpcCode } from '@convene/common';

/**
 * Failures of a transaction that lost to a concurrent one, after which running it again is safe
 * (nothing of the failed run committed, and the winner's writes are what the next run reads):
 * - ALREADY_EXISTS: a document this run `create`d was created by another between our read and commit;
 * - ABORTED: the SDK's own retries ran out (lock timeouts under contention, or locks left by a
 *   process that died mid-transaction until they expire);
 * - INVALID_ARGUMENT "Transaction is invalid or closed": the backend expired the transaction while it
 *   waited for a lock (seen on the Firestore emulator). Other INVALID_ARGUMENTs are bugs.
 */
export function isTransactionContention(error: unknown): boolean {
  if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS) || hasGrpcCode(error, GrpcStatus.ABORTED)) return true;
  return (
    hasGrpcCode(error, GrpcStatus.INVALID_ARGUMENT) &&
    /transaction is invalid or closed/i.test(String((error as Error).message))
  );
}

/** Runs `attempt` again, with growing jitter, while it fails with contention; at most `maxRuns` times. */
export async function retryOnContention<T>(attempt: () => Promise<T>, maxRuns = 5): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await attempt();
    } catch (error) {
      if (run >= maxRuns || !isTransactionContention(error)) throw error;
      // Jitter, so runs that collided do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * run));
    }
  }
}
