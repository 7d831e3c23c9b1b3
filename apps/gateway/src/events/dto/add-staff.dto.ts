import { EmailField } from '../../auth/dto/email.field';

export class AddStaffDto {
  /** Compared as sign-in compares it (case and surrounding spaces do not matter). */
  @EmailField()
  email!: string;
}
