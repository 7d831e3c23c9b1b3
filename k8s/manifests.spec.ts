// The deployment policy, checked on what `kubectl kustomize` renders for each overlay: every app's pod is
// probed, sized and locked down, drains within its grace period, has its PDB and HPA, reads only variables
// its config class declares, finds the services it calls, and is reachable only by whom it should be.
import 'reflect-metadata';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { subscriptionsFor } from '@convene/contracts';
import { BaseServiceConfig } from '@convene/common';
import { AuthConfig } from '../apps/auth/src/auth.config';
import { EventsConfig } from '../apps/events/src/events.config';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';
import { NotificationsConfig } from '../apps/notifications/src/notifications.config';
import { RegistrationsConfig } from '../apps/registrations/src/registrations.config';
import { ReviewsConfig } from '../apps/reviews/src/reviews.config';
import { connects, egressAllows, ingressAllows, podOf, type Pod } from './network-policy';
import { APPS, find, get, OVERLAYS, render, renderOverlay, ROOT, type App, type K8sObject } from './render';

const CONFIG_CLASSES: Record<App, new () => object> = {
  gateway: GatewayConfig,
  auth: AuthConfig,
  events: EventsConfig,
  registrations: RegistrationsConfig,
  reviews: ReviewsConfig,
  notifications: NotificationsConfig,
};

/** Who calls whom over gRPC (docs/architecture.md). Nothing else may connect to a gRPC port. */
const CALLS: Record<App, App[]> = {
  gateway: ['auth', 'events', 'registrations', 'reviews', 'notifications'],
  auth: [],
  events: ['registrations'],
  registrations: ['events', 'auth'],
  reviews: ['events'],
  notifications: ['events'],
};

/** Read by Google's client libraries rather than by a config class. */
const LIBRARY_VARIABLES = ['METADATA_SERVER_DETECTION'];
/** The environment variables a config class reads (as loadConfig picks them). */
function variablesOf(schema: new () => object): Set<string> {
  const names = new Set(Object.keys(new schema()));
  for (const m of getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false)) names.add(m.propertyName);
  return names;
}

/** The variables a container gets from its ConfigMaps (envFrom) and env, in Kubernetes' precedence. */
function environmentOf(objects: K8sObject[], container: K8sObject): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, get(objects, 'ConfigMap', source.configMapRef.name).data);
  }
  for (const { name, value } of container.env ?? []) if (value !== undefined) env[name] = value;
  return env;
}

