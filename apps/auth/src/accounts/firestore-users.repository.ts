import { GrpcStatus, hasGrpcCode } from '@convene/common';
import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { Outbox } from '@convene/pubsub';
import type { User } from './user';
import { emailTaken, UsersRepository, type UserChange } from './users.repository';

const USERS = 'users';
/** `userEmails/{normalizedEmail}` → {userId}: the uniqueness claim on an email. */
const USER_EMAILS = 'userEmails';

@Injectable()
export class FirestoreUsersRepository extends UsersRepository {
  constructor(
    private readonly firestore: Firestore,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  async create(user: User, messages: object[]): Promise<void> {
    try {
      // Blind creates, no reads: concurrent registrations of one email never wait on each other's
      // locks; the commit's "must not exist" precondition lets exactly one of them through.
      await this.firestore.runTransaction(async (tx) => {
        tx.create(this.emailRef(user.email), { userId: user.id });
        tx.create(this.firestore.collection(USERS).doc(user.id), toDocument(user));
        for (const message of messages) this.outbox.enqueue(tx, message);
      });
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw emailTaken();
      throw error;
    }
    if (messages.length > 0) this.outbox.kick();
  }

  async findById(id: string): Promise<User | undefined> {
    const snapshot = await this.firestore.collection(USERS).doc(id).get();
    return snapshot.exists ? fromDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    const claim = await this.emailRef(normalizedEmail).get();
    const userId = claim.get('userId') as string | undefined;
    return userId ? this.findById(userId) : undefined;
  }

  async findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const snapshots = await this.firestore.getAll(...ids.map((id) => this.firestore.collection(USERS).doc(id)));
    return snapshots.filter((s) => s.exists).map((s) => fromDocument(s.id, s.data()!));
  }

  async update(id: string, change: (current: User) => UserChange): Promise<User | undefined> {
    const ref = this.firestore.collection(USERS).doc(id);
    let enqueued = 0;
    const updated = await this.firestore.runTransaction(async (tx) => {
      enqueued = 0;
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return undefined;
      const { user, messages } = change(fromDocument(snapshot.id, snapshot.data()!));
      tx.set(ref, toDocument(user));
      for (const message of messages) this.outbox.enqueue(tx, message);
      enqueued = messages.length;
      return user;
    });
    if (enqueued > 0) this.outbox.kick();
    return updated;
  }

  async delete(id: string, messages: (current: User) => object[]): Promise<User | undefined> {
    const ref = this.firestore.collection(USERS).doc(id);
    let enqueued = 0;
    const deleted = await this.firestore.runTransaction(async (tx) => {
      enqueued = 0;
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return undefined;
      const user = fromDocument(snapshot.id, snapshot.data()!);
      const claimRef = this.emailRef(user.email);
      const claim = await tx.get(claimRef);
      const produced = messages(user);
      tx.delete(ref);
      if (claim.get('userId') === id) tx.delete(claimRef);
      for (const message of produced) this.outbox.enqueue(tx, message);
      enqueued = produced.length;
      return user;
    });
    if (enqueued > 0) this.outbox.kick();
    return deleted;
  }

  private emailRef(normalizedEmail: string) {
    // The service accepts only emails without '/', so the email is a valid document id.
    return this.firestore.collection(USER_EMAILS).doc(normalizedEmail);
  }
}

function toDocument(user: User): DocumentData {
  const { id: _id, createdAt, ...rest } = user;
  return { ...rest, createdAt: toTimestamp(createdAt) };
}

function fromDocument(id: string, data: DocumentData): User {
  return {
    id,
    email: data.email,
    displayName: data.displayName,
    roles: data.roles ?? [],
    passwordHash: data.passwordHash,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
  };
}
