import type { AttendeeMessage, AttendeePageMessage } from '@convene/contracts';
import { csvLine } from './csv';

export const ATTENDEE_CSV_COLUMNS = [
  'registrationId',
  'userId',
  'holderName',
  'status',
  'registeredAt',
  'checkedInAt',
] as const satisfies readonly (keyof AttendeeMessage)[];

/**
 * The attendee export in chunks: the header line, then the lines of `first` and of each page after it,
 * fetched once the previous one was taken, so memory holds one page whatever the size of the event.
 */
export async function* attendeeCsvChunks(
  first: AttendeePageMessage,
  nextPage: (cursor: string) => Promise<AttendeePageMessage>,
): AsyncGenerator<string> {
  yield csvLine(ATTENDEE_CSV_COLUMNS);
  let page = first;
  for (;;) {
    const lines = (page.items ?? []).map((attendee) =>
      csvLine(ATTENDEE_CSV_COLUMNS.map((column) => String(attendee[column] ?? ''))),
    );
    if (lines.length > 0) yield lines.join('');
    if (!page.nextCursor) return;
    page = await nextPage(page.nextCursor);
  }
}
