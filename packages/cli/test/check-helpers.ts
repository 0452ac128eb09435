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
  return checkWithEnv({}, ...args);
}

/** `check` with extra environment variables. */
export function checkWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return attograd(['check', ...args], { env });
}

/** Runs `node dist/cli.js …args` (any command), in `cwd` (default: the package directory). */
export function attograd(
  args: readonly string[],
  { cwd = packageDir, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
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

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';
const isNameChar = (c: string): boolean =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_' || c === ':' || c === '.';

/** A cursor over the source, reading one construct at a time and throwing at the first flaw. */
class XmlReader {
  at = 0;

  constructor(private readonly source: string) {}

  fail(what: string): never {
    throw new Error(`XML not well-formed at ${this.at}: ${what}`);
  }

  skipSpace(): void {
    while (this.at < this.source.length && isSpace(this.source[this.at])) this.at++;
  }

  name(): string {
    const start = this.at;
    while (this.at < this.source.length && isNameChar(this.source[this.at])) this.at++;
    if (this.at === start) this.fail('expected a name');
    return this.source.slice(start, this.at);
  }

  /** Text or an attribute value, with its entities replaced; a raw < or an unknown entity throws. */
  decode(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '<') this.fail('a raw < in text or an attribute');
      if (text[i] !== '&') {
        out += text[i];
        continue;
      }
      const end = text.indexOf(';', i);
      const entity = end < 0 ? undefined : ENTITIES[text.slice(i + 1, end)];
      if (entity === undefined) this.fail(`an unknown entity near "${text.slice(i, i + 8)}"`);
      out += entity;
      i = end;
    }
    return out;
  }

  /** The attributes of a start tag; true when the tag closes itself (`/>`). */
  attributes(node: XmlElement): boolean {
    for (;;) {
      this.skipSpace();
      if (this.source.startsWith('/>', this.at)) {
        this.at += 2;
        return true;
      }
      if (this.source[this.at] === '>') {
        this.at++;
        return false;
      }
      const key = this.name();
      if (key in node.attributes) this.fail(`duplicate attribute ${key}`);
      if (this.source[this.at] !== '=' || this.source[this.at + 1] !== '"') this.fail(`attribute ${key} must be ="quoted"`);
      const end = this.source.indexOf('"', this.at + 2);
      if (end < 0) this.fail('an unterminated attribute value');
      node.attributes[key] = this.decode(this.source.slice(this.at + 2, end));
      this.at = end + 1;
    }
  }

  /** Text and child elements up to the matching end tag. */
  content(node: XmlElement): void {
    for (;;) {
      const next = this.source.indexOf('<', this.at);
      if (next < 0) this.fail(`<${node.name}> is never closed`);
      node.text += this.decode(this.source.slice(this.at, next));
      this.at = next;
      if (!this.source.startsWith('</', this.at)) {
        node.children.push(this.element());
        continue;
      }
      this.at += 2;
      if (this.name() !== node.name) this.fail(`</…> does not close <${node.name}>`);
      this.skipSpace();
      if (this.source[this.at] !== '>') this.fail('expected >');
      this.at++;
      return;
    }
  }

  element(): XmlElement {
    if (this.source[this.at] !== '<') this.fail('expected <');
    this.at++;
    const node: XmlElement = { name: this.name(), attributes: {}, children: [], text: '' };
    if (!this.attributes(node)) this.content(node);
    return node;
  }

  document(): XmlElement {
    if (this.source.startsWith('<?xml')) {
      const end = this.source.indexOf('?>');
      if (end < 0) this.fail('an unterminated declaration');
      this.at = end + 2;
    }
    this.skipSpace();
    const root = this.element();
    this.skipSpace();
    if (this.at !== this.source.length) this.fail('content after the root element');
    return root;
  }
}

/**
 * A strict little XML parser (elements, attributes, text, the five predefined entities, an
 * optional `<?xml …?>` declaration): throws on anything not well-formed — unclosed or mismatched
 * tags, unquoted or duplicate attributes, a stray `<` or `&`, text outside the root element.
 */
export function parseXml(source: string): XmlElement {
  return new XmlReader(source).document();
}

/** Every element named `name` in the tree, depth first. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((child) => findAll(child, name))];
}
