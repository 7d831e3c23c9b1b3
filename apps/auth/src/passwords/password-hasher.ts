import { argon2, randomBytes, timingSafeEqual, type Argon2Parameters } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** OWASP's minimum for Argon2id (2025): 19 MiB, 2 passes, 1 lane. */
export const ARGON2ID_PARAMS = { memory: 19_456, passes: 2, parallelism: 1 } as const;
const SALT_BYTES = 16;
const TAG_BYTES = 32;

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Argon2id hashes as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). Verification reads the
 * parameters from the stored string, so hashes made with stronger future parameters still verify.
 */
@Injectable()
export class PasswordHasher {
  /** A hash of a random password, verified against when an email is unknown so timing stays the same. */
  private readonly dummyHash: Promise<string>;

  constructor() {
    this.dummyHash = this.hash(randomBytes(24).toString('base64'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const tag = await derive(password, salt, { ...ARGON2ID_PARAMS, tagLength: TAG_BYTES });
    const { memory, passes, parallelism } = ARGON2ID_PARAMS;
    return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${b64(salt)}$${b64(tag)}`;
  }

  async verify(phc: string, password: string): Promise<boolean> {
    const match = PHC.exec(phc);
    if (!match) return false;
    const [, m, t, p, saltB64, tagB64] = match;
    const salt = Buffer.from(saltB64!, 'base64');
    const expected = Buffer.from(tagB64!, 'base64');
    if (salt.length < 8 || expected.length < 16) return false;
    const actual = await derive(password, salt, {
      memory: Number(m),
      passes: Number(t),
      parallelism: Number(p),
      tagLength: expected.length,
    });
    return timingSafeEqual(actual, expected);
  }

  /** Spends the same time as a real verification, for an unknown email. Always false. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }
}

function derive(
  password: string,
  salt: Buffer,
  params: Pick<Argon2Parameters, 'memory' | 'passes' | 'parallelism' | 'tagLength'>,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, ...params }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
