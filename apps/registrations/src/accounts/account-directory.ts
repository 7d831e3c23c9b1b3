import { Inject, Injectable } from '@nestjs/common';
import { callAs, type Identity } from '@convene/common';
import type { AuthServiceClient } from '@convene/contracts';

export const AUTH_SERVICE = Symbol('AuthServiceClient');

/** Deadline of calls to auth (ms). */
export abstract class AccountDirectorySettings {
  abstract readonly deadlineMs: number;
}

/** What registrations needs of a person's account: the name printed on their ticket. */
export abstract class AccountDirectory {
  abstract displayName(person: Identity): Promise<string>;
}

/**
 * The name the person's access token carries (forwarded by the gateway), or else auth's answer to the
 * person themself (GetMe), so no service can read another's account.
 */
@Injectable()
export class GrpcAccountDirectory extends AccountDirectory {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly settings: AccountDirectorySettings,
  ) {
    super();
  }

  async displayName(person: Identity): Promise<string> {
    // The access token carries it; ask auth only for a token that did not (issued before it did).
    if (person.displayName) return person.displayName;
    const user = await callAs(person, this.settings.deadlineMs, (metadata, options) =>
      this.auth.getMe({}, metadata, options),
    );
    return user.displayName;
  }
}
