import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MY_REGISTRATIONS_QUERY } from './registrations.store';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
interface Index {
  collectionGroup: string;
  queryScope: string;
  fields: { fieldPath: string; order?: string }[];
}

const declared: Index[] = JSON.parse(
  readFileSync(join(__dirname, '../../../../firestore.indexes.json'), 'utf8'),
).indexes;

describe('firestore.indexes.json', () => {
  it.each(['ASCENDING', 'DESCENDING'])('covers "my registrations" ordered %s', (order) => {
    const shape = MY_REGISTRATIONS_QUERY;
    const covering = declared.filter(
      (index) =>
        index.collectionGroup === shape.collection &&
        index.queryScope === 'COLLECTION' &&
        JSON.stringify(index.fields.filter((f) => f.fieldPath !== '__name__')) ===
          JSON.stringify([
            { fieldPath: shape.equality, order: 'ASCENDING' },
            { fieldPath: shape.orderedBy, order },
          ]),
    );
    expect(covering).toHaveLength(1);
  });
});
