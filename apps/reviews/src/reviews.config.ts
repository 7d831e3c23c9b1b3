import { BaseServiceConfig } from '@convene/common';

export class ReviewsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3004;
}
