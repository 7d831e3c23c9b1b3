import { argon2Sync, randomBytes } from 'node:crypto';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('stores Argon2id with OWASP parameters as a PHC string', async () => {
    const phc = await hasher.hash('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const phc = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify(phc, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(phc, 'correct horse battery stapl')).resolves.toBe(false);
  });

  it('verifies hashes made with stronger parameters, read from the PHC string', async () => {
    const salt = randomBytes(16);
    const tag = argon2Sync('argon2id', {
      message: 'pw-stronger',
      nonce: salt,
      memory: 32768,
      passes: 3,
      parallelism: 1,
      tagLength: 32,
    });
    const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
    const phc = `$argon2id$v=19$m=32768,t=3,p=1$${b64(salt)}$${b64(tag)}`;
    await expect(hasher.verify(phc, 'pw-stronger')).resolves.toBe(true);
    await expect(hasher.verify(phc, 'pw-weaker')).resolves.toBe(false);
  });

  it('refuses malformed or foreign hashes rather than throwing', async () => {
    await expect(hasher.verify('', 'x')).resolves.toBe(false);
    await expect(hasher.verify('$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA', 'x')).resolves.toBe(false);
    await expect(hasher.verifyDummy('anything')).resolves.toBe(false);
  });
});
