#!/usr/bin/env bash
# The consumer check: README's Quick start, verbatim, built as a user's app from the packed tarball
# (dist/js/*.tgz, from `npx projen package:js`), on the aws-cdk-lib floor and on the newest
# aws-cdk-lib. For each: a fresh app directory, `npm install` of the tarball and the peers, a strict
# type-check (as `cdk init app --language typescript` configures it), then synth; the template
# must hold the user pool, the identity pool and the bucket. Needs the npm registry.
#
#   bash scripts/consumer-check.sh            # after npx projen package:js
#   FLOOR=2.257.0 LATEST=2.278.0 bash scripts/consumer-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

fail() { printf '\nconsumer check FAILED: %s\n' "$*" >&2; exit 1; }

shopt -s nullglob
tarballs=(dist/js/*.tgz)
[ ${#tarballs[@]} -eq 1 ] || fail "expected one dist/js/*.tgz, found ${#tarballs[@]}: run \`npx projen package:js\` first"
TARBALL="$ROOT/${tarballs[0]}"

FLOOR=${FLOOR:-$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^\^/, "")')}
LATEST=${LATEST:-$(npm view aws-cdk-lib version)}
[ -n "$LATEST" ] || fail "npm view aws-cdk-lib version returned nothing"

# README's complete example, exactly as README shows it (between the consumer-check markers).
APP_SOURCE=$(node -e '
const readme = require("fs").readFileSync("README.md", "utf8");
const m = /<!-- consumer-check:app -->\n```ts[^\n]*\n([\s\S]*?)```\n<!-- \/consumer-check -->/.exec(readme);
if (!m) { console.error("README.md has no <!-- consumer-check:app --> ```ts ... ``` <!-- /consumer-check --> block"); process.exit(1); }
process.stdout.write(m[1]);
') || fail "cannot extract README's Quick start"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/consumer-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

check() {
  local cdk=$1 dir="$WORK/app-$1" started=$SECONDS
  printf '\n--- consumer app on aws-cdk-lib %s ---\n' "$cdk"
  mkdir -p "$dir/bin"
  printf '%s' "$APP_SOURCE" > "$dir/bin/app.ts"
  cat > "$dir/package.json" <<'JSON'
{ "name": "consumer-app", "version": "0.1.0", "private": true }
JSON
  # The compiler options `cdk init app --language typescript` writes (strict, NodeNext).
  cat > "$dir/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "lib": ["es2022"],
    "declaration": true, "strict": true, "noImplicitAny": true, "strictNullChecks": true,
    "noImplicitThis": true, "alwaysStrict": true, "noUnusedLocals": false, "noUnusedParameters": false,
    "noImplicitReturns": true, "noFallthroughCasesInSwitch": false, "inlineSourceMap": true,
    "inlineSources": true, "experimentalDecorators": true, "strictPropertyInitialization": false,
    "typeRoots": ["./node_modules/@types"], "outDir": "out"
  },
  "include": ["bin/**/*.ts"]
}
JSON
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=warn \
      "$TARBALL" "aws-cdk-lib@$cdk" 'constructs@^10' 'typescript@^5' '@types/node@^20' >install.log 2>&1) \
    || { cat "$dir/install.log"; fail "npm install on aws-cdk-lib $cdk"; }
  if grep -i 'peer' "$dir/install.log"; then
    fail "npm install on aws-cdk-lib $cdk warned about peer dependencies (above)"
  fi
  local installed
  installed=$(cd "$dir" && node -p 'require("aws-cdk-lib/package.json").version')
  [ "$installed" = "$cdk" ] || fail "asked for aws-cdk-lib $cdk, installed $installed"
  (cd "$dir" && npx --no-install tsc -p tsconfig.json) || fail "README's Quick start does not type-check on aws-cdk-lib $cdk"
  (cd "$dir" && CDK_OUTDIR=cdk.out node out/app.js) || fail "README's Quick start does not synthesize on aws-cdk-lib $cdk"
  node -e '
const t = require(process.argv[1]);
const types = Object.values(t.Resources).map((r) => r.Type);
for (const want of ["AWS::Cognito::UserPool", "AWS::Cognito::IdentityPool", "AWS::S3::Bucket", "AWS::IAM::Role"]) {
  if (!types.includes(want)) { console.error(`template has no ${want}`); process.exit(1); }
}
console.log(`synthesized ${types.length} resources`);
' "$dir/cdk.out/NotesAuth.template.json" || fail "unexpected template on aws-cdk-lib $cdk"
  printf 'aws-cdk-lib %s: install, type-check and synth in %ss\n' "$cdk" $((SECONDS - started))
}

check "$FLOOR"
if [ "$LATEST" != "$FLOOR" ]; then
  check "$LATEST"
fi
printf '\nconsumer check passed: README Quick start on aws-cdk-lib %s and %s (%s)\n' "$FLOOR" "$LATEST" "$(basename "$TARBALL")"
