import { ValidateIf } from 'class-validator';

/**
 * An optional property: absent is allowed, `null` is not. IsOptional would let `"title": null` through
 * as "absent", which a client sending null most likely did not mean, and which the spec (no property
 * is nullable) does not allow.
 */
export const AbsentOrValid = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined);
