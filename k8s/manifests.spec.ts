import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

// Static checks of what operators deploy; no cluster needed (`kubectl kustomize` renders offline).
const ROOT = join(__dirname, '..');
const APPS = ['gateway', 'auth', 'events', 'registrations', 'reviews', 'notifications'];

type K8sObject = { kind: string; metadata: { name: string }; spec?: any };

function render(overlay: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s', 'overlays', overlay)], { encoding: 'utf8' });
  return parseAllDocuments(yaml).map((doc) => doc.toJSON() as K8sObject);
}

describe.each(['local', 'gke'])('k8s/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it.each(APPS)('runs %s with probes, resources, a locked-down pod and a drain-length grace period', (app) => {
    const deployment = named('Deployment', `convene-${app}`);
    expect(deployment).toBeDefined();
    const pod = deployment!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(10); // SHUTDOWN_GRACE_MS is 10 s
    expect(deployment!.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': app });
  });

  it('points every *_GRPC_URL of the config at a Service exposing that port', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('convene-config'));
    const urls = Object.entries((config as any).data as Record<string, string>).filter(([key]) =>
      key.endsWith('_GRPC_URL'),
    );
    expect(urls.map(([key]) => key).sort()).toEqual(['AUTH_GRPC_URL', 'EVENTS_GRPC_URL', 'REGISTRATIONS_GRPC_URL']);
    for (const [, url] of urls) {
      const [host, port] = url.split(':');
      const service = named('Service', host);
      expect(service?.spec.ports.map((p: { port: number }) => String(p.port))).toContain(port);
    }
  });

  it.each(APPS)('gives %s an HPA with explicit behavior and a PDB selecting its pods', (app) => {
    const hpa = named('HorizontalPodAutoscaler', `convene-${app}`);
    expect(hpa?.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: `convene-${app}` });
    expect(hpa?.spec.behavior.scaleUp).toBeDefined();
    expect(hpa?.spec.behavior.scaleDown).toBeDefined();
    const pdb = named('PodDisruptionBudget', `convene-${app}`);
    expect(pdb?.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': app } } });
  });
});

describe('skaffold.yaml', () => {
  const skaffold = parse(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
  const images = render('local')
    .filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('convene-'))
    .map((d) => d.spec.template.spec.containers[0].image);

  it('builds exactly the images the manifests run, each from the shared Dockerfile with its APP', () => {
    const artifacts = skaffold.build.artifacts as { image: string; docker: { buildArgs: { APP: string } } }[];
    expect(artifacts.map((a) => a.image).sort()).toEqual([...images].sort());
    for (const artifact of artifacts) expect(artifact.image).toBe(`convene-${artifact.docker.buildArgs.APP}`);
  });

  it('has a profile per overlay', () => {
    const profiles = Object.fromEntries(skaffold.profiles.map((p: any) => [p.name, p.manifests.kustomize.paths]));
    expect(profiles).toEqual({ local: ['k8s/overlays/local'], gke: ['k8s/overlays/gke'] });
  });
});
