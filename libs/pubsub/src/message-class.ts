import type { MessageClass } from '@convene/contracts';

/** The versioned message class an instance was built from; refuses plain objects, which carry no type. */
export function messageClassOf(message: object): MessageClass {
  const cls = message.constructor as Partial<MessageClass> | undefined;
  if (!cls || typeof cls.eventType !== 'string' || typeof cls.schemaVersion !== 'number') {
    throw new TypeError(
      'expected an instance of a message class (with static eventType and schemaVersion), got a plain object',
    );
  }
  return cls as MessageClass;
}
