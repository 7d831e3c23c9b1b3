import type { RefreshFamily, RefreshTokenRecord } from './refresh-token';
import type { RotationDecision } from './refresh-rotation';

export type RotationDecider = (
  token: RefreshTokenRecord | undefined,
  family: RefreshFamily | undefined,
) => RotationDecision;

/** Storage of refresh tokens (by hash) and their families. The service decides; this commits. */
export abstract class RefreshTokensRepository {
  /** Starts a family with its first token. */
  abstract createFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<void>;
  /**
   * In one transaction: reads the token `hash` and its family, asks `decide`, and applies the decision
   * (rotate: mark the token used at `now` and store the next one; revoke-family: set revokedAt = now).
   */
  abstract rotate(hash: string, now: string, decide: RotationDecider): Promise<RotationDecision>;
  /** Revokes the family of token `hash`, if that token exists. */
  abstract revokeFamilyOf(hash: string, now: string): Promise<void>;
  abstract revokeFamily(familyId: string, now: string): Promise<void>;
  abstract revokeAllOfUser(userId: string, now: string): Promise<void>;
  abstract findFamily(familyId: string): Promise<RefreshFamily | undefined>;
}
