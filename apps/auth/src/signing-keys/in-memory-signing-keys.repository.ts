import { activationOf, type SigningKey } from './signing-key';
import { SigningKeysRepository } from './signing-keys.repository';

/** Unit-test fake with the adapter's semantics. */
export class InMemorySigningKeysRepository extends SigningKeysRepository {
  private readonly keys = new Map<string, SigningKey>();
  private activeKid: string | undefined;

  async findActive(): Promise<SigningKey | undefined> {
    const key = this.activeKid === undefined ? undefined : this.keys.get(this.activeKid);
    return key && structuredClone(key);
  }

  async installFirst(candidate: SigningKey): Promise<SigningKey> {
    if (this.activeKid === undefined) {
      this.keys.set(candidate.kid, structuredClone(candidate));
      this.activeKid = candidate.kid;
    }
    return (await this.findActive())!;
  }

  async rotate(next: SigningKey): Promise<void> {
    const previous = this.activeKid === undefined ? undefined : this.keys.get(this.activeKid);
    if (previous) previous.retiredAt = activationOf(next);
    this.keys.set(next.kid, structuredClone(next));
    this.activeKid = next.kid;
  }

  async findRetiredSince(since: string): Promise<SigningKey[]> {
    return [...this.keys.values()]
      .filter((key) => key.retiredAt !== undefined && Date.parse(key.retiredAt) >= Date.parse(since))
      .map((key) => structuredClone(key));
  }
}
