import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/**
 * The import and export declarations of a source file, read syntactically with the TypeScript
 * parser (no type checker: the codemod must run on a tree that does not compile yet, right
 * after a merge). Svelte files contribute their `<script>` blocks, at their offsets in the file.
 */

/** One name in `import { a as b, type C }` or `export { a as b } from`. */
export interface NamedBinding {
  /** The name the module exports. */
  imported: string;
  /** The name in the importing file (the exported name for `export … from`). */
  local: string;
  /** `type` written on this name. */
  typeOnly: boolean;
}

/** A static import or re-export with a module specifier, with its place in the file. */
export interface ModuleDeclaration {
  kind: 'import' | 'export';
  /** Offsets in the whole file of the declaration (with its leading comments left out). */
  start: number;
  end: number;
  specifier: string;
  /** `import type {…}` or `export type {…}`. */
  typeOnly: boolean;
  named: NamedBinding[];
  /** `import X from`. */
  defaultName?: string;
  /** `import * as X from` or `export * as X from`. */
  namespace?: string;
  /** `export * from` (no name). */
  exportStar: boolean;
  /** `import 'x'` (no binding at all). */
  sideEffect: boolean;
}

/** What a module exports under one name: declared here, or passed on from another module. */
export type ExportOrigin =
  | { kind: 'local'; isType: boolean }
  | { kind: 'reexport'; from: string; name: string }
  | { kind: 'namespace'; from: string };

export interface ParsedModule {
  /** Repository-relative path. */
  path: string;
  text: string;
  declarations: ModuleDeclaration[];
  /** Exported name → where it comes from (`export *` is kept apart in `stars`). */
  exports: Map<string, ExportOrigin>;
  /** Modules whose exports this one passes on with `export * from`. */
  stars: string[];
}

/** The `<script>` blocks of a Svelte file, or the whole file for TypeScript. */
function scriptBlocks(path: string, text: string): { offset: number; code: string }[] {
  if (!path.endsWith('.svelte')) return [{ offset: 0, code: text }];
  const blocks: { offset: number; code: string }[] = [];
  for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g))
    blocks.push({ offset: m.index + m[0].indexOf('>') + 1, code: m[1]! });
  return blocks;
}

/** Resolves a relative specifier against the importing file, repository-relative; undefined for packages. */
export function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const path = normalize(join(dirname(from), specifier));
  if (existsSync(join(root, path))) return path;
  for (const ext of ['.ts', '/index.ts']) if (existsSync(join(root, path + ext))) return path + ext;
  return path;
}

/** A relative specifier from one repository-relative file to another, `./` or `../` first. */
export function specifierFor(from: string, to: string): string {
  const rel = relative(dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function isTypeDeclaration(node: ts.Node): boolean {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function declaredNames(node: ts.Node): string[] {
  if (ts.isVariableStatement(node))
    return node.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node)) &&
    node.name
  )
    return [node.name.text];
  return [];
}

function readDeclaration(
  node: ts.Statement,
  offset: number,
  sf: ts.SourceFile,
): ModuleDeclaration | undefined {
  const base = { start: offset + node.getStart(sf), end: offset + node.getEnd() };
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.importClause;
    const named: NamedBinding[] = [];
    let namespace: string | undefined;
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespace = bindings.name.text;
    else if (bindings)
      for (const el of bindings.elements)
        named.push({
          imported: (el.propertyName ?? el.name).text,
          local: el.name.text,
          typeOnly: el.isTypeOnly,
        });
    return {
      kind: 'import',
      ...base,
      specifier: node.moduleSpecifier.text,
      typeOnly: clause?.isTypeOnly ?? false,
      named,
      ...(clause?.name ? { defaultName: clause.name.text } : {}),
      ...(namespace ? { namespace } : {}),
      exportStar: false,
      sideEffect: !clause,
    };
  }
  if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.exportClause;
    const named: NamedBinding[] = [];
    if (clause && ts.isNamedExports(clause))
      for (const el of clause.elements)
        named.push({
          imported: (el.propertyName ?? el.name).text,
          local: el.name.text,
          typeOnly: el.isTypeOnly,
        });
    return {
      kind: 'export',
      ...base,
      specifier: node.moduleSpecifier.text,
      typeOnly: node.isTypeOnly,
      named,
      ...(clause && ts.isNamespaceExport(clause) ? { namespace: clause.name.text } : {}),
      exportStar: !clause,
      sideEffect: false,
    };
  }
  return undefined;
}

