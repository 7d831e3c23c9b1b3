// skaffold.yaml and the Dockerfile against the manifests: the images skaffold builds are exactly the ones the
// pods run, built by the one Dockerfile for the right app, with the ports and profiles the manifests expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { podOf } from './network-policy';
import { APPS, get, OVERLAYS, renderOverlay, ROOT, type K8sObject } from './render';

interface Artifact {
  image: string;
  context?: string;
  docker: { dockerfile: string; buildArgs: { APP: string } };
}

const skaffold = parse(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

function imagesRunBy(objects: K8sObject[]): Set<string> {
  const images = new Set<string>();
  for (const object of objects) {
    const pod =
      object.kind === 'CronJob'
        ? object.spec.jobTemplate.spec.template.spec
        : object.kind === 'Deployment' && object.metadata.name.startsWith('convene-')
          ? object.spec.template.spec
          : undefined;
    for (const container of pod?.containers ?? []) images.add(container.image);
  }
  return images;
}

describe('skaffold.yaml', () => {
  const artifacts = skaffold.build.artifacts as Artifact[];

  it('builds one image per app, each from the shared Dockerfile with its APP', () => {
    expect(artifacts.map((a) => a.docker.buildArgs.APP).sort()).toEqual([...APPS].sort());
    for (const artifact of artifacts) {
      expect(artifact).toEqual({
        image: `convene-${artifact.docker.buildArgs.APP}`,
        context: '.',
        docker: { dockerfile: 'Dockerfile', buildArgs: { APP: artifact.docker.buildArgs.APP } },
      });
    }
  });

  it.each(OVERLAYS)('builds exactly the images the %s overlay runs', (overlay) => {
    expect(imagesRunBy(renderOverlay(overlay))).toEqual(new Set(artifacts.map((a) => a.image)));
  });

  it('has a profile per overlay (the default is local), and no patch', () => {
    const profiles = Object.fromEntries(
      skaffold.profiles.map((p: { name: string; manifests: { kustomize: { paths: string[] } } }) => [
        p.name,
        p.manifests.kustomize.paths,
      ]),
    );
    expect(profiles).toEqual({ local: ['k8s/overlays/local'], gke: ['k8s/overlays/gke'] });
    expect(skaffold.manifests.kustomize.paths).toEqual(['k8s/overlays/local']);
    for (const profile of skaffold.profiles) expect(profile.patches).toBeUndefined();
  });

  it.each([
    ['default', skaffold.portForward],
    ...skaffold.profiles
      .filter((p: { portForward?: unknown }) => p.portForward)
      .map((p: K8sObject) => [p.name, p.portForward]),
  ])('forwards (%s) to Service ports that exist and lead to a named container port', (_name, forwards) => {
    const objects = renderOverlay('local');
    for (const forward of forwards as { resourceName: string; namespace: string; port: number }[]) {
      const service = get(objects, 'Service', forward.resourceName);
      expect(forward.namespace).toBe(service.metadata.namespace);
      const port = service.spec.ports.find((p: { port: number }) => p.port === forward.port);
      expect(port).toBeDefined();
      const deployment = objects.find(
        (o) =>
          o.kind === 'Deployment' &&
          Object.entries(service.spec.selector).every(([k, v]) => o.spec.template.metadata.labels[k] === v),
      )!;
      expect(Object.keys(podOf(deployment).ports)).toContain(port.targetPort);
    }
    expect((forwards as { resourceName: string }[]).map((f) => f.resourceName)).toContain('convene-gateway');
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('selects the app with ARG APP and copies only that app, the libs and production dependencies', () => {
    expect(runtime).toMatch(/^ARG APP$/m);
    const copies = runtime.match(/^COPY .*$/gm) ?? [];
    expect(copies).toEqual([
      'COPY --from=deps /src/node_modules ./node_modules',
      'COPY --from=build /src/dist/libs ./dist/libs',
      'COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}',
    ]);
    const deps = stages.find((stage) => stage.includes(' AS deps'))!;
    expect(deps).toMatch(/npm install --omit=dev --omit=optional/);
  });

  it('builds the way `npm run build` does', () => {
    const build = stages.find((stage) => stage.includes(' AS build'))!;
    expect(build).toMatch(/^RUN node scripts\/build\.mts$/m);
  });

  it('runs Node 24 as a numeric non-root user, the one the pods require', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-[a-z]+-slim$/m);
    const user = runtime.match(/^USER (\d+):(\d+)$/m);
    expect(user).not.toBeNull();
    const runAsUser = renderOverlay('local').find(
      (o) => o.metadata.name === 'convene-gateway' && o.kind === 'Deployment',
    )!.spec.template.spec.securityContext.runAsUser;
    expect(Number(user![1])).toBe(runAsUser);
    expect(Number(user![1])).toBeGreaterThan(0);
  });

  it('bakes no secret into an image', () => {
    expect(dockerfile).not.toMatch(/^(ENV|ARG) .*(SECRET|PASSWORD|TOKEN|KEY)/im);
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env*', '.git', '**/node_modules', 'dist']) expect(ignored).toContain(entry);
  });
});
