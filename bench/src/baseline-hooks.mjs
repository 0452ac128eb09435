// Module resolution hook for benchmarks that time an earlier build (scripts/snapshot-build.sh DIR):
// every `@attograd/*` import resolves inside DIR/node_modules instead of the workspace.
let parentURL;

export function initialize(data) {
  parentURL = new URL('node_modules/', data.baselineURL).href;
}

export function resolve(specifier, context, next) {
  if (specifier.startsWith('@attograd/')) return next(specifier, { ...context, parentURL });
  return next(specifier, context);
}
