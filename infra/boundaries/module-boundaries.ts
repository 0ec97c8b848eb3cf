import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The layering the workspace promises, checked from the sources (see docs/ARCHITECTURE.md):
 * - another project is imported only by its package name and an entry its package.json `exports`
 *   lists (`@lesionlab/catalog`, never `@lesionlab/catalog/src/...` or a relative path into it);
 * - a project depends only on the scopes its `scope:` tag allows (ALLOWED below);
 * - no cycle, neither between projects nor between the modules of one project.
 */
export const ALLOWED: Record<string, string[]> = {
  'scope:app': ['scope:domain', 'scope:platform', 'scope:shared'],
  'scope:domain': ['scope:domain', 'scope:platform', 'scope:shared'],
  'scope:platform': ['scope:shared'],
  'scope:shared': ['scope:shared'],
};

/** Test code of an app may also drive another app (the CLI's tests start the API), through its `./testing` export. */
const ALLOWED_IN_TESTS: Record<string, string[]> = { 'scope:app': ['scope:app'] };

/** Launchers that must install the TypeScript hook before anything else can load: the only reach outside a project. */
const LAUNCHERS: Record<string, string> = { 'apps/cli/bin/lesionlab.js': '../../../infra/scripts/register' };

/** Tests, fixtures and end-to-end specs: their imports are checked, but they do not make projects depend on each other. */
export const isTestFile = (file: string) => /(^|[/\\])(test|testing|e2e)[/\\]/.test(file) || /\.(spec|e2e|fixture)\.tsx?$/.test(file);

const SKIPPED_DIRS = new Set(['node_modules', '.next', 'dist', 'generated', 'test-results', 'playwright-report', '.venv']);
const SOURCE_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

export interface Project {
  name: string;
  packageName: string;
  root: string;
  scope: string;
  /** The subpaths its package.json `exports` lists ('.' is the package itself); null: no `exports`. */
  exports: string[] | null;
}

export interface Reference {
  specifier: string;
  line: number;
  /** False for `import type` / `export type`: nothing is loaded at run time. */
  runtime: boolean;
}

export function loadProjects(root: string): Project[] {
  return ['apps', 'libs'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      // A project without package.json is no TypeScript project (the Python trainer).
      .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'project.json')) && existsSync(join(root, group, entry.name, 'package.json')))
      .map((entry) => {
        const dir = join(root, group, entry.name);
        const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { name: string; tags?: string[] };
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, string> };
        const scope = (project.tags ?? []).find((tag) => tag.startsWith('scope:'));
        if (!scope) throw new Error(`${relative(root, dir)}/project.json has no scope: tag`);
        return { name: project.name, packageName: pkg.name, root: dir, scope, exports: pkg.exports ? Object.keys(pkg.exports) : null };
      }),
  );
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(path);
    // Tool configuration (jest.config.js, next.config.ts, ...) extends the workspace's and is no module of the project.
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') && !/\.config\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

const stringArgument = (call: ts.CallExpression) => (call.arguments.length > 0 && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : null);

/** What one file imports: import/export declarations, import(), require(), require.resolve(), jest.mock(). */
export function referencesIn(fileName: string, text: string): Reference[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Reference[] = [];
  const add = (node: ts.Node, specifier: string, runtime: boolean) =>
    found.push({ specifier, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, runtime });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier.text, !typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, !node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text, !node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const specifier = stringArgument(node);
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isResolveOrMock = ts.isPropertyAccessExpression(callee) && ((callee.expression.getText() === 'require' && callee.name.text === 'resolve') || (callee.expression.getText() === 'jest' && callee.name.text === 'mock'));
      if (specifier !== null && (isRequire || isImport || isResolveOrMock)) add(node, specifier, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext), base.replace(/\.js$/, '.ts')]) {
    if (existsSync(candidate) && SOURCE_FILE.test(candidate)) return candidate;
  }
  return null;
}

const inside = (dir: string, file: string) => file === dir || file.startsWith(dir + sep);

export interface Violation {
  file: string;
  line: number;
  rule: 'deep-import' | 'outside-project' | 'wrong-direction' | 'project-cycle' | 'module-cycle';
  message: string;
}

