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

/** Asks auth, as the person themself (auth's GetMe), so no service can read another's account. */
@Injectable()
export class GrpcAccountDirectory extends AccountDirectory {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly settings: AccountDirectorySettings,
  ) {
    super();
  }

  async displayName(person: Identity): Promise<string> {
    const user = await callAs(person, this.settings.deadlineMs, (metadata, options) =>
      this.auth.getMe({}, metadata, options),
    );
    return user.displayName;
  }
}
