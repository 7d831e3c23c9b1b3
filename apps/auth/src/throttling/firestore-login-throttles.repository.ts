import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { LoginThrottlesRepository } from './login-throttles.repository';
import type { ThrottleWindow } from './throttle-window';

const COLLECTION = 'loginThrottles';

@Injectable()
export class FirestoreLoginThrottlesRepository extends LoginThrottlesRepository {
  constructor(private readonly firestore: Firestore) {
    super();
  }

  async find(id: string): Promise<ThrottleWindow | undefined> {
    const snapshot = await this.firestore.collection(COLLECTION).doc(id).get();
    return snapshot.exists ? fromDocument(snapshot.data()!) : undefined;
  }

  async update(id: string, change: (current: ThrottleWindow | undefined) => ThrottleWindow): Promise<void> {
    const ref = this.firestore.collection(COLLECTION).doc(id);
    await this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const next = change(snapshot.exists ? fromDocument(snapshot.data()!) : undefined);
      tx.set(ref, { failures: next.failures, windowStartedAt: toTimestamp(next.windowStartedAt) });
    });
  }

  async delete(id: string): Promise<void> {
    await this.firestore.collection(COLLECTION).doc(id).delete();
  }
}

function fromDocument(data: DocumentData): ThrottleWindow {
  return { failures: data.failures as number, windowStartedAt: fromTimestamp(data.windowStartedAt as Timestamp) };
}
