import { DomainError } from '@convene/common';
import { assertAcceptablePassword } from './password-policy';

function problem(password: string, email = 'alice.martin@example.com'): string | undefined {
  try {
    assertAcceptablePassword(password, email);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe('VALIDATION_FAILED');
    expect(domain.details.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
    return domain.details.errors![0]!.message;
  }
}

describe('password policy', () => {
  it('accepts a long uncommon password', () => {
    expect(problem('violet-tram-42-quietly')).toBeUndefined();
  });

  it('counts code points: 8 emoji are 8 characters, 7 are too few', () => {
    expect(problem('🦊🐙🦉🐝🦀🐢🦋🐳')).toBeUndefined();
    expect(problem('🦊🐙🦉🐝🦀🐢🦋')).toMatch(/8 to 128/);
  });

  it('refuses passwords outside 8–128 characters', () => {
    expect(problem('Ab3$xyz')).toMatch(/8 to 128/);
    expect(problem('a'.repeat(128).replace(/^a/, 'q'))).toBeUndefined();
    expect(problem('x'.repeat(129))).toMatch(/8 to 128/);
  });

  it('refuses common passwords whatever their case', () => {
    expect(problem('password')).toMatch(/common/);
    expect(problem('IloveYou')).toMatch(/common/);
    expect(problem('12345678')).toMatch(/common/);
  });

  it('refuses the email or its local part', () => {
    expect(problem('Alice.Martin@example.com')).toMatch(/email/);
    expect(problem('alice.martin')).toMatch(/email/);
  });
});