const cache = new Map<string, ParsedModule>();

/** Parses a repository-relative file (cached until `resetParsed`). */
export function parseModule(root: string, path: string): ParsedModule {
  const known = cache.get(path);
  if (known) return known;
  const text = readFileSync(join(root, path), 'utf8');
  const declarations: ModuleDeclaration[] = [];
  const exports = new Map<string, ExportOrigin>();
  const stars: string[] = [];
  /** Local names brought in by imports, for `import { a } from './x'; export { a }`. */
  const imported = new Map<string, ExportOrigin>();
  const localExports: { name: string; local: string }[] = [];
  const localTypes = new Set<string>();
  for (const block of scriptBlocks(path, text)) {
    const sf = ts.createSourceFile(path, block.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const node of sf.statements) {
      const decl = readDeclaration(node, block.offset, sf);
      if (decl) {
        declarations.push(decl);
        const target = resolveSpecifier(root, path, decl.specifier);
        if (!target) continue;
        if (decl.kind === 'import') {
          for (const n of decl.named)
            imported.set(n.local, { kind: 'reexport', from: target, name: n.imported });
          if (decl.namespace) imported.set(decl.namespace, { kind: 'namespace', from: target });
        } else if (decl.exportStar) stars.push(target);
        else if (decl.namespace) exports.set(decl.namespace, { kind: 'namespace', from: target });
        else
          for (const n of decl.named)
            exports.set(n.local, { kind: 'reexport', from: target, name: n.imported });
        continue;
      }
      if (isTypeDeclaration(node)) for (const name of declaredNames(node)) localTypes.add(name);
      if (hasExportModifier(node))
        for (const name of declaredNames(node))
          exports.set(name, { kind: 'local', isType: isTypeDeclaration(node) });
      if (
        ts.isExportDeclaration(node) &&
        !node.moduleSpecifier &&
        node.exportClause &&
        ts.isNamedExports(node.exportClause)
      )
        for (const el of node.exportClause.elements)
          localExports.push({ name: el.name.text, local: (el.propertyName ?? el.name).text });
    }
  }
  for (const { name, local } of localExports)
    exports.set(name, imported.get(local) ?? { kind: 'local', isType: localTypes.has(local) });
  const parsed = { path, text, declarations, exports, stars };
  cache.set(path, parsed);
  return parsed;
}

/** Forgets every parsed file (the tree was written, or another root is read). */
export function resetParsed(): void {
  cache.clear();
}

/** Where a name a module exports is finally declared: `file#name`, or `file#*` for a namespace. */
export interface Origin {
  file: string;
  name: string;
  isType: boolean;
}

/**
 * The modules an export passes through, from `path`'s export `name` to its declaration (the
 * last, with `name: '*'` for a namespace); empty when `path` does not export `name`.
 */
export function chainOf(root: string, path: string, name: string, seen = new Set<string>()): Origin[] {
  const key = `${path}#${name}`;
  if (seen.has(key) || !existsSync(join(root, path))) return [];
  seen.add(key);
  const mod = parseModule(root, path);
  const found = mod.exports.get(name);
  const here = { file: path, name, isType: false };
  if (found?.kind === 'local') return [{ ...here, isType: found.isType }];
  if (found?.kind === 'namespace') return [here, { file: found.from, name: '*', isType: false }];
  if (found?.kind === 'reexport') {
    const rest = chainOf(root, found.from, found.name, seen);
    return rest.length > 0 ? [here, ...rest] : [];
  }
  for (const star of mod.stars) {
    const rest = chainOf(root, star, name, seen);
    if (rest.length > 0) return [here, ...rest];
  }
  return [];
}

/** Where `path`'s export `name` is declared; undefined when not exported. */
export function originOf(root: string, path: string, name: string): Origin | undefined {
  return chainOf(root, path, name).at(-1);
}

/** Every name a module exports, `export *` included. */
export function exportedNames(root: string, path: string, seen = new Set<string>()): string[] {
  if (seen.has(path) || !existsSync(join(root, path))) return [];
  seen.add(path);
  const mod = parseModule(root, path);
  return [...new Set([...mod.exports.keys(), ...mod.stars.flatMap((s) => exportedNames(root, s, seen))])];
}
