import { randomBytes } from 'node:crypto';
import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { Clock, GrpcStatus, hasGrpcCode } from '@convene/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { COLLECTIONS } from '../registrations/registration';
import { publicTicketJwk, TICKET_SIGNATURE, type LoadedTicketKey, type TicketKey } from './ticket-key';

/** Events whose keys one process keeps in memory (oldest forgotten first; a key is a few hundred bytes). */
const CACHE_SIZE = 10_000;

/**
 * Each event's ticket key pair (`ticketKeys/{eventId}`), created on first need. A key never changes
 * once created (tickets are not rotated), so a loaded key is cached for the life of the process; an
 * absent one is not, since another replica may create it at any moment.
 */
@Injectable()
export class TicketKeys {
  private readonly loaded = new Map<string, LoadedTicketKey>();
  /** Creations under way in this process, so a burst of first tickets generates one key pair. */
  private readonly creating = new Map<string, Promise<LoadedTicketKey>>();

  constructor(
    private readonly firestore: Firestore,
    private readonly clock: Clock,
  ) {}

  /** The event's key, or undefined if it has none yet. */
  async find(eventId: string): Promise<LoadedTicketKey | undefined> {
    const cached = this.loaded.get(eventId);
    if (cached) return cached;
    const snapshot = await this.ref(eventId).get();
    return snapshot.exists ? this.remember(await load(fromDocument(eventId, snapshot.data()!))) : undefined;
  }

  /** The event's key, created now if it has none. */
  async ensure(eventId: string): Promise<LoadedTicketKey> {
    const existing = await this.find(eventId);
    if (existing) return existing;
    const inProgress = this.creating.get(eventId);
    if (inProgress) return inProgress;
    const creation = this.create(eventId).finally(() => this.creating.delete(eventId));
    this.creating.set(eventId, creation);
    return creation;
  }

  /** The public key verifying `eventId`'s tickets signed under `kid`, if that is the event's key. */
  async verificationKey(eventId: string, kid: string): Promise<CryptoKey | undefined> {
    const key = await this.find(eventId);
    return key?.kid === kid ? key.publicKey : undefined;
  }

  private async create(eventId: string): Promise<LoadedTicketKey> {
    const { privateKey, publicKey } = await generateKeyPair(TICKET_SIGNATURE.algorithm, { extractable: true });
    const kid = randomBytes(16).toString('base64url');
    const candidate: TicketKey = {
      eventId,
      kid,
      privateJwk: await exportJWK(privateKey),
      publicJwk: publicTicketJwk(kid, await exportJWK(publicKey)),
      createdAt: this.clock.now().toISOString(),
    };
    try {
      // A blind create: of replicas creating the same event's key at once, one wins; the others read it.
      await this.ref(eventId).create(toDocument(candidate));
      return this.remember(await load(candidate));
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    }
    const winner = await this.find(eventId);
    if (!winner) throw new Error(`ticketKeys/${eventId} was created concurrently but cannot be read`);
    return winner;
  }

  private remember(key: LoadedTicketKey): LoadedTicketKey {
    this.loaded.set(key.eventId, key);
    if (this.loaded.size > CACHE_SIZE) this.loaded.delete(this.loaded.keys().next().value!);
    return key;
  }

  private ref(eventId: string) {
    return this.firestore.collection(COLLECTIONS.ticketKeys).doc(eventId);
  }
}

async function load(key: TicketKey): Promise<LoadedTicketKey> {
  const [privateKey, publicKey] = await Promise.all([
    importJWK(key.privateJwk, TICKET_SIGNATURE.algorithm),
    importJWK(key.publicJwk, TICKET_SIGNATURE.algorithm),
  ]);
  return {
    eventId: key.eventId,
    kid: key.kid,
    privateKey: privateKey as CryptoKey,
    publicKey: publicKey as CryptoKey,
    publicJwk: key.publicJwk,
  };
}

function toDocument(key: TicketKey): DocumentData {
  const { eventId: _eventId, createdAt, ...rest } = key;
  return { ...rest, createdAt: toTimestamp(createdAt) };
}

function fromDocument(eventId: string, data: DocumentData): TicketKey {
  return {
    eventId,
    kid: data.kid,
    privateJwk: data.privateJwk,
    publicJwk: data.publicJwk,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
  };
}
