import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateEventDto } from './create-event.dto';

/**
 * Any creation field, each optional and validated as on creation; absent fields stay as they are.
 * Capacity is not here: changing it must agree with registrations (issue 5).
 */
export class UpdateEventDto extends PartialType(OmitType(CreateEventDto, ['capacity'] as const)) {}
