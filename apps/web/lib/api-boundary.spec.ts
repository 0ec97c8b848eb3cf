import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * The web app reaches the API only through the generated typed client (lib/api.ts). This walks
 * every source file of apps/web and fails on a hand-written way around it: a fetch() call,
 * EventSource or XMLHttpRequest, or a string that starts an /api/… URL. Links the browser follows by
 * itself (<img src>, <a href>) are no call by code and stay allowed.
 */
const WEB = join(__dirname, '..');
const ALLOWED_FILES = new Set([
  'lib/api.ts', // the client module itself
  'app/api/[...path]/route.ts', // the proxy that forwards browser requests to the API
]);
const SKIPPED_DIRS = new Set(['node_modules', '.next', 'e2e', 'test-results', 'playwright-report']);
const CLIENT_PATHS = new Set(Object.keys((JSON.parse(readFileSync(join(WEB, '../../libs/api-client/src/generated/openapi.json'), 'utf8')) as { paths: object }).paths));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isLinkAttribute(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && (ts.isJsxExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isConditionalExpression(parent))) parent = parent.parent;
  return !!parent && ts.isJsxAttribute(parent) && ['src', 'href'].includes(parent.name.getText());
}

/** Each way around the typed client in one file, as `line: what`. */
function bypassesIn(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'fetch') report(node, `calls fetch(): ${callee.getText()}`);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ['EventSource', 'XMLHttpRequest', 'WebSocket'].includes(node.expression.text)) {
      report(node, `opens ${node.expression.text}`);
    }
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text : null;
    if (literal !== null && /^(https?:\/\/[^/]*)?\/api\//.test(literal) && !CLIENT_PATHS.has(literal) && !isLinkAttribute(node)) {
      report(node, `builds an API URL by hand: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the web app reaches the API only through the typed client', () => {
  it('finds the bypasses it is meant to catch', () => {
    const sample = [
      "await fetch('/api/runs?limit=5');",
      'window.fetch(url);',
      'new EventSource(`/api/runs/${id}/events`);',
      "const url = '/api/slices/' + id;",
      "await api.GET('/api/runs/{id}', { params: { path: { id } } });",
      'const img = <img src={`/api/slices/${id}/thumbnail`} />;',
      "const label = 'Action (e.g. PUT /api/slices/:id/mask)';",
      'cache.prefetch(id);',
    ].join('\n');
    expect(bypassesIn('sample.tsx', sample)).toEqual([
      "1: calls fetch(): fetch",
      "1: builds an API URL by hand: '/api/runs?limit=5'",
      '2: calls fetch(): window.fetch',
      '3: opens EventSource',
      '3: builds an API URL by hand: `/api/runs/${id}/events`',
      "4: builds an API URL by hand: '/api/slices/'",
    ]);
  });

  it('no file under apps/web but the client module and the proxy calls the API by hand', () => {
    const files = sourceFiles(WEB).map((path) => relative(WEB, path));
    expect(files).toContain('components/runs/run-view.tsx');
    const bypasses = files.filter((file) => !ALLOWED_FILES.has(file)).flatMap((file) => bypassesIn(file, readFileSync(join(WEB, file), 'utf8')).map((b) => `${file}:${b}`));
    expect(bypasses).toEqual([]);
  });
});
