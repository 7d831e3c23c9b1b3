import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, Length, ValidateBy, ValidateIf } from 'class-validator';
import { CHECK_IN_CODE_MAX_INPUT, parseCheckInCode } from '@convene/contracts';
import { AbsentOrValid } from '../../http/absent-or-valid';

/** A check-in code as door staff type it (see parseCheckInCode), given without `ticket`. */
const IsCheckInCode = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCheckInCode',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseCheckInCode(value) !== undefined,
      defaultMessage: () =>
        'code must be the 8-character check-in code (e.g. ABCD-EFGH: letters and digits, dashes and spaces optional)',
    },
  });

const WithoutTicket = (): PropertyDecorator =>
  ValidateBy({
    name: 'withoutTicket',
    validator: {
      validate: (_value: unknown, args) => (args?.object as CheckInDto).ticket === undefined,
      defaultMessage: () => 'give either ticket or code, not both',
    },
  });

/** Exactly one of `ticket` (scanned) and `code` (typed). */
export class CheckInDto {
  @ApiPropertyOptional({
    description: 'The ticket’s token, as scanned from its QR code. Give this or `code`, not both.',
    minLength: 1,
    maxLength: 4096,
  })
  // Validated when given, and required when `code` is not.
  @ValidateIf((dto: CheckInDto) => dto.ticket !== undefined || dto.code === undefined || dto.code === null)
  @IsDefined({ message: 'ticket (or code) is required' })
  @IsString()
  @Length(1, 4096)
  ticket?: string;

  @ApiPropertyOptional({
    description:
      'The ticket’s check-in code, typed by door staff when the QR code cannot be scanned. Case, dashes and ' +
      'spaces do not matter, and O, I and L are read as 0, 1 and 1. Give this or `ticket`, not both.',
    example: 'ABCD-EFGH',
    minLength: 8,
    maxLength: CHECK_IN_CODE_MAX_INPUT,
  })
  @AbsentOrValid()
  @IsCheckInCode()
  @WithoutTicket()
  code?: string;

  @ApiPropertyOptional({
    description: 'Chosen by the scanner per scan: a retry with the same nonce gets the first answer again.',
    minLength: 1,
    maxLength: 100,
  })
  @AbsentOrValid()
  @IsString()
  @Length(1, 100)
  nonce?: string;
}
