import { Clock } from '@convene/common';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN, type Role } from '@convene/contracts';
import { SigningKeysService } from '../signing-keys/signing-keys.service';

export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/** Signs RFC 9068-style access tokens that the gateway verifies against the JWKS. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly signingKeys: SigningKeysService,
    private readonly clock: Clock,
  ) {}

  /**
   * `name` (the display name) rides along so services can print it (a ticket's holder) without asking
   * auth on every request; it is never used for authorization. A renamed user's tokens carry the new
   * name from their next refresh.
   */
  async issue(subject: { id: string; roles: readonly Role[]; displayName: string }): Promise<IssuedAccessToken> {
    const key = await this.signingKeys.activeKey();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ roles: [...subject.roles], name: subject.displayName })
      .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, kid: key.kid, typ: ACCESS_TOKEN.type })
      .setSubject(subject.id)
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + ACCESS_TOKEN.ttlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN.ttlSeconds };
  }
}
