import type { Message } from '@google-cloud/pubsub';
import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '@convene/contracts';

type PubSubContextArgs = [message: Message, envelope: Envelope];

/** What a `@Ctx()` parameter of a Pub/Sub `@EventPattern` handler receives. */
export class PubSubContext extends BaseRpcContext<PubSubContextArgs> {
  getMessage(): Message {
    return this.args[0];
  }

  getEnvelope(): Envelope {
    return this.args[1];
  }

  /** 1 on the first delivery; counts up on each redelivery (set because every subscription has a dead-letter policy). */
  getDeliveryAttempt(): number {
    return this.args[0].deliveryAttempt || 1;
  }
}
