import {
  type Comment,
  type DeclarationReflection,
  type ProjectReflection,
  ReflectionKind,
  ReflectionType,
  type SignatureReflection,
} from 'typedoc';

/**
 * Documentation coverage of a TypeDoc project, by the rule this repository keeps: every exported
 * symbol has a TSDoc summary; every member of an exported interface, class or object type alias
 * has one too; every exported function and class also shows an `@example`. Members of object
 * types written inline in a signature (`(): { x: Tensor }`) are covered by their function's doc.
 */
export interface CoverageProblem {
  /** `@attograd/tensor: Tensor.dtype` */
  name: string;
  /** The reflection kind, e.g. `Property`. */
  kind: string;
  /** `packages/tensor/src/tensor.ts:42`, where the symbol is declared. */
  source: string;
  problem: 'no documentation' | 'no @example';
}

function hasSummary(comment: Comment | undefined): boolean {
  return comment?.summary.some((part) => part.text.trim() !== '') === true;
}

function hasExample(comment: Comment | undefined): boolean {
  return comment?.blockTags.some((tag) => tag.tag === '@example') ?? false;
}

/** The comments that document a declaration: its own, or those of its call or get/set signatures. */
function commentsOf(declaration: DeclarationReflection): Array<Comment | undefined> {
  const accessors = [declaration.getSignature, declaration.setSignature].filter((s): s is SignatureReflection => s !== undefined);
  const signatures: SignatureReflection[] = declaration.signatures ?? accessors;
  if (signatures.length === 0) return [declaration.comment];
  return signatures.map((signature) => signature.comment ?? declaration.comment);
}

/**
 * Where a declaration is, relative to the workspace. In packages mode TypeDoc gives some file names
 * relative to the package's src folder and some relative to the workspace; both are handled.
 */
function sourceOf(pkg: string, declaration: DeclarationReflection): string {
  const source = declaration.sources?.[0] ?? declaration.signatures?.[0]?.sources?.[0] ?? declaration.getSignature?.sources?.[0];
  if (!source) return '(unknown source)';
  const file = source.fileName.startsWith('packages/')
    ? source.fileName
    : `packages/${pkg.replace('@attograd/', '')}/src/${source.fileName}`;
  return `${file}:${source.line}`;
}

/** Members that need their own documentation: declared here (not inherited), public. */
function ownMembers(declaration: DeclarationReflection): DeclarationReflection[] {
  const container =
    declaration.kindOf(ReflectionKind.TypeAlias) && declaration.type instanceof ReflectionType ? declaration.type.declaration : declaration;
  return (container.children ?? []).filter((member) => !member.inheritedFrom && !member.flags.isPrivate && !member.flags.isProtected);
}

function check(pkg: string, declaration: DeclarationReflection, prefix: string, problems: CoverageProblem[]): void {
  const name = `${pkg}: ${prefix}${declaration.name}`;
  const report = (problem: CoverageProblem['problem']) =>
    problems.push({ name, kind: ReflectionKind[declaration.kind], source: sourceOf(pkg, declaration), problem });
  const comments = commentsOf(declaration);
  if (!comments.every(hasSummary)) report('no documentation');
  else if (prefix === '' && declaration.kindOf(ReflectionKind.Function | ReflectionKind.Class) && !comments.some(hasExample))
    report('no @example');
  if (declaration.kindOf(ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Enum)) {
    for (const member of ownMembers(declaration)) {
      if (member.kindOf(ReflectionKind.Constructor) && !member.signatures?.some((signature) => signature.comment)) {
        if (!hasSummary(declaration.comment)) report('no documentation'); // a class's doc covers its constructor
        continue;
      }
      check(pkg, member, `${prefix}${declaration.name}.`, problems);
    }
  }
}

/** Every coverage problem in the project, package by package. */
export function coverageProblems(project: ProjectReflection): CoverageProblem[] {
  const problems: CoverageProblem[] = [];
  // Several packages give one module each; a single package is converted without that layer.
  const modules = project.children?.every((child) => child.kindOf(ReflectionKind.Module)) ? project.children : [project];
  for (const module of modules) {
    for (const declaration of module.children ?? []) {
      if (declaration.kindOf(ReflectionKind.Reference)) continue; // re-exported: documented where declared
      check(module.name, declaration, '', problems);
    }
  }
  return problems;
}

/** One line per problem, for a test failure or the console. */
export function formatProblems(problems: readonly CoverageProblem[]): string {
  return problems.map((p) => `${p.source}  ${p.name} (${p.kind}): ${p.problem}`).join('\n');
}
