import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from './validation-exception.factory';

/** The one validation setup for every DTO: unknown fields refused, errors as VALIDATION_FAILED. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: validationExceptionFactory,
    // Never echo the submitted object or values into errors (they may hold passwords).
    validationError: { target: false, value: false },
  });
}