function hostPort(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url.includes('://') ? url : `grpc://${url}`);
  return { host: hostname, port: Number(port) };
}

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const objects = renderOverlay(overlay);
  const deployment = (app: App) => get(objects, 'Deployment', `convene-${app}`);
  const podSpec = (app: App) => deployment(app).spec.template.spec;
  const container = (app: App) => podSpec(app).containers.find((c: K8sObject) => c.name === 'app');
  const env = (app: App) => environmentOf(objects, container(app));
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const pod = (app: App): Pod => podOf(deployment(app));

  describe.each(APPS)('%s', (app) => {
    it('is probed: startup and liveness on /healthz, readiness on /readyz, on a port the container declares', () => {
      const c = container(app);
      expect(c.startupProbe.httpGet.path).toBe('/healthz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      const named = (c.ports ?? []).map((p: { name: string }) => p.name);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe])
        expect(named).toContain(probe.httpGet.port);
    });

    it('requests and limits CPU and memory (the HPA scales on requested CPU)', () => {
      const { requests, limits } = container(app).resources;
      for (const amounts of [requests, limits]) {
        expect(amounts).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      }
    });

    it('runs as non-root with a read-only root filesystem and no capabilities', () => {
      const pod = podSpec(app);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container(app).securityContext).toEqual({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    });

    it('has a grace period longer than the preStop pause plus the Pub/Sub drain (SHUTDOWN_GRACE_MS)', () => {
      const drainMs = Number(env(app).SHUTDOWN_GRACE_MS ?? new BaseServiceConfig().SHUTDOWN_GRACE_MS);
      const preStopSeconds = container(app).lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(drainMs).toBeGreaterThan(0);
      expect(podSpec(app).terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + drainMs / 1000);
    });

    it('leaves the replica count to its HPA, which has explicit behavior', () => {
      expect(deployment(app).spec.replicas).toBeUndefined();
      const hpa = get(objects, 'HorizontalPodAutoscaler', `convene-${app}`);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `convene-${app}` });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      for (const direction of ['scaleUp', 'scaleDown']) {
        expect(hpa.spec.behavior[direction].policies.length).toBeGreaterThan(0);
        expect(hpa.spec.behavior[direction].stabilizationWindowSeconds).toEqual(expect.any(Number));
      }
      const cpu = hpa.spec.metrics.find((m: K8sObject) => m.type === 'Resource' && m.resource.name === 'cpu');
      expect(cpu.resource.target).toEqual({ type: 'Utilization', averageUtilization: expect.any(Number) });
    });

    it('has a PodDisruptionBudget (maxUnavailable 1) selecting exactly its pods', () => {
      const pdb = get(objects, 'PodDisruptionBudget', `convene-${app}`);
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: deployment(app).spec.selector });
      expect(deployment(app).spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': app } });
      expect(deployment(app).spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': app });
    });

    it('runs its own image as its own ServiceAccount', () => {
      expect(container(app).image).toBe(`convene-${app}`);
      expect(podSpec(app).serviceAccountName).toBe(`convene-${app}`);
      expect(find(objects, 'ServiceAccount', `convene-${app}`)).toBeDefined();
    });

    it('listens where its Service and probes say: HTTP_PORT and GRPC_PORT are the container ports', () => {
      const variables = env(app);
      const ports = pod(app).ports;
      expect(Number(variables.HTTP_PORT)).toBe(ports.http);
      if ('grpc' in ports) expect(Number(variables.GRPC_PORT)).toBe(ports.grpc);
      const service = get(objects, 'Service', `convene-${app}`);
      expect(service.spec.selector).toEqual(deployment(app).spec.selector.matchLabels);
      expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
      for (const port of service.spec.ports) expect(Object.keys(ports)).toContain(port.targetPort);
      expect(service.spec.ports.map((p: { name: string }) => p.name).sort()).toEqual(Object.keys(ports).sort());
    });

    it('gets only variables its config class reads, from ConfigMaps that exist, and no secret in a ConfigMap', () => {
      const c = container(app);
      for (const source of c.envFrom) {
        if (source.configMapRef) expect(find(objects, 'ConfigMap', source.configMapRef.name)).toBeDefined();
        // Secrets are created by the operator, never rendered from git: the pod must not wait for one forever.
        if (source.secretRef) expect(source.secretRef.optional).toBe(true);
      }
      const declared = variablesOf(CONFIG_CLASSES[app]);
      const unknown = Object.keys(env(app)).filter((name) => !declared.has(name) && !LIBRARY_VARIABLES.includes(name));
      expect(unknown).toEqual([]);
      expect(Object.keys(env(app)).filter((name) => /SECRET|PASSWORD|TOKEN/.test(name))).toEqual([]);
    });

    it('finds every service it calls: each *_GRPC_URL it declares names a Service port it may connect to', () => {
      const variables = env(app);
      const declared = [...variablesOf(CONFIG_CLASSES[app])].filter((name) => name.endsWith('_GRPC_URL'));
      const given = Object.keys(variables).filter((name) => name.endsWith('_GRPC_URL'));
      expect(given.sort()).toEqual(declared.sort());
      const callees = given.map((name) => {
        const { host, port } = hostPort(variables[name]);
        const service = get(objects, 'Service', host);
        const servicePort = service.spec.ports.find((p: { port: number }) => p.port === port);
        expect(servicePort?.targetPort).toBe('grpc');
        const callee = host.replace(/^convene-/, '') as App;
        expect(connects(policies, pod(app), pod(callee), pod(callee).ports.grpc)).toBe(true);
        return callee;
      });
      expect(callees.sort()).toEqual([...CALLS[app]].sort());
    });
  });

  describe('network policies', () => {
    it('close every pod of the namespace by default, in and out', () => {
      const closed = policies.filter(
        (p) => JSON.stringify(p.spec.podSelector) === '{}' && !p.spec.ingress && !p.spec.egress,
      );
      expect(closed.flatMap((p) => p.spec.policyTypes).sort()).toEqual(['Egress', 'Ingress']);
    });

    it.each(APPS.filter((a) => a !== 'gateway'))('let only its callers reach %s over gRPC', (callee) => {
      for (const caller of APPS) {
        expect([caller, connects(policies, pod(caller), pod(callee), pod(callee).ports.grpc)]).toEqual([
          caller,
          CALLS[caller].includes(callee),
        ]);
      }
      const intruder: Pod = { kind: 'pod', labels: { 'app.kubernetes.io/name': 'debug-shell' }, ports: {} };
      expect(ingressAllows(policies, intruder, pod(callee), pod(callee).ports.grpc)).toBe(false);
      expect(ingressAllows(policies, { kind: 'address', ip: '203.0.113.7' }, pod(callee), pod(callee).ports.grpc)).toBe(
        false,
      );
    });

    it('make the gateway the only app reachable from outside the namespace', () => {
      const outside = { kind: 'address', ip: '203.0.113.7' } as const;
      for (const app of APPS) {
        expect([app, ingressAllows(policies, outside, pod(app), pod(app).ports.http)]).toEqual([
          app,
          app === 'gateway',
        ]);
      }
    });

    it('let the metrics collectors scrape every app, and nothing else from other namespaces', () => {
      const collector = {
        kind: 'address',
        ip: '10.8.0.5',
        namespaceLabels: { 'kubernetes.io/metadata.name': 'gmp-system' },
      } as const;
      const stranger = {
        kind: 'address',
        ip: '10.8.0.6',
        namespaceLabels: { 'kubernetes.io/metadata.name': 'other' },
      } as const;
      for (const app of APPS) {
        expect(ingressAllows(policies, collector, pod(app), pod(app).ports.http)).toBe(true);
        if (app !== 'gateway') expect(ingressAllows(policies, stranger, pod(app), pod(app).ports.http)).toBe(false);
      }
    });

    it('let only notifications reach the internet, and not private ranges', () => {
      for (const app of APPS) {
        expect([app, egressAllows(policies, pod(app), { kind: 'address', ip: '93.184.216.34' }, 443)]).toEqual([
          app,
          app === 'notifications',
        ]);
        expect(egressAllows(policies, pod(app), { kind: 'address', ip: '10.20.30.40' }, 443)).toBe(false);
        // DNS, whichever resolver the cluster uses.
        expect(egressAllows(policies, pod(app), { kind: 'address', ip: '10.0.0.10' }, 53, 'UDP')).toBe(true);
      }
    });

    it('let the reminders CronJob call notifications over HTTP, and nothing else', () => {
      const reminders = podOf(get(objects, 'CronJob', 'convene-reminders'));
      for (const app of APPS) {
        for (const [name, port] of Object.entries(pod(app).ports)) {
          expect([app, name, connects(policies, reminders, pod(app), port)]).toEqual([
            app,
            name,
            app === 'notifications' && name === 'http',
          ]);
        }
      }
    });

    it('let the apps reach Firestore and Pub/Sub where this overlay has them', () => {
      for (const app of APPS) {
        if (overlay === 'local') {
          for (const emulator of ['firestore-emulator', 'pubsub-emulator']) {
            const target = podOf(get(objects, 'Deployment', emulator));
            expect(connects(policies, pod(app), target, target.ports.grpc)).toBe(true);
          }
        } else {
          // private.googleapis.com (Private Google Access) and the metadata server (Workload Identity tokens).
          expect(egressAllows(policies, pod(app), { kind: 'address', ip: '199.36.153.9' }, 443)).toBe(true);
          expect(egressAllows(policies, pod(app), { kind: 'address', ip: '169.254.169.254' }, 80)).toBe(true);
        }
      }
    });
  });

  describe('reminders', () => {
    const cronJob = get(objects, 'CronJob', 'convene-reminders');
    const job = cronJob.spec.jobTemplate.spec.template.spec;

    it('are triggered every minute, one run at a time, through the notifications Service', () => {
      expect(cronJob.spec.schedule).toBe('* * * * *');
      expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
      expect(env('notifications').REMINDER_MODE).toBe('external');
      const url = new URL(job.containers[0].env.find((e: { name: string }) => e.name === 'REMINDERS_URL').value);
      expect(url.pathname).toBe('/internal/reminders/run');
      const service = get(objects, 'Service', url.hostname);
      expect(service.spec.ports.find((p: { port: number }) => p.port === Number(url.port))?.targetPort).toBe('http');
      expect(url.hostname).toBe('convene-notifications');
    });

    it('run locked down and sized like the apps', () => {
      expect(job.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(job.containers[0].securityContext).toEqual({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(job.containers[0].resources.requests).toBeDefined();
      expect(job.containers[0].resources.limits).toBeDefined();
    });
  });

  it('resolves every gRPC service to its pods (headless), so clients spread calls over the replicas', () => {
    for (const service of objects.filter((o) => o.kind === 'Service' && o.metadata.name.startsWith('convene-'))) {
      const servesGrpc = service.spec.ports.some((p: { name: string }) => p.name === 'grpc');
      expect([service.metadata.name, service.spec.clusterIP === 'None']).toEqual([service.metadata.name, servesGrpc]);
    }
  });

  it('exposes nothing but the gateway outside the cluster', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      expect([service.metadata.name, service.spec.type ?? 'ClusterIP']).toEqual([service.metadata.name, 'ClusterIP']);
    }
    const backends = objects
      .filter((o) => o.kind === 'Ingress')
      .flatMap((ingress) => [
        ingress.spec.defaultBackend?.service.name,
        ...(ingress.spec.rules ?? []).flatMap((rule: K8sObject) =>
          rule.http.paths.map((path: K8sObject) => path.backend.service.name),
        ),
      ])
      .filter(Boolean);
    expect(new Set(backends)).toEqual(overlay === 'gke' ? new Set(['convene-gateway']) : new Set());
  });

  it('puts everything in the convene namespace', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect([object.kind, object.metadata.name, object.metadata.namespace]).toEqual([
        object.kind,
        object.metadata.name,
        'convene',
      ]);
    }
  });
});

