import { isUUID } from 'class-validator';
import { invalidField } from '@convene/common';

/** Ids become Firestore document paths: anything but a uuid is refused before it reaches one. */
export function requireUuid(field: string, value: string): void {
  if (!isUUID(value)) throw invalidField(field, `${field} must be a UUID`);
}
