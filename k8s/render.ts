// Shared by the k8s specs: what `kubectl kustomize` renders (offline, no cluster needed), as plain objects.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..');
export const OVERLAYS = ['local', 'gke'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const APPS = ['gateway', 'auth', 'events', 'registrations', 'reviews', 'notifications'] as const;
export type App = (typeof APPS)[number];

/* eslint-disable @typescript-eslint/no-explicit-any -- any kind of object, checked field by field by the specs */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: any };
  [key: string]: any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const rendered = new Map<string, K8sObject[]>();

/** The objects of a kustomization directory (relative to the repository), rendered once per test file. */
export function render(dir: string): K8sObject[] {
  let objects = rendered.get(dir);
  if (!objects) {
    const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    objects = parseAllDocuments(yaml).map((doc) => doc.toJSON() as K8sObject);
    rendered.set(dir, objects);
  }
  return objects;
}

export function renderOverlay(overlay: Overlay): K8sObject[] {
  return render(`k8s/overlays/${overlay}`);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

export function get(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = find(objects, kind, name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}
