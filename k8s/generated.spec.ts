// The GKE overlay's Config Connector resources are generated from the topic registry and
// firestore.indexes.json (scripts/k8s-generate.mts). These tests fail when a source changed and the files
// were not regenerated, and check that what the generator writes provisions what the services expect.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadLetterTopicOf, Subscriptions, Topics } from '@convene/contracts';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../libs/pubsub/src/topology-options';
import { find, renderOverlay, ROOT, type K8sObject } from './render';

const objects = renderOverlay('gke');
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

describe('k8s/overlays/gke generated resources', () => {
  it('are what `npm run k8s:generate` writes from their sources today', () => {
    const check = () =>
      execFileSync(
        process.execPath,
        ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', join(ROOT, 'scripts/k8s-generate.mts'), '--check'],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    expect(check).not.toThrow();
  });

  it('declare every topic of the registry, and a dead-letter topic per subscription', () => {
    const topics = ofKind('PubSubTopic').map((t) => t.spec.resourceID);
    const expected = [
      ...new Set([...Object.values(Topics), ...Subscriptions.map((s) => s.topic)]),
      ...Subscriptions.map((s) => deadLetterTopicOf(s.name)),
    ];
    expect(topics.sort()).toEqual(expected.sort());
  });

  it.each(Subscriptions.map((s) => [s.name, s] as const))(
    'subscribe %s with the dead-letter policy and backoff the services use',
    (name, spec) => {
      const subscription = find(objects, 'PubSubSubscription', name)!;
      const { ackDeadlineSeconds, maxDeliveryAttempts, retryBackoff } = DEFAULT_TOPOLOGY_OPTIONS;
      expect(subscription.spec).toEqual({
        resourceID: name,
        topicRef: { name: spec.topic },
        ackDeadlineSeconds,
        deadLetterPolicy: { deadLetterTopicRef: { name: deadLetterTopicOf(name) }, maxDeliveryAttempts },
        retryPolicy: {
          minimumBackoff: `${retryBackoff.minimumMs / 1000}s`,
          maximumBackoff: `${retryBackoff.maximumMs / 1000}s`,
        },
        expirationPolicy: { ttl: '' },
      });
      // Dead letters are kept: a subscription of the same name on the dead-letter topic.
      const deadLetters = find(objects, 'PubSubSubscription', deadLetterTopicOf(name))!;
      expect(deadLetters.spec.topicRef).toEqual({ name: deadLetterTopicOf(name) });
      // Pub/Sub's own service agent publishes dead letters and acknowledges the original.
      const grants = ofKind('IAMPolicyMember').map((m) => [
        m.spec.role,
        m.spec.resourceRef.kind,
        m.spec.resourceRef.name,
      ]);
      expect(grants).toContainEqual(['roles/pubsub.publisher', 'PubSubTopic', deadLetterTopicOf(name)]);
      expect(grants).toContainEqual(['roles/pubsub.subscriber', 'PubSubSubscription', name]);
    },
  );

  it('grant those roles to the Pub/Sub service agent of the project', () => {
    const agent = ofKind('ServiceIdentity');
    expect(agent).toHaveLength(1);
    expect(agent[0].spec.resourceID).toBe('pubsub.googleapis.com');
    for (const member of ofKind('IAMPolicyMember')) {
      expect(member.spec.memberFrom).toEqual({ serviceIdentityRef: { name: agent[0].metadata.name } });
    }
  });

  it('declare exactly the composite indexes of firestore.indexes.json', () => {
    const { indexes } = JSON.parse(readFileSync(join(ROOT, 'firestore.indexes.json'), 'utf8')) as {
      indexes: { collectionGroup: string; queryScope: string; fields: object[] }[];
    };
    // kustomize sorts objects and keys: compare canonical forms, as sets.
    const key = (collection: string, scope: string, fields: Record<string, string>[]) =>
      JSON.stringify([collection, scope, fields.map((f) => [f.fieldPath, f.order ?? null, f.arrayConfig ?? null])]);
    const declared = ofKind('FirestoreIndex').map((i) => key(i.spec.collection, i.spec.queryScope, i.spec.fields));
    const wanted = indexes.map((i) => key(i.collectionGroup, i.queryScope, i.fields as Record<string, string>[]));
    expect(declared.sort()).toEqual(wanted.sort());
  });

  it('are abandoned, never deleted, when removed from the cluster', () => {
    const cloud = objects.filter((o: K8sObject) => o.apiVersion.includes('.cnrm.cloud.google.com/'));
    expect(cloud.length).toBeGreaterThan(0);
    for (const resource of cloud) {
      expect(resource.metadata.annotations['cnrm.cloud.google.com/deletion-policy']).toBe('abandon');
    }
  });
});
