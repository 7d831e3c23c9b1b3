// `npm run k8s:validate`: renders each kustomization (`kubectl kustomize`, offline) and checks every object
// against the Kubernetes schemas, twice:
//   1. the schema validators of `kubernetes-models` (built-in kinds) and `@kubernetes-models/gke` (GKE and
//      Config Connector kinds): types, enums, required fields;
//   2. TypeScript's excess-property check of each object against the same packages' interfaces, which the
//      validators do not do: a misspelt field (`readinesProbe`) would otherwise be silently dropped by the
//      API server.
// A kind neither package models is an error: nothing is applied unchecked.
//
//   node scripts/k8s-validate.mts                     the overlays and the load-test Job (default)
//   node scripts/k8s-validate.mts k8s/overlays/gke    chosen kustomizations
//   node scripts/k8s-validate.mts -                   YAML documents on stdin (k8s/schemas.spec.ts)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const DEFAULT_TARGETS = ['k8s/overlays/local', 'k8s/overlays/gke', 'loadtest'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

interface Located {
  source: string;
  object: K8sObject;
}

/** The package and module path that model a kind, e.g. `kubernetes-models/apps/v1/Deployment`. */
function modelModule(object: K8sObject): string | undefined {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const path = group ? `${group}/${version}/${object.kind}` : `${version}/${object.kind}`;
  for (const candidate of [`kubernetes-models/${path}`, `@kubernetes-models/gke/${path}`]) {
    try {
      import.meta.resolve(candidate);
      return candidate;
    } catch {
      // not this package
    }
  }
  return undefined;
}

function label({ source, object }: Located): string {
  return `${source}: ${object.kind}/${object.metadata?.name ?? '?'}`;
}

async function schemaErrors(located: Located, module: string): Promise<string[]> {
  const exports = (await import(module)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = exports[located.object.kind];
  if (!Model) return [`${label(located)}: ${module} exports no ${located.object.kind}`];
  try {
    new Model(located.object).validate();
    return [];
  } catch (error) {
    return [`${label(located)}: ${(error as Error).message.replace(/\s+/g, ' ')}`];
  }
}

/** One virtual TypeScript file assigning each object literal to its interface; the compiler finds extra fields. */
function excessPropertyErrors(all: { located: Located; module: string }[]): string[] {
  const fileName = join(ROOT, '__k8s_objects__.ts');
  const lines: string[] = [];
  const lineOwner: Located[] = [];
  all.forEach(({ located, module }, i) => {
    lines.push(`import type { I${located.object.kind} as T${i} } from '${module}';`);
    lineOwner.push(located);
  });
  all.forEach(({ located }, i) => {
    for (const line of `export const o${i}: T${i} = ${JSON.stringify(located.object, null, 1)};`.split('\n')) {
      lines.push(line);
      lineOwner.push(located);
    }
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? text : readFile(name));
  host.fileExists = (name) => name === fileName || ts.sys.fileExists(name);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, text, languageVersion)
      : getSourceFile(name, languageVersion, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) return `typescript: ${message}`;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const at = lines[line].trim().replace(/,$/, '');
    return `${label(lineOwner[line])}: ${message} (at ${at})`;
  });
}

function render(target: string): Located[] {
  const yaml =
    target === '-'
      ? readFileSync(0, 'utf8')
      : execFileSync('kubectl', ['kustomize', join(ROOT, target)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJSON() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null)
    .map((object) => ({ source: target === '-' ? 'stdin' : target, object }));
}

const targets = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_TARGETS;
const errors: string[] = [];
const modelled: { located: Located; module: string }[] = [];
for (const target of targets) {
  for (const located of render(target)) {
    const module = modelModule(located.object);
    if (!module) {
      errors.push(`${label(located)}: no schema for ${located.object.apiVersion} ${located.object.kind}`);
      continue;
    }
    errors.push(...(await schemaErrors(located, module)));
    modelled.push({ located, module });
  }
}
errors.push(...excessPropertyErrors(modelled));

for (const error of errors) console.error(error);
console.log(`${modelled.length} objects from ${targets.join(', ')}: ${errors.length} schema errors`);
process.exit(errors.length ? 1 : 0);
