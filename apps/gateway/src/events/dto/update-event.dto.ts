import { PartialType } from '@nestjs/swagger';
import { CreateEventDto } from './create-event.dto';

/**
 * Any creation field, each optional and validated as on creation; absent fields stay as they are.
 * A published event's capacity is agreed with registrations by the events service.
 */
// skipNullProperties: false — an absent field stays as it is; `null` is refused, never read as absent.
export class UpdateEventDto extends PartialType(CreateEventDto, { skipNullProperties: false }) {}