/** Every breach of the rules in the workspace at `root`, each with the file and line it is in. */
export function checkBoundaries(root: string, projects = loadProjects(root), read = (file: string) => readFileSync(file, 'utf8')): Violation[] {
  const violations: Violation[] = [];
  const byPackage = new Map(projects.map((p) => [p.packageName, p]));
  const projectEdges = new Map<string, Map<string, { file: string; line: number }>>(projects.map((p) => [p.name, new Map()]));
  const at = (file: string) => relative(root, file);

  for (const project of projects) {
    const moduleEdges = new Map<string, Array<{ to: string; line: number }>>();
    for (const file of sourceFiles(project.root)) {
      const edges: Array<{ to: string; line: number }> = [];
      moduleEdges.set(file, edges);
      for (const ref of referencesIn(file, read(file))) {
        if (ref.specifier.startsWith('.')) {
          if (LAUNCHERS[at(file)] === ref.specifier) continue;
          const target = resolve(dirname(file), ref.specifier);
          if (!inside(project.root, target)) {
            const owner = projects.find((p) => inside(p.root, target));
            violations.push({
              file: at(file),
              line: ref.line,
              rule: owner ? 'deep-import' : 'outside-project',
              message: owner ? `reaches into ${owner.name} by a relative path (${ref.specifier}): import ${owner.packageName} instead` : `reaches outside its project (${ref.specifier})`,
            });
            continue;
          }
          const resolved = resolveRelative(file, ref.specifier);
          if (resolved && ref.runtime) edges.push({ to: resolved, line: ref.line });
          continue;
        }
        const match = /^(@lesionlab\/[^/]+)(\/.*)?$/.exec(ref.specifier);
        const target = match && byPackage.get(match[1]);
        if (!target || target === project) continue;
        const subpath = `.${match[2] ?? ''}`;
        if (!(target.exports ?? ['.']).includes(subpath)) {
          violations.push({ file: at(file), line: ref.line, rule: 'deep-import', message: `imports ${ref.specifier}, which ${target.packageName}'s package.json does not export (exports: ${(target.exports ?? ['.']).join(', ')})` });
        }
        const test = isTestFile(at(file));
        if (!ALLOWED[project.scope]?.includes(target.scope) && !(test && ALLOWED_IN_TESTS[project.scope]?.includes(target.scope))) {
          violations.push({ file: at(file), line: ref.line, rule: 'wrong-direction', message: `${project.name} (${project.scope}) may not depend on ${target.name} (${target.scope})` });
        }
        const dependencies = projectEdges.get(project.name)!;
        if (!test && !dependencies.has(target.name)) dependencies.set(target.name, { file: at(file), line: ref.line });
      }
    }
    for (const cycle of cyclesOf(new Map([...moduleEdges].map(([file, edges]) => [file, edges.map((e) => e.to)])))) {
      const first = moduleEdges.get(cycle[0])!.find((e) => e.to === cycle[1 % cycle.length])!;
      violations.push({ file: at(cycle[0]), line: first.line, rule: 'module-cycle', message: `import cycle: ${[...cycle, cycle[0]].map(at).join(' → ')}` });
    }
  }
  for (const cycle of cyclesOf(new Map([...projectEdges].map(([name, edges]) => [name, [...edges.keys()]])))) {
    const where = projectEdges.get(cycle[0])!.get(cycle[1 % cycle.length])!;
    violations.push({ file: where.file, line: where.line, rule: 'project-cycle', message: `projects depend on each other in a circle: ${[...cycle, cycle[0]].join(' → ')}` });
  }
  return violations;
}

/** One cycle (as a path of nodes) for each strongly connected component with more than one node or a self-edge (Tarjan). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return components.map((component) => pathThrough(graph, new Set(component)));
}

/** A concrete cycle inside one strongly connected component: walk from its first node until a node repeats. */
function pathThrough(graph: Map<string, string[]>, component: Set<string>): string[] {
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Map([[start, 0]]);
  for (;;) {
    const next = (graph.get(path[path.length - 1]) ?? []).find((n) => component.has(n))!;
    if (seen.has(next)) return path.slice(seen.get(next));
    seen.set(next, path.length);
    path.push(next);
  }
}
