import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import type { RefreshFamily, RefreshTokenRecord } from './refresh-token';
import type { RotationDecision } from './refresh-rotation';
import { RefreshTokensRepository, type RotationDecider } from './refresh-tokens.repository';

const TOKENS = 'refreshTokens';
const FAMILIES = 'refreshFamilies';
/** Firestore caps a write batch at 500 operations. */
const BATCH_LIMIT = 450;

@Injectable()
export class FirestoreRefreshTokensRepository extends RefreshTokensRepository {
  constructor(private readonly firestore: Firestore) {
    super();
  }

  async createFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<void> {
    const batch = this.firestore.batch();
    batch.create(this.familyRef(family.id), familyToDocument(family));
    batch.create(this.tokenRef(first.hash), tokenToDocument(first));
    await batch.commit();
  }

  async rotate(hash: string, now: string, decide: RotationDecider): Promise<RotationDecision> {
    return this.firestore.runTransaction(async (tx) => {
      const tokenSnapshot = await tx.get(this.tokenRef(hash));
      const token = tokenSnapshot.exists ? tokenFromDocument(hash, tokenSnapshot.data()!) : undefined;
      const familySnapshot = token ? await tx.get(this.familyRef(token.familyId)) : undefined;
      const family = familySnapshot?.exists ? familyFromDocument(familySnapshot.id, familySnapshot.data()!) : undefined;
      const decision = decide(token, family);
      if (decision.kind === 'rotate') {
        tx.update(this.tokenRef(hash), { usedAt: toTimestamp(now) });
        tx.create(this.tokenRef(decision.next.hash), tokenToDocument(decision.next));
      } else if (decision.kind === 'revoke-family') {
        tx.update(this.familyRef(token!.familyId), { revokedAt: toTimestamp(now) });
      }
      return decision;
    });
  }

  async revokeFamilyOf(hash: string, now: string): Promise<void> {
    const token = await this.tokenRef(hash).get();
    const familyId = token.get('familyId') as string | undefined;
    if (familyId) await this.revokeFamily(familyId, now);
  }

  async revokeFamily(familyId: string, now: string): Promise<void> {
    await this.firestore.runTransaction(async (tx) => {
      const family = await tx.get(this.familyRef(familyId));
      if (family.exists && !family.get('revokedAt')) tx.update(family.ref, { revokedAt: toTimestamp(now) });
    });
  }

  async revokeAllOfUser(userId: string, now: string): Promise<void> {
    const families = await this.firestore.collection(FAMILIES).where('userId', '==', userId).get();
    const open = families.docs.filter((doc) => !doc.get('revokedAt'));
    for (let start = 0; start < open.length; start += BATCH_LIMIT) {
      const batch = this.firestore.batch();
      for (const doc of open.slice(start, start + BATCH_LIMIT)) batch.update(doc.ref, { revokedAt: toTimestamp(now) });
      await batch.commit();
    }
  }

  async findFamily(familyId: string): Promise<RefreshFamily | undefined> {
    const snapshot = await this.familyRef(familyId).get();
    return snapshot.exists ? familyFromDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  private tokenRef(hash: string) {
    return this.firestore.collection(TOKENS).doc(hash);
  }

  private familyRef(familyId: string) {
    return this.firestore.collection(FAMILIES).doc(familyId);
  }
}

function tokenToDocument(token: RefreshTokenRecord): DocumentData {
  return {
    userId: token.userId,
    familyId: token.familyId,
    expiresAt: toTimestamp(token.expiresAt),
    ...(token.usedAt ? { usedAt: toTimestamp(token.usedAt) } : {}),
  };
}

function tokenFromDocument(hash: string, data: DocumentData): RefreshTokenRecord {
  return {
    hash,
    userId: data.userId,
    familyId: data.familyId,
    expiresAt: fromTimestamp(data.expiresAt as Timestamp),
    usedAt: fromTimestamp(data.usedAt as Timestamp | undefined),
  };
}

function familyToDocument(family: RefreshFamily): DocumentData {
  return { userId: family.userId, ...(family.revokedAt ? { revokedAt: toTimestamp(family.revokedAt) } : {}) };
}

function familyFromDocument(id: string, data: DocumentData): RefreshFamily {
  return { id, userId: data.userId, revokedAt: fromTimestamp(data.revokedAt as Timestamp | undefined) };
}
