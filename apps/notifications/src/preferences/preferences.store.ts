import { Firestore, Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import type { ChannelSwitchMessage } from '@convene/contracts';
import { applySwitches, withDefaults, type Preferences } from './preferences';

const COLLECTION = 'notificationPreferences';

export interface StoredPreferences {
  preferences: Preferences;
  updatedAt?: string;
}

/** `notificationPreferences/{userId}` = {switches: {category: {channel: bool}}, updatedAt}. */
@Injectable()
export class PreferencesStore {
  constructor(private readonly firestore: Firestore) {}

  async get(userId: string): Promise<StoredPreferences> {
    const snapshot = await this.collection().doc(userId).get();
    return {
      preferences: withDefaults(snapshot.get('switches')),
      updatedAt: (snapshot.get('updatedAt') as Timestamp | undefined)?.toDate().toISOString(),
    };
  }

  /** Everyone's preferences among `userIds` (defaults for those who never chose). */
  async getMany(userIds: string[]): Promise<Map<string, Preferences>> {
    const unique = [...new Set(userIds)];
    const result = new Map<string, Preferences>();
    if (unique.length === 0) return result;
    const snapshots = await this.firestore.getAll(...unique.map((id) => this.collection().doc(id)));
    for (const snapshot of snapshots) result.set(snapshot.id, withDefaults(snapshot.get('switches')));
    return result;
  }

  async update(userId: string, switches: ChannelSwitchMessage[]): Promise<StoredPreferences> {
    const ref = this.collection().doc(userId);
    return this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const preferences = applySwitches(withDefaults(snapshot.get('switches')), switches);
      const updatedAt = Timestamp.now();
      tx.set(ref, { switches: preferences, updatedAt });
      return { preferences, updatedAt: updatedAt.toDate().toISOString() };
    });
  }

  async forget(userId: string): Promise<void> {
    await this.collection().doc(userId).delete();
  }

  private collection() {
    return this.firestore.collection(COLLECTION);
  }
}
