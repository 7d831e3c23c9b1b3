import { BaseServiceConfig } from '@convene/common';

export class RegistrationsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3003;
}
