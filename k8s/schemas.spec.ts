// Every object the overlays (and the load-test Job) render validates against the Kubernetes, GKE and Config
// Connector schemas (scripts/k8s-validate.mts, run as its own process: the schema packages are ES modules).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './render';

function validate(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/k8s-validate.mts'), ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('k8s schemas', () => {
  it('accept every rendered object of both overlays and the load-test Job', () => {
    const { status, output } = validate([]);
    expect(output).toMatch(/\d+ objects from k8s\/overlays\/local, k8s\/overlays\/gke, loadtest: 0 schema errors/);
    expect(status).toBe(0);
  });

  it('reject a wrong type, a misspelt field and an unknown kind', () => {
    const broken = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: broken }',
      'spec:',
      '  replicas: two',
      '  selector: { matchLabels: { a: b } }',
      '  template:',
      '    metadata: { labels: { a: b } }',
      '    spec:',
      '      containers:',
      '        - { name: app, image: x, readinesProbe: { httpGet: { path: /readyz, port: 3000 } } }',
      '---',
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata: { name: w }',
    ].join('\n');
    const { status, output } = validate(['-'], broken);
    expect(status).toBe(1);
    expect(output).toContain('Deployment/broken: data/spec/replicas must be integer');
    expect(output).toMatch(/Deployment\/broken: .*'"readinesProbe"' does not exist/);
    expect(output).toContain('Widget/w: no schema for example.com/v1 Widget');
  });
});
