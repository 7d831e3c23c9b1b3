import { FieldPath, type Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from './registration';

/**
 * The 1-based places in the event's line of the given waitlist keys: one count of who stands before the
 * first of them, and one read of the keys between the first and the last (names only).
 */
export async function waitlistPositions(
  firestore: Firestore,
  eventId: string,
  keys: string[],
): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  if (keys.length === 0) return positions;
  const sorted = [...keys].sort();
  const [first, last] = [sorted[0], sorted.at(-1)!];
  const entries = firestore.collection(COLLECTIONS.waitlist).doc(eventId).collection('entries');
  const [before, between] = await Promise.all([
    entries.where(FieldPath.documentId(), '<', first).count().get(),
    sorted.length === 1
      ? Promise.resolve([first])
      : entries
          .where(FieldPath.documentId(), '>=', first)
          .where(FieldPath.documentId(), '<=', last)
          .orderBy(FieldPath.documentId())
          .select()
          .get()
          .then((snapshot) => snapshot.docs.map((doc) => doc.id)),
  ]);
  const base = before.data().count;
  between.forEach((key, index) => positions.set(key, base + index + 1));
  return positions;
}