describe('k8s/overlays/gke', () => {
  const objects = renderOverlay('gke');
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('convene-config-'))!;
  const project = config.data.GCP_PROJECT_ID;

  it('fills in the project and domain of project.env everywhere, leaving no placeholder', () => {
    const env = Object.fromEntries(
      readFileSync(join(ROOT, 'k8s/overlays/gke/project.env'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split('=')),
    );
    expect(project).toBe(env.GCP_PROJECT_ID);
    const placeholders: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string' && /PROJECT_ID|(^|\/)DOMAIN$/.test(value)) placeholders.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(objects);
    expect(placeholders).toEqual([]);
    expect(get(objects, 'Namespace', 'convene').metadata.annotations['cnrm.cloud.google.com/project-id']).toBe(project);
    expect(get(objects, 'ManagedCertificate', 'convene').spec.domains).toEqual([env.DOMAIN]);
  });

  it.each(APPS)('binds %s to its own Google service account (Workload Identity)', (app) => {
    expect(get(objects, 'ServiceAccount', `convene-${app}`).metadata.annotations).toEqual({
      'iam.gke.io/gcp-service-account': `convene-${app}@${project}.iam.gserviceaccount.com`,
    });
  });

  it('scales notifications on the backlog of exactly its own subscriptions', () => {
    const hpa = get(objects, 'HorizontalPodAutoscaler', 'convene-notifications');
    const external = hpa.spec.metrics.filter((m: K8sObject) => m.type === 'External');
    expect(external).toHaveLength(1);
    const { metric, target } = external[0].external;
    expect(metric.name).toBe('pubsub.googleapis.com|subscription|num_undelivered_messages');
    expect(metric.selector.matchExpressions).toEqual([
      {
        key: 'resource.labels.subscription_id',
        operator: 'In',
        values: expect.arrayContaining(subscriptionsFor('notifications').map((s) => s.name)),
      },
    ]);
    expect(metric.selector.matchExpressions[0].values).toHaveLength(subscriptionsFor('notifications').length);
    expect(target.type).toBe('AverageValue');
  });

  it('sends the load balancer to the gateway pods, health-checked on /readyz, with room for event streams', () => {
    const service = get(objects, 'Service', 'convene-gateway');
    expect(JSON.parse(service.metadata.annotations['cloud.google.com/neg'])).toEqual({ ingress: true });
    const backendConfig = get(
      objects,
      'BackendConfig',
      JSON.parse(service.metadata.annotations['cloud.google.com/backend-config']).default,
    );
    const gatewayHttp = podOf(get(objects, 'Deployment', 'convene-gateway')).ports.http;
    expect(backendConfig.spec.healthCheck).toMatchObject({ requestPath: '/readyz', port: gatewayHttp });
    expect(backendConfig.spec.timeoutSec).toBeGreaterThanOrEqual(600);
  });
});

