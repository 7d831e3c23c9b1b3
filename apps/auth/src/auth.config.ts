import { BaseServiceConfig } from '@convene/common';

export class AuthConfig extends BaseServiceConfig {
  override HTTP_PORT = 3001;
}
