import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The composite indexes firestore.indexes.json declares. Production Firestore refuses a query without
 * its composite index and the emulator does not check, so index specs compare the shapes of the
 * code's queries against these.
 */
export interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
  arrayConfig?: 'CONTAINS';
}

export interface CompositeIndex {
  collectionGroup: string;
  queryScope: string;
  fields: IndexField[];
}

const INDEXES_FILE = join(__dirname, '..', '..', '..', '..', 'firestore.indexes.json');

export function declaredIndexes(): CompositeIndex[] {
  return (JSON.parse(readFileSync(INDEXES_FILE, 'utf8')) as { indexes: CompositeIndex[] }).indexes;
}

/** The index's fields without the implicit trailing document id. */
export function fieldsOf(index: CompositeIndex): IndexField[] {
  return index.fields.filter((field) => field.fieldPath !== '__name__');
}

/** The declared collection-scope indexes of `collectionGroup` whose fields are exactly `fields`, in order. */
export function indexesWithFields(collectionGroup: string, fields: IndexField[]): CompositeIndex[] {
  const expected = JSON.stringify(fields);
  return declaredIndexes().filter(
    (index) =>
      index.collectionGroup === collectionGroup &&
      index.queryScope === 'COLLECTION' &&
      JSON.stringify(fieldsOf(index)) === expected,
  );
}
