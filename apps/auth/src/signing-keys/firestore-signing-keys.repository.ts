import { GrpcStatus, hasGrpcCode } from '@convene/common';
import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { activationOf, type SigningKey } from './signing-key';
import { SigningKeysRepository } from './signing-keys.repository';

const COLLECTION = 'signingKeys';
/** Pointer document `signingKeys/_active` → {kid}: which key signs. Key documents are `signingKeys/{kid}`. */
const ACTIVE = '_active';

@Injectable()
export class FirestoreSigningKeysRepository extends SigningKeysRepository {
  constructor(private readonly firestore: Firestore) {
    super();
  }

  async findActive(): Promise<SigningKey | undefined> {
    const pointer = await this.pointerRef().get();
    const kid = pointer.get('kid') as string | undefined;
    if (!kid) return undefined;
    const snapshot = await this.keyRef(kid).get();
    return snapshot.exists ? fromDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  async installFirst(candidate: SigningKey): Promise<SigningKey> {
    try {
      // Blind creates: of replicas booting together exactly one commit passes the pointer's
      // "must not exist" precondition; the others read the winner's key.
      await this.firestore.runTransaction(async (tx) => {
        tx.create(this.pointerRef(), { kid: candidate.kid });
        tx.create(this.keyRef(candidate.kid), toDocument(candidate));
      });
      return candidate;
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    }
    const active = await this.findActive();
    if (!active) throw new Error('signingKeys/_active exists but names no key document');
    return active;
  }

  async rotate(next: SigningKey): Promise<void> {
    await this.firestore.runTransaction(async (tx) => {
      const pointer = await tx.get(this.pointerRef());
      const previousKid = pointer.get('kid') as string | undefined;
      tx.create(this.keyRef(next.kid), toDocument(next));
      if (previousKid) tx.update(this.keyRef(previousKid), { retiredAt: toTimestamp(activationOf(next)) });
      tx.set(this.pointerRef(), { kid: next.kid });
    });
  }

  async findRetiredSince(since: string): Promise<SigningKey[]> {
    const snapshot = await this.firestore.collection(COLLECTION).where('retiredAt', '>=', toTimestamp(since)).get();
    return snapshot.docs.map((doc) => fromDocument(doc.id, doc.data()));
  }

  private pointerRef() {
    return this.firestore.collection(COLLECTION).doc(ACTIVE);
  }

  private keyRef(kid: string) {
    return this.firestore.collection(COLLECTION).doc(kid);
  }
}

function toDocument(key: SigningKey): DocumentData {
  const { kid: _kid, createdAt, activatesAt, retiredAt, ...rest } = key;
  return {
    ...rest,
    createdAt: toTimestamp(createdAt),
    ...(activatesAt ? { activatesAt: toTimestamp(activatesAt) } : {}),
    ...(retiredAt ? { retiredAt: toTimestamp(retiredAt) } : {}),
  };
}

function fromDocument(kid: string, data: DocumentData): SigningKey {
  return {
    kid,
    privateJwk: data.privateJwk,
    publicJwk: data.publicJwk,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
    activatesAt: fromTimestamp(data.activatesAt as Timestamp | undefined),
    retiredAt: fromTimestamp(data.retiredAt as Timestamp | undefined),
  };
}
