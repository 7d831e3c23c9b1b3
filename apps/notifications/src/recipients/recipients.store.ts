import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import type { Recipient } from '../notices/notice';

const COLLECTION = 'recipients';

/**
 * `recipients/{userId}`: the address and name notifications writes to, from `user.registered`
 * (auth owns accounts; this is notifications' copy of what it needs). Deleted on `user.deleted`.
 */
@Injectable()
export class RecipientsStore {
  constructor(private readonly firestore: Firestore) {}

  async remember(recipient: Recipient & { email: string }): Promise<void> {
    await this.collection().doc(recipient.userId).set({ email: recipient.email, displayName: recipient.displayName });
  }

  /** The known recipients among `userIds` (someone whose `user.registered` is not in yet is absent). */
  async find(userIds: string[]): Promise<Map<string, Recipient>> {
    const found = new Map<string, Recipient>();
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return found;
    const snapshots = await this.firestore.getAll(...unique.map((id) => this.collection().doc(id)));
    for (const snapshot of snapshots) {
      if (snapshot.exists) {
        found.set(snapshot.id, {
          userId: snapshot.id,
          email: snapshot.get('email') as string,
          displayName: snapshot.get('displayName') as string,
        });
      }
    }
    return found;
  }

  async forget(userId: string): Promise<void> {
    await this.collection().doc(userId).delete();
  }

  private collection() {
    return this.firestore.collection(COLLECTION);
  }
}
