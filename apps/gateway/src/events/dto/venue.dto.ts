import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsLatitude, IsLongitude, IsNumber, IsString, Length } from 'class-validator';
import { EVENT_LIMITS } from '@convene/contracts';
import { AbsentOrValid } from '../../http/absent-or-valid';

export class VenueDto {
  @ApiProperty({ example: 'Salle Pleyel', minLength: 1, maxLength: EVENT_LIMITS.venueNameMax })
  @IsString()
  @Length(1, EVENT_LIMITS.venueNameMax)
  name!: string;

  @ApiProperty({
    example: '252 Rue du Faubourg Saint-Honoré, 75008 Paris',
    minLength: 1,
    maxLength: EVENT_LIMITS.venueAddressMax,
  })
  @IsString()
  @Length(1, EVENT_LIMITS.venueAddressMax)
  address!: string;

  @ApiPropertyOptional({ example: 48.8771, minimum: -90, maximum: 90 })
  @AbsentOrValid()
  // IsLatitude alone also takes a string ("48.8"), which would be stored as one.
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ example: 2.3009, minimum: -180, maximum: 180 })
  @AbsentOrValid()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude()
  lng?: number;
}