describe('k8s/overlays/local', () => {
  it('scales nothing on metrics a kind cluster does not have', () => {
    for (const hpa of renderOverlay('local').filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      expect(hpa.spec.metrics.map((m: K8sObject) => m.type)).toEqual(['Resource']);
    }
  });
});

describe('loadtest (the HPA load test as a Job)', () => {
  const job = get(render('loadtest'), 'Job', 'convene-loadtest');

  it.each(OVERLAYS)('reaches the gateway Service through the %s overlay’s policies, and nothing else', (overlay) => {
    const objects = renderOverlay(overlay);
    const policies = [...objects, ...render('loadtest')].filter((o) => o.kind === 'NetworkPolicy');
    const args: string[] = job.spec.template.spec.containers[0].args;
    const url = new URL(args[args.indexOf('--url') + 1]);
    const service = get(objects, 'Service', url.hostname);
    const port = service.spec.ports.find((p: { port: number }) => p.port === Number(url.port || 80));
    expect(port?.targetPort).toBe('http');
    const loadtest = podOf(job);
    for (const app of APPS) {
      const target = podOf(get(objects, 'Deployment', `convene-${app}`));
      for (const [name, number] of Object.entries(target.ports)) {
        expect([app, name, connects(policies, loadtest, target, number)]).toEqual([
          app,
          name,
          app === 'gateway' && name === 'http',
        ]);
      }
    }
  });

  it('runs locked down, in the namespace of the apps', () => {
    expect(job.metadata.namespace).toBe('convene');
    expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(job.spec.template.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true });
  });
});

describe('kustomizations', () => {
  function kustomizations(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return kustomizations(path);
      return entry === 'kustomization.yaml' ? [path] : [];
    });
  }

  it('patch by name, never by list index (an index silently patches the wrong item after a change)', () => {
    const byIndex: string[] = [];
    for (const file of [...kustomizations(join(ROOT, 'k8s')), join(ROOT, 'loadtest/kustomization.yaml')]) {
      const kustomization = parse(readFileSync(file, 'utf8'));
      for (const patch of kustomization.patches ?? []) {
        const operations = parse(patch.patch ?? '');
        if (!Array.isArray(operations)) continue; // a strategic-merge patch: lists merge by key (container name, ...)
        for (const op of operations)
          if (/\/\d+(\/|$)|\/-$/.test(op.path)) byIndex.push(`${relative(ROOT, file)}: ${op.path}`);
      }
      for (const replacement of kustomization.replacements ?? []) {
        for (const target of replacement.targets ?? []) {
          for (const path of target.fieldPaths ?? []) {
            if (/(^|\.)\d+(\.|$)/.test(path)) byIndex.push(`${relative(ROOT, file)}: ${path}`);
          }
        }
      }
    }
    expect(byIndex).toEqual([]);
  });
});
