import { DomainError } from '@convene/common';
import type { User } from './user';
import { emailTaken, UsersRepository, type UserChange } from './users.repository';

/** Unit-test fake with the adapter's semantics; `published` plays the outbox. */
export class InMemoryUsersRepository extends UsersRepository {
  readonly published: object[] = [];
  private readonly users = new Map<string, User>();
  private readonly emails = new Map<string, string>();

  async create(user: User, messages: object[]): Promise<void> {
    if (this.emails.has(user.email)) throw emailTaken();
    if (this.users.has(user.id)) throw new DomainError('CONFLICT', `user ${user.id} already exists`);
    this.users.set(user.id, structuredClone(user));
    this.emails.set(user.email, user.id);
    this.published.push(...messages);
  }

  async findById(id: string): Promise<User | undefined> {
    const user = this.users.get(id);
    return user && structuredClone(user);
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    const id = this.emails.get(normalizedEmail);
    return id === undefined ? undefined : this.findById(id);
  }

  async findByIds(ids: string[]): Promise<User[]> {
    return ids.flatMap((id) => {
      const user = this.users.get(id);
      return user ? [structuredClone(user)] : [];
    });
  }

  async update(id: string, change: (current: User) => UserChange): Promise<User | undefined> {
    const current = this.users.get(id);
    if (!current) return undefined;
    const { user, messages } = change(structuredClone(current));
    this.users.set(id, structuredClone(user));
    this.published.push(...messages);
    return structuredClone(user);
  }

  async delete(id: string, messages: (current: User) => object[]): Promise<User | undefined> {
    const current = this.users.get(id);
    if (!current) return undefined;
    const produced = messages(structuredClone(current));
    this.users.delete(id);
    this.emails.delete(current.email);
    this.published.push(...produced);
    return structuredClone(current);
  }
}
