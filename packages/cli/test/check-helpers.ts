import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Helpers of the `attograd check` tests: running the built CLI, and a small XML parser. */

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js check …args` in the package directory, without colours. */
export function check(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'check', ...args], { cwd: packageDir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** An element of a parsed XML document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A strict little XML parser (elements, attributes, text, the five predefined entities, an
 * optional `<?xml …?>` declaration): throws on anything not well-formed — unclosed or mismatched
 * tags, unquoted or duplicate attributes, a stray `<` or `&`, text outside the root element.
 */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`XML not well-formed at ${at}: ${what}`);
  };
  const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';
  const skipSpace = (): void => {
    while (at < source.length && isSpace(source[at])) at++;
  };
  const isNameChar = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_' || c === ':' || c === '.';
  const name = (): string => {
    const start = at;
    while (at < source.length && isNameChar(source[at])) at++;
    if (at === start) fail('expected a name');
    return source.slice(start, at);
  };
  const decode = (text: string): string => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '<') fail('a raw < in text or an attribute');
      if (text[i] !== '&') {
        out += text[i];
        continue;
      }
      const end = text.indexOf(';', i);
      const entity = end < 0 ? undefined : ENTITIES[text.slice(i + 1, end)];
      if (entity === undefined) fail(`an unknown entity near "${text.slice(i, i + 8)}"`);
      out += entity;
      i = end;
    }
    return out;
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') fail('expected <');
    at++;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (source[at] === '>') break;
      const key = name();
      if (key in node.attributes) fail(`duplicate attribute ${key}`);
      if (source[at] !== '=' || source[at + 1] !== '"') fail(`attribute ${key} must be ="quoted"`);
      const end = source.indexOf('"', at + 2);
      if (end < 0) fail('an unterminated attribute value');
      node.attributes[key] = decode(source.slice(at + 2, end));
      at = end + 1;
    }
    at++;
    for (;;) {
      const next = source.indexOf('<', at);
      if (next < 0) fail(`<${node.name}> is never closed`);
      node.text += decode(source.slice(at, next));
      at = next;
      if (source.startsWith('</', at)) {
        at += 2;
        if (name() !== node.name) fail(`</…> does not close <${node.name}>`);
        skipSpace();
        if (source[at] !== '>') fail('expected >');
        at++;
        return node;
      }
      node.children.push(element());
    }
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('an unterminated declaration');
    at = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== source.length) fail('content after the root element');
  return root;
}

/** Every element named `name` in the tree, depth first. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((child) => findAll(child, name))];
}
