// `npm run k8s:generate`: writes the GKE overlay's Config Connector resources from their sources of truth,
//   k8s/overlays/gke/pubsub.yaml            ← libs/contracts/src/topics.ts (+ the subscription defaults of
//                                             libs/pubsub/src/topology-options.ts)
//   k8s/overlays/gke/firestore-indexes.yaml ← firestore.indexes.json
// `node scripts/k8s-generate.mts --check` writes nothing and exits 1 when a file differs from what it would
// write (k8s/generated.spec.ts runs it in the unit tier).
//
// Pub/Sub: every topic, every subscription with the dead-letter policy and redelivery backoff the services
// would create themselves, each dead-letter topic with its subscription of the same name, and the IAM the
// Pub/Sub service agent needs to dead-letter (publish to the dead-letter topic, acknowledge on the
// subscription). Firestore: one FirestoreIndex per composite index. Every resource is abandoned, not
// deleted, when it leaves the cluster: deleting the manifests must never delete a topic with messages in
// it or an index a query needs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { stringify } from 'yaml';
import { deadLetterTopicOf, Subscriptions, Topics } from '../libs/contracts/src/topics.ts';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../libs/pubsub/src/topology-options.ts';

const ROOT = join(import.meta.dirname, '..');
const OVERLAY = join(ROOT, 'k8s', 'overlays', 'gke');
const ABANDON = { 'cnrm.cloud.google.com/deletion-policy': 'abandon' };
const PUBSUB_API = 'pubsub.cnrm.cloud.google.com/v1beta1';
const IAM_API = 'iam.cnrm.cloud.google.com/v1beta1';
/** Filled with the project by the overlay's replacements (project.env). */
const SERVICE_AGENT = 'pubsub-service-agent';
/** Dead letters are kept as long as Pub/Sub allows, for someone to look at. */
const DEAD_LETTER_RETENTION = '604800s';

type Manifest = Record<string, unknown>;

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

function topic(name: string): Manifest {
  return {
    apiVersion: PUBSUB_API,
    kind: 'PubSubTopic',
    metadata: { name, annotations: ABANDON },
    spec: { resourceID: name },
  };
}

function subscription(name: string, topicName: string, spec: Manifest): Manifest {
  return {
    apiVersion: PUBSUB_API,
    kind: 'PubSubSubscription',
    metadata: { name, annotations: ABANDON },
    spec: {
      resourceID: name,
      topicRef: { name: topicName },
      ...spec,
      // Never expire for inactivity: a quiet month must not delete a subscription.
      expirationPolicy: { ttl: '' },
    },
  };
}

function serviceAgentRole(name: string, role: string, resource: { kind: string; name: string }): Manifest {
  return {
    apiVersion: IAM_API,
    kind: 'IAMPolicyMember',
    metadata: { name, annotations: ABANDON },
    spec: {
      memberFrom: { serviceIdentityRef: { name: SERVICE_AGENT } },
      role,
      resourceRef: { apiVersion: PUBSUB_API, ...resource },
    },
  };
}

function pubSubManifests(): Manifest[] {
  const { ackDeadlineSeconds, maxDeliveryAttempts, retryBackoff } = DEFAULT_TOPOLOGY_OPTIONS;
  const topics = [...new Set([...Object.values(Topics), ...Subscriptions.map((s) => s.topic)])];
  const manifests: Manifest[] = [
    {
      apiVersion: 'serviceusage.cnrm.cloud.google.com/v1beta1',
      kind: 'ServiceIdentity',
      metadata: { name: SERVICE_AGENT, annotations: ABANDON },
      spec: { projectRef: { external: 'projects/PROJECT_ID' }, resourceID: 'pubsub.googleapis.com' },
    },
    ...topics.map(topic),
  ];
  for (const spec of Subscriptions) {
    const deadLetter = deadLetterTopicOf(spec.name);
    manifests.push(
      subscription(spec.name, spec.topic, {
        ackDeadlineSeconds,
        deadLetterPolicy: { deadLetterTopicRef: { name: deadLetter }, maxDeliveryAttempts },
        retryPolicy: {
          minimumBackoff: seconds(retryBackoff.minimumMs),
          maximumBackoff: seconds(retryBackoff.maximumMs),
        },
      }),
      topic(deadLetter),
      subscription(deadLetter, deadLetter, { messageRetentionDuration: DEAD_LETTER_RETENTION }),
      serviceAgentRole(`${deadLetter}.publisher`, 'roles/pubsub.publisher', { kind: 'PubSubTopic', name: deadLetter }),
      serviceAgentRole(`${spec.name}.subscriber`, 'roles/pubsub.subscriber', {
        kind: 'PubSubSubscription',
        name: spec.name,
      }),
    );
  }
  return manifests;
}

interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
  arrayConfig?: 'CONTAINS';
}

interface CompositeIndex {
  collectionGroup: string;
  queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  fields: IndexField[];
}

/** A stable, readable Kubernetes name: `idx-registrations-userid-eventendsat-desc`. */
function indexName(index: CompositeIndex): string {
  const part = (field: IndexField): string =>
    field.fieldPath + (field.arrayConfig ? '-contains' : field.order === 'DESCENDING' ? '-desc' : '');
  const scope = index.queryScope === 'COLLECTION_GROUP' ? ['group'] : [];
  return ['idx', index.collectionGroup, ...scope, ...index.fields.map(part)]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
}

function firestoreIndexManifests(indexesJson: string): Manifest[] {
  const { indexes } = JSON.parse(indexesJson) as { indexes: CompositeIndex[] };
  const names = new Set<string>();
  return indexes.map((index) => {
    const name = indexName(index);
    if (names.has(name)) throw new Error(`two indexes of firestore.indexes.json map to the name ${name}`);
    names.add(name);
    return {
      apiVersion: 'firestore.cnrm.cloud.google.com/v1beta1',
      kind: 'FirestoreIndex',
      metadata: { name, annotations: ABANDON },
      spec: {
        database: '(default)',
        collection: index.collectionGroup,
        queryScope: index.queryScope,
        fields: index.fields.map(({ fieldPath, order, arrayConfig }) =>
          arrayConfig ? { fieldPath, arrayConfig } : { fieldPath, order },
        ),
      },
    };
  });
}

async function render(file: string, header: string, manifests: Manifest[]): Promise<string> {
  const body = manifests.map((m) => stringify(m)).join('---\n');
  const text = `# GENERATED by scripts/k8s-generate.mts from ${header}: do not edit; run \`npm run k8s:generate\`.\n${body}`;
  return prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
}

async function generatedFiles(): Promise<Record<string, string>> {
  const pubsub = join(OVERLAY, 'pubsub.yaml');
  const indexes = join(OVERLAY, 'firestore-indexes.yaml');
  return {
    [pubsub]: await render(pubsub, 'libs/contracts/src/topics.ts', pubSubManifests()),
    [indexes]: await render(
      indexes,
      'firestore.indexes.json',
      firestoreIndexManifests(readFileSync(join(ROOT, 'firestore.indexes.json'), 'utf8')),
    ),
  };
}

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, text] of Object.entries(await generatedFiles())) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: stale
  }
  if (current === text) continue;
  if (check) stale.push(file);
  else {
    writeFileSync(file, text);
    console.log(`wrote ${file.slice(ROOT.length + 1)}`);
  }
}
if (stale.length) {
  console.error(
    `out of date with their sources: ${stale.map((f) => f.slice(ROOT.length + 1)).join(', ')}; run \`npm run k8s:generate\``,
  );
  process.exit(1);
}
