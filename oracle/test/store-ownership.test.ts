/**
 * Stores own their SQL (docs/architecture.md "Store layout"): outside `oracle/src/store/`, no source file
 * runs a statement (`x.query(…)`, `x.exec(…)` on anything but a RegExp literal) or imports a database
 * driver (`pg`, `@electric-sql/pglite`). Callers use the store modules' functions; they may still open a
 * transaction (`sql.transaction`) and pass it to them, and hold advisory locks. Test files are exempt
 * (fixtures set up rows directly). Parsed with the TypeScript compiler, so comments, strings and
 * `req.query.limit` (a property, not a call) never count.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const STORE = path.join(SRC, 'store') + path.sep;
const DRIVERS = /^(pg|pg-[a-z-]+|@electric-sql\/pglite(\/.*)?)$/;

/** Each statement call or driver import in `text`, as "line: what". */
export function sqlUses(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const name = n.expression.name.text;
      const target = n.expression.expression;
      const isRegExp = ts.isRegularExpressionLiteral(target) || (ts.isNewExpression(target) && target.expression.getText(sf) === 'RegExp');
      if (name === 'query' || (name === 'exec' && !isRegExp)) out.push(`${at(n)}: ${n.expression.getText(sf)}(…)`);
    }
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) && DRIVERS.test(n.moduleSpecifier.text)) {
      out.push(`${at(n)}: imports ${n.moduleSpecifier.text}`);
    }
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0]) && DRIVERS.test(n.arguments[0].text)) {
      out.push(`${at(n)}: imports ${n.arguments[0].text}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('store ownership', () => {
  it('finds statements and driver imports, and nothing else', () => {
    const text = [
      "import pg from 'pg';",
      "import { PGlite } from '@electric-sql/pglite';",
      '// sql.query("not code")',
      "const s = 'x.query(1)';",
      'await ctx.sql.query("SELECT 1");',
      'await tx.query<{ a: number }>("SELECT 1");',
      'db.exec("SELECT 1");',
      '/^a$/.exec(s); new RegExp("a").exec(s);',
      'const n = req.query.limit;',
      "await import('pg');",
    ].join('\n');
    expect(sqlUses('sample.ts', text)).toEqual([
      '1: imports pg',
      '2: imports @electric-sql/pglite',
      '5: ctx.sql.query(…)',
      '6: tx.query(…)',
      '7: db.exec(…)',
      '10: imports pg',
    ]);
  });

  it('no oracle source file outside store/ issues SQL or imports a driver', () => {
    const files = sourceFiles(SRC).filter((f) => !f.startsWith(STORE));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => sqlUses(f, readFileSync(f, 'utf8')).map((u) => `${path.relative(SRC, f)}:${u}`));
    expect(found).toEqual([]);
  });
});
