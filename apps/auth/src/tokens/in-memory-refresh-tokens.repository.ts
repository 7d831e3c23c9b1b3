import type { RefreshFamily, RefreshTokenRecord } from './refresh-token';
import type { RotationDecision } from './refresh-rotation';
import { RefreshTokensRepository, type RotationDecider } from './refresh-tokens.repository';

/** Unit-test fake with the adapter's semantics. */
export class InMemoryRefreshTokensRepository extends RefreshTokensRepository {
  readonly tokens = new Map<string, RefreshTokenRecord>();
  readonly families = new Map<string, RefreshFamily>();

  async createFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<void> {
    this.families.set(family.id, structuredClone(family));
    this.tokens.set(first.hash, structuredClone(first));
  }

  async rotate(hash: string, now: string, decide: RotationDecider): Promise<RotationDecision> {
    const token = this.tokens.get(hash);
    const family = token && this.families.get(token.familyId);
    const decision = decide(token && structuredClone(token), family && structuredClone(family));
    if (decision.kind === 'rotate') {
      token!.usedAt = now;
      this.tokens.set(decision.next.hash, structuredClone(decision.next));
    } else if (decision.kind === 'revoke-family') {
      family!.revokedAt ??= now;
    }
    return decision;
  }

  async revokeFamilyOf(hash: string, now: string): Promise<void> {
    const token = this.tokens.get(hash);
    if (token) await this.revokeFamily(token.familyId, now);
  }

  async revokeFamily(familyId: string, now: string): Promise<void> {
    const family = this.families.get(familyId);
    if (family) family.revokedAt ??= now;
  }

  async revokeAllOfUser(userId: string, now: string): Promise<void> {
    for (const family of this.families.values()) {
      if (family.userId === userId) family.revokedAt ??= now;
    }
  }

  async findFamily(familyId: string): Promise<RefreshFamily | undefined> {
    const family = this.families.get(familyId);
    return family && structuredClone(family);
  }
}
