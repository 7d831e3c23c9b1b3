// A small evaluator of Kubernetes NetworkPolicy semantics (one namespace, TCP/UDP), so the specs can ask
// "may A reach B on port P?" of the rendered policies instead of restating their YAML.
import type { K8sObject } from './render';

export interface Pod {
  kind: 'pod';
  labels: Record<string, string>;
  /** Named container ports → numbers (named ports in policies resolve against the destination pod). */
  ports: Record<string, number>;
}
/** Traffic from or to outside the namespace's pods: an IPv4 address, and the namespace's labels if it is a pod elsewhere. */
export interface Address {
  kind: 'address';
  ip: string;
  namespaceLabels?: Record<string, string>;
}
export type Endpoint = Pod | Address;

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabel && byExpression;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = ipToNumber(base) - (ipToNumber(base) % size);
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function peerMatches(peer: any, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return (
      other.kind === 'address' &&
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr: string) => inCidr(other.ip, cidr))
    );
  }
  if (peer.namespaceSelector) {
    if (other.kind !== 'address' || !other.namespaceLabels) return false;
    return selects(peer.namespaceSelector, other.namespaceLabels) && !peer.podSelector;
  }
  return other.kind === 'pod' && selects(peer.podSelector, other.labels);
}

function portMatches(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rulePorts: any[] | undefined,
  destination: Endpoint,
  port: number,
  protocol: string,
): boolean {
  if (!rulePorts?.length) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.port === port;
    return destination.kind === 'pod' && destination.ports[p.port] === port;
  });
}

function policiesFor(policies: K8sObject[], pod: Pod, type: 'Ingress' | 'Egress'): K8sObject[] {
  return policies.filter(
    (p) => (p.spec.policyTypes ?? ['Ingress']).includes(type) && selects(p.spec.podSelector, pod.labels),
  );
}

/** Whether the destination pod's ingress policies admit the connection. */
export function ingressAllows(
  policies: K8sObject[],
  source: Endpoint,
  destination: Pod,
  port: number,
  protocol = 'TCP',
): boolean {
  const applying = policiesFor(policies, destination, 'Ingress');
  if (!applying.length) return true;
  return applying.some((p) =>
    (p.spec.ingress ?? []).some(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (rule: any) =>
        (!rule.from?.length || rule.from.some((peer: unknown) => peerMatches(peer, source))) &&
        portMatches(rule.ports, destination, port, protocol),
    ),
  );
}

/** Whether the source pod's egress policies let the connection out. */
export function egressAllows(
  policies: K8sObject[],
  source: Pod,
  destination: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  const applying = policiesFor(policies, source, 'Egress');
  if (!applying.length) return true;
  return applying.some((p) =>
    (p.spec.egress ?? []).some(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (rule: any) =>
        (!rule.to?.length || rule.to.some((peer: unknown) => peerMatches(peer, destination))) &&
        portMatches(rule.ports, destination, port, protocol),
    ),
  );
}

/** Both ends agree: the source may send, the destination may receive. */
export function connects(policies: K8sObject[], source: Pod, destination: Pod, port: number): boolean {
  return egressAllows(policies, source, destination, port) && ingressAllows(policies, source, destination, port);
}

/** The pod a Deployment, or a CronJob's Job, creates: its labels and named ports. */
export function podOf(workload: K8sObject): Pod {
  const template =
    workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : (workload.spec.template as K8sObject);
  const ports: Record<string, number> = {};
  for (const container of template.spec.containers) {
    for (const port of container.ports ?? []) if (port.name) ports[port.name] = port.containerPort;
  }
  return { kind: 'pod', labels: template.metadata?.labels ?? {}, ports };
}
